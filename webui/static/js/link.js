// One link's utilization history (percent of capacity, both directions) with plotly.
"use strict";
(() => {
  const el = document.getElementById("link-chart");
  const data = document.getElementById("link-chart-data");
  if (!el || !data || typeof Plotly === "undefined") return;
  const c = JSON.parse(data.textContent);
  Plotly.newPlot(el, [
    { x: c.t, y: c.ab, name: c.labels.ab, type: "scatter", mode: "lines" },
    { x: c.t, y: c.ba, name: c.labels.ba, type: "scatter", mode: "lines" },
  ], {
    yaxis: { title: { text: c.labels.percent }, rangemode: "tozero" },
    margin: { t: 20, r: 10, b: 40, l: 50 },
  }, { displayModeBar: false, responsive: true });
  el.dataset.rendered = "1";
})();
