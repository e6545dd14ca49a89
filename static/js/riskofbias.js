// Risk-of-bias plots: draw each figure from the JSON data block named by data-rob-figure
// (CSP forbids inline scripts, so the figure travels as <script type="application/json">).
(function () {
  "use strict";

  function draw(container) {
    var source = document.getElementById(container.dataset.robFigure);
    if (!source || typeof Plotly === "undefined") {
      return;
    }
    var figure = JSON.parse(source.textContent);
    var layout = Object.assign({}, figure.layout, { autosize: true });
    delete layout.width;
    Plotly.newPlot(container, figure.data, layout, {
      responsive: true,
      displaylogo: false,
      toImageButtonOptions: { format: "svg" },
    }).then(function () {
      container.dataset.robDrawn = "true";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-rob-figure]").forEach(draw);
  });
})();
