"""Plain-language text for planners: a diff as a one-line summary and one line per queue (both
directions together), instead of one machine line per direction.

``QueueDiff.text()`` (one ``+ a:rsud down ...`` line per entry) stays the audit and JSON form;
this module is what ``netops bandwidth diff/apply/drift`` print for people.  Rates are shown in
Mbit/s as ``guaranteed/maximum``.  Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from netops.bandwidth.diff import Change, QueueDiff
from netops.bandwidth.enforce import ApplyResult
from netops.bandwidth.entries import QueueEntry
from netops.bandwidth.plan import BandwidthPlan, Direction, PlanNode
from netops.bandwidth.shares import ShareTable
from netops.tables import render_table

_VERBS = {
    "add": "add",
    "change": "change",
    "remove": "remove",
    "foreign": "leave alone (not created by netops)",
}
_FIELD = {
    "rate_bps": "guaranteed",
    "ceil_bps": "maximum",
    "prio": "prio",
    "parent": "parent",
    "subnets": "subnets",
}
_KIND_PLURAL = {
    "uplink": "uplink",
    "group": "groups",
    "agency": "agencies",
    "marks": "agencies' mangle marks",
    "simple queue": "old simple queues",
    "tree queue": "old tree queues",
    "old marks": "agencies' old mangle marks",
    "queue": "queues",
}


def kind_and_name(key: str) -> tuple[str, str]:
    """``a:rsud`` -> ("agency", "rsud"); ``root`` -> ("uplink", "uplink"); ``m:rsud`` ->
    ("marks", "rsud"); ``simple:a:rsud`` -> ("simple queue", "a:rsud"); ``x:tamu`` ->
    ("queue", "tamu")."""
    if key == "root":
        return "uplink", "uplink"
    if key.startswith("tree:m:"):
        return "old marks", key[len("tree:m:") :]
    head, _, rest = key.partition(":")
    if head == "tree":
        return "tree queue", rest
    kinds = {
        "a": "agency",
        "g": "group",
        "m": "marks",
        "simple": "simple queue",
        "x": "queue",
    }
    return kinds.get(head, head), rest


def _mbps(bps: int) -> str:
    return f"{bps / 1e6:g}"


def _subnets(e: QueueEntry) -> str:
    return " ".join(str(s) for s in e.subnets) or "none"


def _parent(parent: str | None) -> str:
    if parent is None:
        return "-"
    kind, name = kind_and_name(parent)
    return name if kind in ("group", "uplink") else parent


def _entry_text(by_dir: Mapping[Direction, QueueEntry]) -> str:
    """``down 200/500, up 100/300 Mbps, prio 1, in layanan-publik, subnets ...``"""
    any_e = next(iter(by_dir.values()))
    kind, _ = kind_and_name(any_e.key)
    if kind == "marks":
        return f"subnets {_subnets(any_e)}"
    rates = ", ".join(
        f"{d} {_mbps(e.rate_bps)}/{_mbps(e.ceil_bps)}" for d, e in sorted(by_dir.items())
    )
    parts = [f"{rates} Mbps"]
    if any_e.prio and kind == "agency":
        parts.append(f"prio {any_e.prio}")
    if any_e.parent and kind not in ("uplink",):
        parts.append(f"in {_parent(any_e.parent)}")
    if kind == "agency" and any_e.subnets:
        parts.append(f"subnets {_subnets(any_e)}")
    return ", ".join(parts)


def _value(e: QueueEntry, field: str) -> str:
    if field in ("rate_bps", "ceil_bps"):
        return _mbps(getattr(e, field))
    if field == "subnets":
        return _subnets(e)
    if field == "parent":
        return _parent(e.parent)
    return str(getattr(e, field))


def _change_text(changes: list[Change]) -> str:
    parts = []
    for c in changes:
        assert c.desired is not None and c.actual is not None
        fields = "; ".join(
            f"{_FIELD.get(f, f)} {_value(c.actual, f)} -> {_value(c.desired, f)}"
            + (" Mbps" if f in ("rate_bps", "ceil_bps") else "")
            for f in c.fields
        )
        parts.append(f"{c.entry.direction} {fields}")
    return ", ".join(parts)


def _grouped(diff: QueueDiff) -> list[tuple[str, str, list[Change]]]:
    """(op, key, changes of that key and op) in first-seen order."""
    order: dict[tuple[str, str], list[Change]] = {}
    for c in diff.changes:
        order.setdefault((c.op, c.entry.key), []).append(c)
    return [(op, key, cs) for (op, key), cs in order.items()]


def diff_lines(diff: QueueDiff) -> list[str]:
    """One line per queue and kind of change, both directions together, e.g.
    ``+ agency rsud: down 200/500, up 100/300 Mbps, prio 1, in layanan-publik, subnets ...``,
    ``~ agency rsud: down maximum 180 -> 500 Mbps``,
    ``- queue tamu (not created by netops; left alone): down 0/1 Mbps``."""
    out = []
    for op, key, changes in _grouped(diff):
        kind, name = kind_and_name(key)
        label = f"{kind} {name}" if kind != "uplink" else "uplink"
        if op == "change":
            out.append(f"~ {label}: {_change_text(changes)}")
            continue
        by_dir = {c.entry.direction: c.entry for c in changes}
        sign = "+" if op == "add" else "-"
        note = " (not created by netops; left alone)" if op == "foreign" else ""
        out.append(f"{sign} {label}{note}: {_entry_text(by_dir)}")
    return out


def _names(kind: str, names: list[str]) -> str:
    if kind == "uplink":
        return "uplink"
    if len(names) == 1:
        return f"{kind} {names[0]}"
    plural = _KIND_PLURAL.get(kind, kind + "s")
    if len(names) <= 4:
        return f"{len(names)} {plural} ({', '.join(names)})"
    return f"{len(names)} {plural}"


def diff_summary(diff: QueueDiff) -> str:
    """``core-dc: 92 changes: add uplink, 4 groups, 41 agencies`` or ``core-dc: in sync with the
    plan``; foreign queues are mentioned as left alone."""
    if not diff.changes:
        return f"{diff.device}: in sync with the plan"
    parts = []
    for op in ("add", "change", "remove", "foreign"):
        by_kind: dict[str, list[str]] = {}
        for c in diff.changes:
            if c.op == op:
                kind, name = kind_and_name(c.entry.key)
                names = by_kind.setdefault(kind, [])
                if name not in names:
                    names.append(name)
        if by_kind:
            parts.append(f"{_VERBS[op]} " + ", ".join(_names(k, v) for k, v in by_kind.items()))
    n = len(diff.actionable)
    head = f"{diff.device}: {n} change{'s' if n != 1 else ''}" if n else f"{diff.device}: in sync"
    return f"{head}: " + "; ".join(parts)


def indent(lines: Iterable[str], prefix: str = "  ") -> str:
    return "\n".join(prefix + ln for ln in lines)


def usage_lines(
    agencies: list[dict[str, Any]], reallocation: list[dict[str, Any]], uplink_mbps: float
) -> list[str]:
    """Footer of one direction's usage table: where the numbers came from, then the suggested
    guarantees that differ from today's (``agencies``/``reallocation`` as in ``usage --json``)."""
    sources: dict[str, list[str]] = {}
    for a in agencies:
        sources.setdefault(a["source"] or "nothing measured", []).append(a["code"])
    parts = []
    for source, codes in sources.items():
        n = len(codes)
        who = ", ".join(codes) if n <= 3 else f"{n} agencies"
        parts.append(f"{source} ({who})")
    out = ["measured from: " + "; ".join(parts)]
    moves = [r for r in reallocation if abs(r["suggested_mbps"] - r["guaranteed_mbps"]) >= 0.1]
    if not moves:
        out.append("re-allocation: none suggested (every guarantee fits its use)")
        return out
    total = sum(r["suggested_mbps"] for r in reallocation)
    out.append(
        f"suggested guarantees (1.2 x p95 within the maximum; total {total:g} of "
        f"{uplink_mbps:g} Mbps):"
    )
    out.extend(
        f"  {r['code']}: {r['guaranteed_mbps']:g} -> {r['suggested_mbps']:g} Mbps" for r in moves
    )
    return out


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """Left-aligned columns two spaces apart, header first; fitted to the terminal when the CLI
    prints to one (:func:`netops.tables.render_table`)."""
    return render_table(headers, rows)


