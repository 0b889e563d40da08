// Phones see the filters folded above the results; wide screens always show them.
// Without JavaScript the panel simply stays open.
(function () {
  "use strict";
  var panel = document.querySelector(".facets-panel");
  if (!panel || !window.matchMedia) return;
  var narrow = window.matchMedia("(max-width: 760px)");
  function sync() {
    if (narrow.matches) panel.removeAttribute("open");
    else panel.setAttribute("open", "");
  }
  sync();
  if (narrow.addEventListener) narrow.addEventListener("change", sync);
})();
