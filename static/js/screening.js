// Screening keyboard: I include, E exclude, U unsure, N note, Z undo, ← previous, → next.
// Decisions go through htmx; while the request runs, the prefetched next record is shown.
(function () {
  "use strict";

  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
      target.tagName === "SELECT" || target.isContentEditable);
  }

  function click(id) {
    var el = document.getElementById(id);
    if (el && !el.disabled) { el.click(); return true; }
    return false;
  }

  function decide(verdict) {
    var form = document.getElementById("decision-form");
    if (!form || form.dataset.busy === "1") { return; }
    if (verdict === "exclude") {
      var reason = document.getElementById("id_reason");
      if (reason && !reason.value) {
        reason.focus();
        showError("Choose an exclusion reason, then press E again.");
        return;
      }
    }
    click("btn-" + verdict);
  }

  function showError(text) {
    var area = document.getElementById("screen-area");
    var box = document.getElementById("screen-error");
    if (!box) {
      box = document.createElement("div");
      box.id = "screen-error";
      box.className = "alert alert-warning";
      box.setAttribute("role", "alert");
      area.prepend(box);
    }
    box.textContent = text;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    var key = event.key.toLowerCase();
    var handled = true;
    if (key === "i") { decide("include"); }
    else if (key === "e") { decide("exclude"); }
    else if (key === "u") { decide("unsure"); }
    else if (key === "n") { var note = document.getElementById("id_note"); if (note) { note.focus(); } }
    else if (key === "z") { click("btn-undo"); }
    else if (event.key === "ArrowLeft") { click("prev-link"); }
    else if (event.key === "ArrowRight") { click("next-link"); }
    else { handled = false; }
    if (handled) { event.preventDefault(); }
  });

  // Show the prefetched record at once; the server's answer replaces the area a moment later.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = document.getElementById("decision-form");
    if (!form || event.detail.elt !== form) { return; }
    form.dataset.busy = "1";
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    var next = document.getElementById("prefetched-record");
    var current = document.getElementById("current-record");
    if (next && current) {
      current.innerHTML = next.innerHTML;
      current.dataset.item = next.dataset.item;
    }
    current && current.setAttribute("aria-busy", "true");
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "screen-area") {
      var main = document.getElementById("current-record");
      if (main) { main.removeAttribute("aria-busy"); }
    }
  });
})();
