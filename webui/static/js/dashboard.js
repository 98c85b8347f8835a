// The dashboard refreshes itself: every data-refresh-s seconds it fetches data.json, swaps the
// server-rendered (escaped, translated) sections and redraws the uplink charts with plotly.
"use strict";
(() => {
  const root = document.getElementById("dashboard");
  const initial = document.getElementById("dashboard-charts");
  if (!root || !initial) return;
  const { labels } = JSON.parse(initial.textContent);

  function draw(charts) {
    charts.forEach((c, i) => {
      const el = document.getElementById(`uplink-chart-${i}`);
      if (!el || typeof Plotly === "undefined") return;
      const traces = [
        { x: c.t, y: c.down, name: labels.down, type: "scatter", mode: "lines" },
        { x: c.t, y: c.up, name: labels.up, type: "scatter", mode: "lines" },
      ];
      const layout = {
        title: { text: c.name },
        yaxis: { title: { text: labels.percent }, range: [0, 105] },
        margin: { t: 40, r: 10, b: 40, l: 50 },
        shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: 80, y1: 80,
                   line: { dash: "dot", width: 1, color: "#dc3545" } }],
      };
      Plotly.react(el, traces, layout, { displayModeBar: false, responsive: true });
      el.dataset.rendered = "1";
    });
  }

  async function refresh() {
    try {
      const resp = await fetch(root.dataset.url, { headers: { Accept: "application/json" },
                                                    credentials: "same-origin" });
      if (!resp.ok) return;
      const data = await resp.json();
      for (const [name, html] of Object.entries(data.sections)) {
        const el = document.getElementById(`section-${name}`);
        if (el) el.innerHTML = html; // rendered and escaped by the server's templates
      }
      draw(data.charts);
      const stamp = document.getElementById("dashboard-updated");
      if (stamp) stamp.dataset.refreshedAt = data.at;
      root.dataset.refreshes = String(Number(root.dataset.refreshes || 0) + 1);
    } catch (err) {
      console.warn("dashboard refresh failed", err);
    }
  }

  draw(JSON.parse(initial.textContent).charts);
  const every = Number(root.dataset.refreshS || 30) * 1000;
  window.setInterval(refresh, every);
  root.addEventListener("netops:refresh", refresh);
})();
