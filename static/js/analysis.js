// Render the plotly figures whose JSON the page embeds (CSP: no inline scripts); the server
// draws the SVG and PNG downloads.
(function () {
  "use strict";

  function renderFigures(root) {
    if (typeof window.Plotly === "undefined") {
      return;
    }
    root.querySelectorAll(".plotly-figure[data-figure]").forEach(function (el) {
      if (el.dataset.rendered) {
        return;
      }
      var source = document.getElementById(el.dataset.figure);
      if (!source) {
        return;
      }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(el, figure.data, figure.layout, { responsive: true, displaylogo: false })
        .then(function () {
          el.dataset.rendered = "1";
        });
    });
  }

  // When the run's progress fragment stops polling, offer the fresh results (the list of
  // analyses on the page was rendered before the run).
  function onSwap(event) {
    var status = document.getElementById("run-status");
    if (!status || !status.contains(event.target)) {
      return;
    }
    var job = status.querySelector(".job-status");
    if (!job || job.hasAttribute("hx-get") || status.querySelector(".run-finished")) {
      return;
    }
    var link = document.createElement("a");
    link.className = "run-finished btn btn-sm btn-success mt-2";
    link.href = window.location.pathname;
    link.textContent = "Show the updated results";
    status.appendChild(link);
    link.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    renderFigures(document);
    document.body.addEventListener("htmx:afterSettle", onSwap);
  });
})();
