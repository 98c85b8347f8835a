"""The bandwidth plan: uplink -> groups -> agencies, with HTB semantics.

Each node carries guaranteed (HTB ``rate``) and maximum (HTB ``ceil``) Mbit/s for download and
upload and a priority 1 (highest) .. 8.  The plan is built from the inventory at a moment in time so
that active boosts raise maxima.  :func:`validate_plan` reports every inconsistency with numbers.
Pure: no I/O.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from netops.bandwidth.boosts import active_boosts, active_quota
from netops.errors import PlanError, Problem
from netops.inventory.schema import Inventory, Quota
from netops.naming import DIRECTIONS, ROOT_KEY, Direction


def group_key(name: str) -> str:
    return f"g:{name}"


def agency_key(code: str) -> str:
    return f"a:{code}"


@dataclass(frozen=True)
class PlanNode:
    """One class of the HTB tree: the uplink root, a group, or an agency (leaf).

    ``key`` is platform-neutral: ``root``, ``g:<group>``, ``a:<agency code>``.  Rates are Mbit/s.
    ``label`` is free text for people (an agency name) and is never trusted by renderers.
    """

    key: str
    kind: Literal["uplink", "group", "agency"]
    code: str
    label: str
    parent: str | None
    guaranteed_down_mbps: float
    maximum_down_mbps: float
    guaranteed_up_mbps: float
    maximum_up_mbps: float
    priority: int = 4
    subnets: tuple[ipaddress.IPv4Network, ...] = ()
    boosted: bool = False
    path: tuple[str | int, ...] = ()

    def guaranteed_mbps(self, direction: Direction) -> float:
        return self.guaranteed_down_mbps if direction == "down" else self.guaranteed_up_mbps

    def maximum_mbps(self, direction: Direction) -> float:
        return self.maximum_down_mbps if direction == "down" else self.maximum_up_mbps


@dataclass(frozen=True)
class BandwidthPlan:
    """The whole tree at one moment; ``root`` is the uplink (sum of all uplinks)."""

    root: PlanNode
    groups: tuple[PlanNode, ...]
    agencies: tuple[PlanNode, ...]
    cost_idr_per_month: int = 0
    at: datetime | None = None
    _children: dict[str, tuple[PlanNode, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        kids: dict[str, list[PlanNode]] = {}
        for n in (*self.groups, *self.agencies):
            if n.parent is not None:
                kids.setdefault(n.parent, []).append(n)
        self._children.update({k: tuple(v) for k, v in kids.items()})

    def children(self, key: str) -> tuple[PlanNode, ...]:
        return self._children.get(key, ())

    def nodes(self) -> Iterator[PlanNode]:
        yield self.root
        yield from self.groups
        yield from self.agencies

    def node(self, key: str) -> PlanNode:
        for n in self.nodes():
            if n.key == key:
                return n
        raise KeyError(key)

    def agency(self, code: str) -> PlanNode:
        return self.node(agency_key(code))


def _node_from_quota(
    key: str,
    kind: Literal["group", "agency"],
    code: str,
    label: str,
    parent: str,
    quota: Quota,
    *,
    subnets: tuple[ipaddress.IPv4Network, ...] = (),
    boosted: bool = False,
    path: tuple[str | int, ...] = (),
) -> PlanNode:
    return PlanNode(
        key=key,
        kind=kind,
        code=code,
        label=label,
        parent=parent,
        guaranteed_down_mbps=quota.guaranteed_down_mbps,
        maximum_down_mbps=quota.maximum_down_mbps,
        guaranteed_up_mbps=quota.guaranteed_up_mbps,
        maximum_up_mbps=quota.maximum_up_mbps,
        priority=quota.priority,
        subnets=subnets,
        boosted=boosted,
        path=path,
    )


def build_plan(inventory: Inventory, at: datetime | None = None) -> BandwidthPlan:
    """Build the plan from the inventory, applying the boosts active at ``at`` (default: now).

    Agencies whose group is unknown are attached to the root so that validation can report them.
    """
    when = at or datetime.now(UTC)
    down, up = inventory.uplink_capacity_mbps()
    root = PlanNode(
        key=ROOT_KEY,
        kind="uplink",
        code="uplink",
        label=", ".join(u.name for u in inventory.uplinks) or "uplink",
        parent=None,
        guaranteed_down_mbps=down,
        maximum_down_mbps=down,
        guaranteed_up_mbps=up,
        maximum_up_mbps=up,
        priority=1,
        path=("uplinks",),
    )
    groups = tuple(
        _node_from_quota(
            group_key(g.name),
            "group",
            g.name,
            g.description or g.name,
            ROOT_KEY,
            g.quota,
            path=("groups", i),
        )
        for i, g in enumerate(inventory.groups)
    )
    known = {g.name for g in inventory.groups}
    agencies = []
    for i, a in enumerate(inventory.agencies):
        quota = active_quota(a.quota, when)
        agencies.append(
            _node_from_quota(
                agency_key(a.code),
                "agency",
                a.code,
                a.name,
                group_key(a.group) if a.group in known else ROOT_KEY,
                quota,
                subnets=a.subnets,
                boosted=bool(active_boosts(a.quota, when)),
                path=("agencies", i),
            )
        )
    cost = sum(u.cost_idr_per_month for u in inventory.uplinks)
    return BandwidthPlan(root, groups, tuple(agencies), cost, when)


def _fmt(x: float) -> str:
    return f"{x:g}"


def validate_plan(plan: BandwidthPlan, source: str = "<plan>") -> list[Problem]:
    """Every inconsistency of the plan, with numbers, as :class:`Problem` (errors and warnings).

    Errors: guarantees of children above the parent's guarantee, a maximum above the uplink, an
    agency with no subnet (cannot be enforced), an agency outside any known group, no uplink.
    Warnings: an agency maximum above its group's maximum (HTB caps it there), an empty group.
    ``Problem.line`` is 0; :func:`locate` fills in lines from the inventory's line map.
    """
    problems: list[Problem] = []

    def add(node: PlanNode, message: str, severity: str = "error") -> None:
        from netops.inventory.yamlmap import format_path

        problems.append(Problem(source, 0, format_path(node.path), message, severity))

    root = plan.root
    if root.maximum_down_mbps <= 0 or root.maximum_up_mbps <= 0:
        add(root, "no uplink: the plan needs at least one uplink with capacity")
    for parent in (root, *plan.groups):
        kids = plan.children(parent.key)
        if parent.kind == "group" and not kids:
            add(parent, f"group {parent.code!r} has no agencies", "warning")
        for d in DIRECTIONS:
            total = sum(k.guaranteed_mbps(d) for k in kids)
            limit = parent.guaranteed_mbps(d)
            if kids and total > limit + 1e-9:
                what = (
                    "the uplink capacity"
                    if parent.kind == "uplink"
                    else f"the guarantee of group {parent.code!r},"
                )
                names = ", ".join(f"{k.code} {_fmt(k.guaranteed_mbps(d))}" for k in kids[:6])
                more = ", ..." if len(kids) > 6 else ""
                add(
                    parent,
                    f"guaranteed_{d}_mbps of its {len(kids)} children add up to {_fmt(total)} "
                    f"Mbps, above {what} {_fmt(limit)} Mbps ({names}{more})",
                )
    for node in (*plan.groups, *plan.agencies):
        for d in DIRECTIONS:
            cap = root.maximum_mbps(d)
            mx = node.maximum_mbps(d)
            if mx > cap + 1e-9:
                why = " (boosted)" if node.boosted else ""
                add(
                    node,
                    f"maximum_{d}_mbps {_fmt(mx)}{why} is above the uplink capacity "
                    f"{_fmt(cap)} Mbps",
                )
            if node.guaranteed_mbps(d) > mx + 1e-9:
                add(
                    node,
                    f"guaranteed_{d}_mbps {_fmt(node.guaranteed_mbps(d))} is above "
                    f"maximum_{d}_mbps {_fmt(mx)}",
                )
    groups = {g.key: g for g in plan.groups}
    for a in plan.agencies:
        if not a.subnets:
            add(a, f"agency {a.code!r} has no subnet: its queue cannot match any traffic")
        if a.parent == ROOT_KEY:
            add(a, f"agency {a.code!r} is in no known group")
            continue
        g = groups[a.parent or ""]
        for d in DIRECTIONS:
            if a.maximum_mbps(d) > g.maximum_mbps(d) + 1e-9:
                add(
                    a,
                    f"maximum_{d}_mbps {_fmt(a.maximum_mbps(d))} is above the maximum of group "
                    f"{g.code!r}, {_fmt(g.maximum_mbps(d))} Mbps: the group caps it",
                    "warning",
                )
    return problems


def locate(problems: list[Problem], lines: object, source: str) -> list[Problem]:
    """Fill in file and line of each problem from an inventory :class:`LineMap`."""
    from netops.inventory.yamlmap import LineMap

    if not isinstance(lines, LineMap):
        return problems
    out = []
    for p in problems:
        key: list[str | int] = []
        for part in p.path.replace("[", ".").replace("]", "").split("."):
            if part:
                key.append(int(part) if part.isdigit() else part)
        out.append(Problem(source, lines.line(tuple(key)), p.path, p.message, p.severity))
    return out


def require_valid(plan: BandwidthPlan, source: str = "<plan>") -> list[Problem]:
    """Raise :class:`PlanError` listing the errors; return the warnings when there are none."""
    problems = validate_plan(plan, source)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise PlanError("the bandwidth plan is invalid:\n" + "\n".join(str(p) for p in errors))
    return problems
