// The map's panel: the count and the names of a place, shown on hover or focus; on a
// touch screen the first tap on a place shows them and the second opens the directory.
// Without this script every place is still a link with its count and names as title.
(function () {
  "use strict";
  document.querySelectorAll("[data-map]").forEach(function (figure) {
    var info = figure.querySelector(".map-info");
    if (!info) return;
    var heading = info.querySelector(".map-info-heading");
    var names = info.querySelector(".map-info-names");
    var link = info.querySelector(".map-info-link");
    var pointer = "mouse";
    var shown = null;
    var tapped = null; // the place a first tap showed: the next tap on it follows the link
    function show(place) {
      if (shown) shown.classList.remove("active");
      shown = place;
      place.classList.add("active");
      heading.textContent = place.dataset.heading;
      names.replaceChildren();
      var listed = place.dataset.names ? place.dataset.names.split("|") : [];
      if (place.dataset.more) listed.push(place.dataset.more);
      listed.forEach(function (name) {
        var item = document.createElement("li");
        item.textContent = name;
        names.appendChild(item);
      });
      link.setAttribute("href", place.getAttribute("href"));
      info.hidden = false;
    }
    figure.addEventListener("pointerdown", function (event) { pointer = event.pointerType; });
    figure.addEventListener("touchstart", function () { pointer = "touch"; }, { passive: true });
    figure.querySelectorAll("a.place").forEach(function (place) {
      place.addEventListener("mouseenter", function () { show(place); });
      place.addEventListener("focus", function () { show(place); });
      // A tap also sends mouseenter and focus before its click: only a tap counts here.
      place.addEventListener("click", function (event) {
        if (pointer === "touch" && tapped !== place) {
          event.preventDefault();
          tapped = place;
          show(place);
        }
      });
    });
  });
})();