def _m(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"


def plan_lines(p: BandwidthPlan) -> list[str]:
    """The plan as an indented tree: uplink, groups, agencies (guaranteed/maximum Mbps)."""

    def line(n: PlanNode, pad: str) -> str:
        boost = " [boost]" if n.boosted else ""
        prio = f" prio {n.priority}" if n.kind == "agency" else ""
        return (
            f"{pad}{n.code}{boost}: down {_m(n.guaranteed_down_mbps)}/"
            f"{_m(n.maximum_down_mbps)} up {_m(n.guaranteed_up_mbps)}/"
            f"{_m(n.maximum_up_mbps)} Mbps{prio}"
        )

    out = [line(p.root, "") + " (guaranteed/maximum)"]
    for g in p.groups:
        out.append(line(g, "  "))
        for a in p.children(g.key):
            out.append(
                line(a, "    ") + (f"  {', '.join(map(str, a.subnets))}" if a.subnets else "")
            )
    out += [line(a, "  ? ") for a in p.children("root") if a.kind == "agency"]
    return out


def shares_lines(tables: list[ShareTable], *, measured: bool) -> list[str]:
    """``netops bandwidth shares`` text: per direction a header and a table (Mbit/s)."""
    out = []
    if not measured:
        out.append(
            "No demand given: 'getting now' assumes every agency wants its maximum "
            "(--from-db uses measured rates, --demand FILE yours)."
        )
    for t in tables:
        out.append(
            f"{t.direction}: uplink {t.uplink_mbps:g} Mbps, in use now {t.total_now_mbps:.1f}"
            + (" (OVERSUBSCRIBED)" if t.oversubscribed else "")
        )
        headers = ["agency", "group", "prio", "promised g/max", "demand", "getting now"]
        out += table(
            [*headers, "at full contention"],
            [
                [
                    r.code,
                    r.group,
                    str(r.priority),
                    f"{r.guaranteed_mbps:g}/{r.maximum_mbps:g}",
                    "-" if r.demand_mbps is None else f"{r.demand_mbps:.1f}",
                    f"{r.getting_now_mbps:.1f}",
                    f"{r.full_contention_mbps:.1f}",
                ]
                for r in t.rows
            ],
        )
        out.append("")
    return out


def usage_headers(period: str) -> list[str]:
    return [
        "agency",
        "guaranteed/max Mbps",
        "now",
        "p95",
        f"volume/{period} GB",
        "min at cap",
        "status",
    ]


def usage_rows(agencies: list[dict[str, Any]]) -> list[list[str]]:
    """Rows of the usage table from ``usage --json``'s agency dicts (bit/s, octets)."""
    return [
        [
            r["code"],
            f"{r['guaranteed_bps'] / 1e6:g}/{r['maximum_bps'] / 1e6:g}",
            f"{r['current_bps'] / 1e6:.1f}",
            f"{r['p95_bps'] / 1e6:.1f}",
            f"{r['volume_octets'] / 1e9:.2f}",
            f"{r['minutes_at_cap']:.0f}",
            r["status"],
        ]
        for r in agencies
    ]


def apply_result_line(res: ApplyResult, dry_run: bool, show_commands: bool) -> str:
    """The last line of ``apply``: what happened, in words, with the command count."""
    n = len(res.commands)
    hint = "" if show_commands or not n else " (-v lists them)"
    if res.result == "dry-run":
        return f"result: dry-run: {n} command(s) would be sent, nothing was sent{hint}"
    if res.result == "applied":
        return f"result: applied: {n} command(s) sent, read back and verified{hint}"
    if res.result == "no-change":
        return "result: no-change: the device already matches the plan"
    what = {
        "rolled-back": f"rolled back with {len(res.rollback_commands)} command(s), "
        "previous queues verified",
        "rollback-failed": "ROLLBACK FAILED: check the device by hand",
        "failed": "nothing was changed",
    }.get(res.result, "")
    return f"result: {res.result}: {what} ({res.error}){hint}"
