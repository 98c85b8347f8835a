// The agency usage chart: measured download and upload with the guaranteed and maximum lines,
// drawn with plotly.js (served by the app) from the page's JSON route.
"use strict";
(function () {
  const el = document.getElementById("usage-chart");
  if (!el || typeof Plotly === "undefined") {
    return;
  }
  const d = el.dataset;
  // Times come as ISO 8601 in WITA (+08:00); plotly draws a zone-less string as it reads, so
  // dropping the offset shows WITA clock times whatever the browser's own zone.
  const wita = (t) => t.substring(0, 19);
  const times = (block) => block.t.map(wita);
  const line = (name, x0, x1, y, dash, color) => ({
    x: [x0, x1], y: [y, y], name, mode: "lines", hoverinfo: "name+y",
    line: { dash, color, width: 2 },
  });
  fetch(d.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.json();
    })
    .then((data) => {
      const x0 = wita(data.since);
      const x1 = wita(data.until);
      const traces = [
        { x: times(data.down), y: data.down.mbps, name: d.labelDown, mode: "lines",
          line: { color: "#0d6efd" }, fill: "tozeroy" },
        { x: times(data.up), y: data.up.mbps, name: d.labelUp, mode: "lines",
          line: { color: "#20c997" } },
        line(d.labelGuaranteed + " (" + d.labelDown + ")", x0, x1, data.guaranteed_down_mbps, "dash", "#198754"),
        line(d.labelMaximum + " (" + d.labelDown + ")", x0, x1, data.maximum_down_mbps, "dot", "#dc3545"),
      ];
      const layout = {
        margin: { t: 10, r: 10, b: 60, l: 60 },
        separators: d.lang === "id" ? ",." : ".,",
        yaxis: { title: { text: "Mbps" }, rangemode: "tozero" },
        xaxis: {
          range: [x0, x1],
          tickformat: d.lang === "id" ? "%H.%M<br>%-d/%-m/%Y" : "%H:%M<br>%b %-d, %Y",
          hoverformat: d.lang === "id" ? "%-d/%-m/%Y %H.%M WITA" : "%b %-d, %Y %H:%M WITA",
        },
        legend: { orientation: "h" },
        annotations: data.down.mbps.length ? [] : [
          { text: d.labelEmpty, showarrow: false, xref: "paper", yref: "paper", x: 0.5, y: 0.5 },
        ],
      };
      Plotly.newPlot(el, traces, layout, { displaylogo: false, responsive: true });
      el.dataset.rendered = "1";
    })
    .catch(() => {
      el.textContent = d.labelError;
      el.dataset.rendered = "error";
    });
})();
