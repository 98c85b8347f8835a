"""Text tables and JSON-ready dicts for the topology commands (pure formatting, no I/O)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from netops.tables import render_table
from topology.drift import DriftReport
from topology.paths import PathsResult
from topology.planner import AugmentationPlan, BudgetPlan, RoutePlan
from topology.weak import WeakPoints
from topology.whatif import WhatIfResult


def table(headers: list[str], rows: list[list[str]]) -> str:
    """Left-aligned columns separated by two spaces, a dashed rule under the header; fitted to the
    terminal when the CLI prints to one (:func:`netops.tables.render_table`)."""
    return "\n".join(render_table(headers, rows, rule=True))


def wrap_list(codes: list[str], limit: int = 8) -> str:
    """Codes joined by commas; beyond ``limit`` the first ones and a count of the rest."""
    if len(codes) <= limit:
        return ", ".join(codes) or "-"
    return ", ".join(codes[:limit]) + f" and {len(codes) - limit} more"


def idr(amount: float) -> str:
    """Rupiah with dots between thousands, as written in Indonesia: ``Rp 1.250.000``."""
    return "Rp " + f"{round(amount):,}".replace(",", ".")


def _num(x: float | None, fmt: str = "{:g}") -> str:
    return "-" if x is None else fmt.format(x)


def drift_text(report: DriftReport) -> str:
    parts = [
        f"planned links seen: {len(report.seen_links)}, not seen: {len(report.unseen_links)}, "
        f"unverified (no neighbour data from either end): {len(report.unverified_links)}"
    ]
    if report.unseen_links:
        parts.append("\nPlanned but not seen:\n" + "\n".join(f"  {x}" for x in report.unseen_links))
    if report.unplanned_links:
        rows = [[f"{a[0]}:{a[1]}", f"{b[0]}:{b[1]}"] for a, b in report.unplanned_links]
        parts.append("\nSeen but not planned:\n" + table(["end A", "end B"], rows))
    if report.wrong_ports:
        rows = [[w.link, " / ".join(f"{d}:{i}" for d, i in w.seen)] for w in report.wrong_ports]
        parts.append("\nWrong ports:\n" + table(["planned link", "seen on"], rows))
    if report.unknown_devices:
        rows = [
            [u.name, f"{u.seen_from[0]}:{u.seen_from[1]}", u.remote_port]
            for u in report.unknown_devices
        ]
        parts.append(
            "\nDevices seen that the inventory lacks:\n"
            + table(["neighbour", "seen from", "its port"], rows)
        )
    parts.append("\ndrift found" if report.has_drift else "\nno drift")
    return "\n".join(parts)


def paths_text(res: PathsResult) -> str:
    rows = []
    for code in sorted(res.paths):
        p = res.paths[code]
        if not p.reachable:
            rows.append([code, "-", "-", "-", "-", "-", "-", "-", "CUT OFF"])
            continue
        rows.append(
            [
                code,
                p.device or "-",
                str(p.hops),
                f"{p.length_km:.2f}",
                _num(p.bottleneck_mbps),
                _num(
                    None if p.bottleneck_utilization is None else 100 * p.bottleneck_utilization,
                    "{:.0f}%",
                ),
                _num(p.widest_mbps),
                "+".join(p.media) or "-",
                " > ".join(res.route(code)),
            ]
        )
    headers = ["agency", "device", "hops", "km", "bottleneck Mbps", "util", "widest Mbps"]
    return table([*headers, "media", "route to uplink"], rows)


def paths_json(res: PathsResult) -> dict[str, Any]:
    return {code: {**asdict(p), "route": res.route(code)} for code, p in sorted(res.paths.items())}


def spof_text(wp: WeakPoints) -> str:
    def rows(items: list[Any]) -> list[list[str]]:
        return [
            [
                i.name,
                str(i.agencies),
                f"{i.guaranteed_down_mbps:g}/{i.guaranteed_up_mbps:g}",
                ", ".join(wp.agencies_cut(i)) or "-",
            ]
            for i in items
        ]

    headers = ["", "agencies", "guaranteed down/up Mbps", "cut off"]
    out = [
        f"Single links whose loss cuts agencies off ({len(wp.links)}):",
        table(["link", *headers[1:]], rows(wp.links)),
        "",
        f"Devices whose loss cuts others off ({len(wp.devices)}):",
        table(["device", *headers[1:]], rows(wp.devices)),
        "",
        "Redundancy (edge-disjoint paths to the core):",
    ]
    levels = {0: "0 (cut off)", 1: "1", 2: "2+"}
    for level in (0, 1, 2):
        codes = sorted(c for c, r in wp.redundancy.items() if r == level)
        out.append(f"  {levels[level]}: {len(codes)}" + (f"  {', '.join(codes)}" if codes else ""))
    return "\n".join(out)


def spof_json(wp: WeakPoints) -> dict[str, Any]:
    return {
        "links": [{**asdict(i), "cut_off": wp.agencies_cut(i)} for i in wp.links],
        "devices": [{**asdict(i), "cut_off": wp.agencies_cut(i)} for i in wp.devices],
        "redundancy": dict(sorted(wp.redundancy.items())),
        "already_cut_off": wp.dark,
    }


def whatif_text(res: WhatIfResult) -> str:
    failed = res.failed_links + res.failed_devices
    out = [f"Failed: {', '.join(failed) or 'nothing'}"]
    out.append(
        f"Cut off: {len(res.cut_off)} agencies, {res.lost_guaranteed_down_mbps:g} Mbps guaranteed"
        + (f": {', '.join(res.cut_off)}" if res.cut_off else "")
    )
    if res.already_dark:
        out.append(f"Already cut off before: {', '.join(res.already_dark)}")
    out.append(f"Rerouted: {', '.join(res.rerouted) or 'none'}")
    if res.loads:
        rows = [
            [
                x.link,
                f"{x.capacity_mbps:g}",
                f"{x.load_before_mbps:g}",
                f"{x.load_after_mbps:g}",
                f"{100 * x.utilization:.0f}%" if x.capacity_mbps > 0 else "-",
                "OVERLOAD" if x.overloaded else "",
            ]
            for x in res.loads
        ]
        out += ["", "Links whose load changes (Mbps):"]
        out.append(table(["link", "capacity", "before", "after", "util", ""], rows))
    out.append(f"\n{len(res.overloaded)} link(s) overloaded after failover")
    return "\n".join(out)


def whatif_json(res: WhatIfResult) -> dict[str, Any]:
    d = asdict(res)
    d["loads"] = [
        {**asdict(x), "utilization": x.utilization, "overloaded": x.overloaded} for x in res.loads
    ]
    d["overloaded"] = [x.link for x in res.overloaded]
    return d


def route_plan_text(p: RoutePlan) -> str:
    if not p.segments:
        return f"{p.site} is already on the network (at {p.attach_to})" + (
            f" and protected against single {p.protect[:-1]} failures" if p.protect else ""
        )
    rows = [[s.name, s.a, s.b, f"{s.length_km:.2f}", idr(s.cost_idr)] for s in p.segments]
    if p.protect:
        head = f"Cheapest segments joining {p.site} to the network, protected against any "
        head += f"single {p.protect[:-1]} failure (joins at {p.attach_to}):"
        if not p.protected:
            head += f"\nThese candidates cannot protect {p.site}; this only joins it."
    else:
        head = f"Cheapest route from {p.site} to the network (joins at {p.attach_to}):"
    return (
        head
        + "\n"
        + table(["segment", "from", "to", "km", "cost"], rows)
        + f"\nTotal: {p.length_km:.2f} km, {idr(p.cost_idr)}"
    )


_TARGET = {
    "links": "no single cable cut cuts them off",
    "devices": "no single cable cut or device failure (other than their own device) cuts them off",
}


def augmentation_text(p: AugmentationPlan) -> str:
    rows = [
        [
            s.name,
            s.a,
            s.b,
            f"{s.length_km:.2f}",
            idr(s.cost_idr),
            wrap_list(p.protects.get(s.name, [])),
        ]
        for s in p.segments
    ]
    out = [
        f"Protect {len(p.targets)} agencies so that {_TARGET.get(p.protect, p.protect)}: "
        f"{len(p.already_protected)} already are, {len(p.newly_protected)} become so"
        + (f", {len(p.unprotectable)} cannot with these candidates" if p.unprotectable else ""),
    ]
    if p.segments:
        out.append(table(["segment", "from", "to", "km", "cost", "protects"], rows))
    else:
        out.append("Nothing to build.")
    out.append(f"Total: {len(p.segments)} segments, {p.length_km:.2f} km, {idr(p.cost_idr)}")
    if p.solver == "exact":
        out.append("Answered by: exact MILP (HiGHS), proven optimal")
    elif p.lower_bound_idr > 0 or p.cost_idr == 0:
        out.append(
            f"Answered by: {p.method} (the exact solver ran out of time): at most "
            f"{100 * p.gap:.1f}% above the optimum (best lower bound {idr(p.lower_bound_idr)})"
        )
    else:
        out.append(f"Answered by: {p.method}; no lower bound (the exact solver did not run)")
    if p.networkx_cost_idr is not None:
        out.append(
            f"networkx k_edge_augmentation on the same problem: {idr(p.networkx_cost_idr)}"
            + ("" if p.networkx_protects_all else " (protects fewer agencies: not comparable)")
        )
    if p.unprotectable:
        out.append(f"Cannot be protected with these candidates: {wrap_list(p.unprotectable)}")
    return "\n".join(out)


def budget_text(p: BudgetPlan) -> str:
    rows = [
        [
            str(i + 1),
            ", ".join(s.name for s in st.segments),
            idr(st.cost_idr),
            idr(st.cumulative_cost_idr),
            f"{st.protected_mbps:g}",
            ", ".join(st.newly_protected),
        ]
        for i, st in enumerate(p.steps)
    ]
    return (
        f"Budget {idr(p.budget_idr)}: build in this order\n"
        + table(["#", "segments", "cost", "cumulative", "protected Mbps", "newly protected"], rows)
        + f"\nProtected guaranteed Mbps: {p.protected_before_mbps:g} -> "
        f"{p.protected_after_mbps:g}, spent {idr(p.spent_idr)}"
    )
