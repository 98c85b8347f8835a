"""A picture of the intranet: devices at their sites' coordinates, links coloured by medium and
drawn wider (and red-edged above 80 %) with utilization.  matplotlib is imported lazily, with the
Agg backend, so nothing needs a display and importing this module costs nothing."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from netops.errors import TopologyError
from topology.model import TopologyModel

MEDIUM_COLOURS = {
    "fiber": "#1f77b4",
    "wireless": "#ff7f0e",
    "copper": "#8c564b",
    "unknown": "#7f7f7f",
}
BUSY_FRACTION = 0.8
"""Links at or above this utilization get a red outline."""


def layout(model: TopologyModel) -> dict[str, tuple[float, float]]:
    """``device -> (x=longitude, y=latitude)``; devices sharing a site sit on a small circle
    around it (radius ~150 m) so they stay distinguishable."""
    by_site: dict[tuple[float, float], list[str]] = {}
    for dev in sorted(model.graph.nodes):
        xy = model.coordinates.get(dev)
        if xy is not None:
            by_site.setdefault(xy, []).append(dev)
    pos: dict[str, tuple[float, float]] = {}
    for (lat, lon), devs in by_site.items():
        r = 0.0 if len(devs) == 1 else 0.0015
        for i, dev in enumerate(devs):
            a = 2 * math.pi * i / len(devs)
            pos[dev] = (lon + r * math.cos(a), lat + r * math.sin(a))
    if len(pos) < len(model.graph):
        # Devices with no coordinates go on a row under the map rather than vanish.
        xs = [p[0] for p in pos.values()] or [0.0]
        ys = [p[1] for p in pos.values()] or [0.0]
        missing = sorted(d for d in model.graph.nodes if d not in pos)
        step = (max(xs) - min(xs) or 1.0) / max(len(missing), 1)
        for i, dev in enumerate(missing):
            pos[dev] = (min(xs) + i * step, min(ys) - 0.01)
    return pos


Box = tuple[tuple[float, float], tuple[float, float]]
CORE_RADIUS_DEG = 0.035
"""About 4 km around the uplink device: the town core that the inset enlarges."""


def _dense_core(model: TopologyModel, pos: dict[str, tuple[float, float]]) -> Box | None:
    """The box around the uplink devices' town core when it is crowded and much smaller than the
    whole map (at least 8 devices, a fifth of the map's span or less); else None."""
    roots = [pos[d] for d in model.uplink_devices if d in pos]
    if not roots or len(pos) < 8:
        return None
    cx, cy = roots[0]
    near = [(x, y) for x, y in pos.values() if math.hypot(x - cx, y - cy) <= CORE_RADIUS_DEG]
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys))
    if len(near) < 8 or span < 5 * CORE_RADIUS_DEG:
        return None
    pad = 0.003
    nx_, ny_ = [p[0] for p in near], [p[1] for p in near]
    return ((min(nx_) - pad, max(nx_) + pad), (min(ny_) - pad, max(ny_) + pad))


def _inside(box: Box | None, x: float, y: float, default: bool) -> bool:
    if box is None:
        return default
    return box[0][0] <= x <= box[0][1] and box[1][0] <= y <= box[1][1]


def _draw(
    ax: Any,
    model: TopologyModel,
    pos: dict[str, tuple[float, float]],
    label_size: int,
    label: Callable[[float, float], bool],
) -> None:
    """Links (colour = medium, width = utilization, red outline when busy), devices (star =
    uplink, square = serves an agency) and the names of the sites for which ``label(x, y)``."""
    for u, v, d in model.graph.edges(data=True):
        (x1, y1), (x2, y2) = pos[u], pos[v]
        util = d.get("utilization_bps", 0.0) / (d["capacity_mbps"] * 1e6)
        width = 1.0 + 6.0 * min(util, 1.0)
        if util >= BUSY_FRACTION:
            ax.plot([x1, x2], [y1, y2], color="#d62728", lw=width + 3, zorder=1)
        style = "-" if d.get("planned", True) else ":"
        if d.get("seen") is False:
            style = "--"
        colour = MEDIUM_COLOURS.get(d.get("medium", "unknown"), MEDIUM_COLOURS["unknown"])
        ax.plot([x1, x2], [y1, y2], style, color=colour, lw=width, zorder=2)
    uplinks = set(model.uplink_devices)
    hosts = {d for a in model.agencies.values() for d in a.devices}
    for dev, (x, y) in pos.items():
        marker = "*" if dev in uplinks else ("s" if dev in hosts else "o")
        ax.scatter([x], [y], s=140 if dev in uplinks else 30, marker=marker, c="black", zorder=3)
    for site, (lat, lon) in model.site_coordinates.items():
        if label(lon, lat):
            ax.annotate(
                site, (lon, lat), fontsize=label_size, xytext=(3, 3), textcoords="offset points"
            )


def render(model: TopologyModel, out: Path, title: str = "") -> Path:
    """Draw the model to ``out`` (``.svg`` or ``.png``); return the path written.

    Raises :class:`TopologyError` for another file type or an unwritable path.
    """
    suffix = out.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise TopologyError(f"{out}: can only render .svg or .png")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    pos = layout(model)
    fig, ax = plt.subplots(figsize=(12, 9))
    try:
        zoom = _dense_core(model, pos)
        # With an inset, the town's site names are written there, not over each other here.
        _draw(ax, model, pos, label_size=6, label=lambda x, y: not _inside(zoom, x, y, False))
        if zoom is not None:
            # The town's ring and spurs sit within a few km of the data center while the radio
            # links reach 50 km: show that core again, enlarged, in a corner.
            inset = ax.inset_axes((0.01, 0.5, 0.45, 0.45))
            _draw(inset, model, pos, label_size=5, label=lambda x, y: _inside(zoom, x, y, True))
            (x0, x1), (y0, y1) = zoom
            inset.set_xlim(x0, x1)
            inset.set_ylim(y0, y1)
            inset.set_xticks([])
            inset.set_yticks([])
            inset.set_aspect("equal", adjustable="box")
            ax.indicate_inset_zoom(inset, edgecolor="grey")
        legend = [Line2D([0], [0], color=c, lw=2, label=m) for m, c in MEDIUM_COLOURS.items()] + [
            Line2D([0], [0], color="#d62728", lw=5, label=f">= {BUSY_FRACTION:.0%} utilized"),
            Line2D([0], [0], color="grey", ls="--", label="planned, not seen"),
            Line2D([0], [0], color="grey", ls=":", label="seen, not planned"),
        ]
        ax.legend(handles=legend, loc="best", fontsize=8)
        ax.set_xlabel("longitude")
        ax.set_ylabel("latitude")
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_title(title or "netops topology (width = utilization)")
        try:
            fig.savefig(out, format=suffix[1:], dpi=150 if suffix == ".png" else None)
        except OSError as exc:
            raise TopologyError(f"cannot write {out}: {exc}") from None
    finally:
        plt.close(fig)
    return out
