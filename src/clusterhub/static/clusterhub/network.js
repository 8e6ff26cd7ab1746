// Hovering or focusing a cluster lights it and its partners; the rest dims.
document.querySelectorAll("[data-graph]").forEach((svg) => {
  const nodes = new Map([...svg.querySelectorAll("g.node")].map((g) => [g.dataset.slug, g]));
  const light = (g) => {
    svg.classList.add("dim-others");
    g.classList.add("lit");
    for (const slug of g.dataset.neighbours.split(" ")) nodes.get(slug)?.classList.add("lit");
  };
  const clear = () => {
    svg.classList.remove("dim-others");
    nodes.forEach((g) => g.classList.remove("lit"));
  };
  nodes.forEach((g) => {
    g.addEventListener("mouseenter", () => light(g));
    g.addEventListener("mouseleave", clear);
    g.addEventListener("focusin", () => light(g));
    g.addEventListener("focusout", clear);
  });
});
