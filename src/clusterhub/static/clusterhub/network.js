// Hovering or focusing a cluster lights it and its partners; the rest dims. On a touch
// screen the first tap lights a cluster and the second opens its profile.
document.querySelectorAll("[data-graph]").forEach((svg) => {
  const nodes = new Map([...svg.querySelectorAll("g.node")].map((g) => [g.dataset.slug, g]));
  let touched = false;
  let lit = null;
  const light = (g) => {
    clear();
    svg.classList.add("dim-others");
    g.classList.add("lit");
    for (const slug of g.dataset.neighbours.split(" ")) nodes.get(slug)?.classList.add("lit");
    lit = g;
  };
  const clear = () => {
    svg.classList.remove("dim-others");
    nodes.forEach((g) => g.classList.remove("lit"));
    lit = null;
  };
  svg.addEventListener("pointerdown", (event) => { touched = event.pointerType === "touch"; });
  nodes.forEach((g) => {
    g.addEventListener("mouseenter", () => light(g));
    g.addEventListener("mouseleave", clear);
    g.addEventListener("focusin", () => light(g));
    g.addEventListener("focusout", clear);
    g.addEventListener("click", (event) => {
      if (touched && lit !== g) {
        event.preventDefault();
        light(g);
      }
    });
  });
});
