// Extraction pages: the comparison's "differences only" filter, and picking "Edit" when an
// edited value is typed. Loaded with defer; no inline scripts (CSP).
(function () {
  "use strict";

  function applyFilter(box) {
    var table = document.getElementById("compare-table");
    if (!table) return;
    table.classList.toggle("differences-only", box.checked);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-compare-filter]")) applyFilter(event.target);
  });

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (!target.matches("[data-edit-for]")) return;
    var radio = document.getElementById(target.getAttribute("data-edit-for"));
    if (radio && target.value !== "") radio.checked = true;
  });
})();
