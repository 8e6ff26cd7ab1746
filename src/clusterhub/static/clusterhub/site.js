// The few behaviours of every page that htmx does not give; each page works without them.
(function () {
  "use strict";
  // A faceted list reloads as soon as a filter changes. htmx's trigger filters would say
  // this in the markup, but they are evaluated with eval(), which the CSP refuses.
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-list]");
    var own = form && event.target.form === form; // not a box of another form inside it
    if (own && window.htmx && event.target.matches("input[type=checkbox], select")) {
      window.htmx.trigger(form, "filterchange");
    }
  });

  // The phone's "Filters" panel stays open while its results reload.
  var filtersOpen = false;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var panel = event.detail.target.querySelector("details.filters");
    filtersOpen = Boolean(panel && panel.open);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var panel = event.detail.target.querySelector("details.filters");
    if (panel && filtersOpen) panel.open = true;
  });

  // Menus close on a click elsewhere or on Escape, as menus do.
  function closeMenus(except) {
    document.querySelectorAll("details.dropdown[open]").forEach(function (menu) {
      if (menu !== except) menu.open = false;
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest("details.dropdown"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeMenus(null);
  });

  // A profile's section index marks the section being read.
  var index = document.querySelector(".section-index");
  if (index && "IntersectionObserver" in window) {
    var links = {};
    index.querySelectorAll("a[href^='#']").forEach(function (a) {
      links[a.getAttribute("href").slice(1)] = a;
    });
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        index.querySelectorAll("a.current").forEach(function (a) { a.classList.remove("current"); });
        var link = links[entry.target.id];
        if (link) link.classList.add("current");
      });
    }, { rootMargin: "0px 0px -70% 0px" });
    Object.keys(links).forEach(function (id) {
      var heading = document.getElementById(id);
      if (heading) observer.observe(heading);
    });
  }
})();
