// Hovering or focusing a cluster lights it and its partners; the rest dims. On a touch
// screen the first tap lights a cluster and the second opens its profile.
const lighting = (onLight, onClear) => {
  let touched = false;
  let lit = null;
  return {
    pointer: (event) => { touched = event.pointerType === "touch"; },
    light: (node) => { onClear(); onLight(node); lit = node; },
    clear: () => { onClear(); lit = null; },
    // Whether a tap (or click) should only light the node rather than follow it.
    lightsOnly: (node) => touched && lit !== node,
  };
};

document.querySelectorAll("[data-graph]").forEach((svg) => {
  const nodes = new Map([...svg.querySelectorAll("g.node")].map((g) => [g.dataset.slug, g]));
  const state = lighting(
    (g) => {
      svg.classList.add("dim-others");
      g.classList.add("lit");
      for (const slug of g.dataset.neighbours.split(" ")) nodes.get(slug)?.classList.add("lit");
    },
    () => {
      svg.classList.remove("dim-others");
      nodes.forEach((g) => g.classList.remove("lit"));
    },
  );
  svg.addEventListener("pointerdown", state.pointer);
  nodes.forEach((g) => {
    g.addEventListener("mouseenter", () => state.light(g));
    g.addEventListener("mouseleave", state.clear);
    g.addEventListener("focusin", () => state.light(g));
    g.addEventListener("focusout", state.clear);
    g.addEventListener("click", (event) => {
      if (state.lightsOnly(g)) {
        event.preventDefault();
        state.light(g);
      }
    });
  });
});

// With Cytoscape.js loaded, the network page's graph is drawn again on a canvas that
// zooms and pans; the SVG above stays for browsers without JavaScript. Colours are read
// from the SVG so that the stylesheet keeps them in one place.
const data = document.getElementById("network-graph-data");
const figure = data?.closest("figure");
if (data && figure && window.cytoscape) {
  const graph = JSON.parse(data.textContent);
  const svg = figure.querySelector("svg[data-graph]");
  const fill = new Map(
    [...svg.querySelectorAll("g.node")].map((g) => [g.dataset.slug, getComputedStyle(g.querySelector("circle")).fill]),
  );
  const canvas = document.createElement("div");
  canvas.className = "network-canvas";
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", svg.getAttribute("aria-label"));
  svg.after(canvas);
  svg.style.display = "none";
  const controls = figure.querySelector(".graph-controls");
  controls.hidden = false;
  const cy = window.cytoscape({
    container: canvas,
    elements: [
      ...graph.nodes.map((n) => ({
        data: { id: n.slug, name: n.name, title: n.title, url: n.url, colour: fill.get(n.slug), size: n.radius * 2 },
        position: { x: n.x, y: n.y },
        classes: [n.labelled || n.focus ? "labelled" : "", n.outside ? "outside" : "", n.focus ? "focus" : ""].join(" "),
      })),
      ...graph.edges.map(([a, b]) => ({ data: { id: `${a}|${b}`, source: a, target: b } })),
    ],
    layout: { name: "preset", fit: true, padding: 20 },
    minZoom: 0.2,
    maxZoom: 6,
    style: [
      { selector: "node", style: { "background-color": "data(colour)", width: "data(size)", height: "data(size)", "border-width": 0.5, "border-color": "#fff" } },
      { selector: "node.outside", style: { "background-opacity": 0.35, "border-color": "#57606a", "border-width": 1 } },
      { selector: "node.focus", style: { "background-color": "#cf222e" } },
      { selector: "node.labelled, node.lit", style: { label: "data(name)", "font-size": 9, color: "#1f2328", "text-outline-color": "#fff", "text-outline-width": 2, "text-valign": "center", "text-halign": "right", "text-margin-x": 4, "min-zoomed-font-size": 6 } },
      { selector: "edge", style: { width: 0.6, "line-color": "#8c959f", opacity: 0.55 } },
      { selector: ".faded", style: { opacity: 0.15 } },
      { selector: "edge.lit", style: { "line-color": "#cf222e", opacity: 0.9, width: 1.2 } },
    ],
  });
  canvas.cy = cy; // for the browser tests and the console
  // Cytoscape measures its box once: measure again when the page's layout changes it
  // (the fallback hidden, a phone turned).
  new ResizeObserver(() => cy.resize()).observe(canvas);
  // What the SVG's tooltips said (country, collaborations, "synthetic demo profile"),
  // for the cluster lit, in a line under the canvas.
  const caption = figure.querySelector(".graph-caption");
  caption.hidden = false;
  const state = lighting(
    (node) => {
      const near = node.closedNeighborhood();
      cy.elements().not(near).addClass("faded");
      near.addClass("lit");
      caption.textContent = node.data("title");
    },
    () => {
      cy.elements().removeClass("faded lit");
      caption.textContent = caption.dataset.idle;
    },
  );
  caption.textContent = caption.dataset.idle;
  canvas.addEventListener("pointerdown", state.pointer, { capture: true });
  cy.on("mouseover", "node", (event) => state.light(event.target));
  cy.on("mouseout", "node", state.clear);
  canvas.addEventListener("mouseleave", state.clear); // Cytoscape says nothing when the pointer leaves
  cy.on("tap", (event) => {
    if (event.target === cy) return state.clear();
    if (!event.target.isNode()) return;
    if (state.lightsOnly(event.target)) state.light(event.target);
    else window.location.assign(event.target.data("url"));
  });
  controls.addEventListener("click", (event) => {
    const zoom = event.target.closest("[data-zoom]")?.dataset.zoom;
    const centre = { x: canvas.clientWidth / 2, y: canvas.clientHeight / 2 };
    if (zoom === "in") cy.zoom({ level: cy.zoom() * 1.5, renderedPosition: centre });
    if (zoom === "out") cy.zoom({ level: cy.zoom() / 1.5, renderedPosition: centre });
    if (zoom === "fit") cy.fit(undefined, 20);
  });
}
