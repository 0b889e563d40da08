// Phones see the filters and the date range folded; wide screens always show them.
// Without JavaScript both stay as the page sent them (filters open, dates open when set).
(function () {
  "use strict";
  if (!window.matchMedia) return;
  var narrow = window.matchMedia("(max-width: 760px)");
  var facets = document.querySelector(".facets-panel");
  var dates = document.querySelector(".search-form__dates-panel");
  var datesSet = dates && dates.hasAttribute("open");
  function sync() {
    if (facets) {
      if (narrow.matches) facets.removeAttribute("open");
      else facets.setAttribute("open", "");
    }
    if (dates) {
      if (narrow.matches && !datesSet) dates.removeAttribute("open");
      else dates.setAttribute("open", "");
    }
  }
  sync();
  if (narrow.addEventListener) narrow.addEventListener("change", sync);
})();
