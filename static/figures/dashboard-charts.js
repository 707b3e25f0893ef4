/*
 * The dashboard's charts (templates/figures/dashboard.html), drawn with the vendored
 * Chart.js (static/vendor/chartjs/) from the JSON the page carries: the same numbers as
 * the tables beside them, which stay the charts' text alternative. A chart that cannot be
 * drawn leaves its table, so the page reads the same without JavaScript.
 */
(function () {
  "use strict";

  // Colours with at least 3:1 contrast on white (WCAG 1.4.11); the legend and the tables
  // tell the bars apart in words, never by colour alone.
  var COLOURS = ["#1d4ed8", "#b45309", "#047857"];

  function readData() {
    var element = document.getElementById("dashboard-chart-data");
    if (!element) return null;
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  function options(spec, horizontal) {
    var reduceMotion = window.matchMedia &&
      window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var valueAxis = {
      beginAtZero: true,
      title: { display: true, text: spec.y_title },
      ticks: { precision: 0 },
    };
    return {
      locale: document.documentElement.lang || undefined,
      responsive: true,
      maintainAspectRatio: false,
      animation: reduceMotion ? false : { duration: 300 },
      indexAxis: horizontal ? "y" : "x",
      plugins: { legend: { display: spec.datasets.length > 1 } },
      scales: horizontal ? { x: valueAxis } : { y: valueAxis },
    };
  }

  function draw(canvas, spec) {
    var horizontal = canvas.dataset.chart === "statuses";
    var datasets = spec.datasets.map(function (dataset, index) {
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: COLOURS[index % COLOURS.length],
        borderColor: COLOURS[index % COLOURS.length],
        borderWidth: 1,
      };
    });
    // eslint-disable-next-line no-new
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: options(spec, horizontal),
    });
    canvas.dataset.drawn = "true";
  }

  function start() {
    var data = readData();
    if (!data || typeof window.Chart !== "function") return;
    var canvases = document.querySelectorAll("canvas[data-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var spec = data[canvas.dataset.chart];
      if (spec) draw(canvas, spec);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
