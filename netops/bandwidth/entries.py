"""The one normalized structure every platform is rendered from and parsed back into.

A :class:`QueueEntry` is one HTB class in one direction on one shaper device.  ``key`` is
platform-neutral (``root``, ``g:<group>``, ``a:<agency code>``); entries found on a device that
netops did not create get ``x:<device name>`` and ``managed=False``.  Rates are bit/s, rounded to
whole kbit/s because that is the finest unit every platform prints back exactly.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace

from netops.bandwidth.plan import (
    DIRECTIONS,
    ROOT_KEY,
    BandwidthPlan,
    Direction,
    PlanNode,
    agency_key,
    group_key,
)
from netops.errors import PlanError, Problem
from netops.inventory.schema import Inventory, Platform, Shaper, ShaperMode

Network = ipaddress.IPv4Network


@dataclass(frozen=True)
class QueueEntry:
    """One queue/class.  ``prio`` 1 (highest) .. 8, or 0 when the platform has none (Cisco MQC)
    or the class is inner (HTB ignores inner prio).  ``device_name`` is not compared by the diff;
    ``label`` (the agency's name, in the queue comment) is, for netops' own agency queues.
    ``disabled``: read back from a device where the entry exists but is switched off (a hand
    edit); the diff reports it and ``apply`` enables the existing entry (``set``), never adds a
    second one of the same name."""

    key: str
    direction: Direction
    subnets: tuple[Network, ...]
    rate_bps: int
    ceil_bps: int
    prio: int = 0
    parent: str | None = None
    label: str = ""
    device_name: str = ""
    managed: bool = True
    disabled: bool = False

    @property
    def is_leaf(self) -> bool:
        return self.key.startswith("a:") or not self.managed

    def ident(self) -> tuple[str, Direction]:
        return (self.key, self.direction)


@dataclass(frozen=True)
class ShaperTarget:
    """What one shaper device should hold: platform, interfaces, desired entries and the
    rendering ``mode`` (``simple``, or ``tree`` for MikroTik queue tree + mangle)."""

    device: str
    platform: Platform
    lan_interface: str
    wan_interface: str
    entries: tuple[QueueEntry, ...]
    mode: ShaperMode = ShaperMode.SIMPLE


def mbps_to_bps(mbps: float) -> int:
    """Mbit/s -> bit/s rounded to whole kbit/s."""
    return int(round(mbps * 1000)) * 1000


def _entry(
    node: PlanNode, d: Direction, subnets: tuple[Network, ...], parent: str | None, leaf: bool
) -> QueueEntry:
    return QueueEntry(
        key=node.key,
        direction=d,
        subnets=subnets,
        rate_bps=mbps_to_bps(node.guaranteed_mbps(d)),
        ceil_bps=mbps_to_bps(node.maximum_mbps(d)),
        prio=node.priority if leaf else 0,
        parent=parent,
        label=node.label,
    )


def plan_entries(plan: BandwidthPlan, groups: tuple[str, ...] = ()) -> list[QueueEntry]:
    """The full 3-level tree (root, groups, agencies) in both directions, parents before children.

    ``groups`` limits the tree to those group names (a shaper's filter); empty means all.
    Agencies with no subnet are left out (validation reports them).
    """
    wanted = set(groups)
    chosen = [g for g in plan.groups if not wanted or g.code in wanted]
    kids = {g.key: [a for a in plan.children(g.key) if a.subnets] for g in chosen}
    all_subnets = tuple(s for g in chosen for a in kids[g.key] for s in a.subnets)
    out: list[QueueEntry] = []
    for d in DIRECTIONS:
        root = plan.root
        out.append(_entry(root, d, all_subnets, None, False))
        for g in chosen:
            subs = tuple(s for a in kids[g.key] for s in a.subnets)
            out.append(_entry(g, d, subs, ROOT_KEY, False))
        for g in chosen:
            for a in kids[g.key]:
                out.append(_entry(a, d, a.subnets, g.key, True))
    return out


def flat_agency_entries(entries: list[QueueEntry]) -> list[QueueEntry]:
    """Only the agency leaves, without parent or prio (platforms with a flat policy: Cisco MQC)."""
    return [
        QueueEntry(e.key, e.direction, e.subnets, e.rate_bps, e.ceil_bps, 0, None, e.label)
        for e in entries
        if e.key.startswith("a:")
    ]


MARKS_PREFIX = "m:"


def marks_key(code: str) -> str:
    """Key of an agency's mangle marks in tree mode: ``m:<code>``."""
    return f"{MARKS_PREFIX}{code}"


def tree_mode_entries(entries: list[QueueEntry]) -> list[QueueEntry]:
    """Entries for a MikroTik queue tree + mangle shaper.

    Tree queues classify nothing by themselves (a packet mark does), so every queue keeps its
    rates, prio and parent but no subnets, and each agency leaf gets a companion ``m:<code>``
    entry per direction whose subnets are the ones the mangle rules must mark for it (rates 0).
    The diff then reports a missing or edited rule as a difference of ``m:<code>`` subnets.
    """
    queues = [replace(e, subnets=()) for e in entries]
    marks = [
        QueueEntry(marks_key(e.key.partition(":")[2]), e.direction, e.subnets, 0, 0, label=e.label)
        for e in entries
        if e.key.startswith("a:")
    ]
    return queues + marks


def shaper_targets(inventory: Inventory, plan: BandwidthPlan) -> list[ShaperTarget]:
    """Desired entries for each shaper of the inventory.

    Raises :class:`PlanError` when a shaper names a device that is not in the inventory.
    """
    out = []
    for s in inventory.shapers:
        out.append(shaper_target(inventory, plan, s))
    return out


def shaper_target(inventory: Inventory, plan: BandwidthPlan, shaper: Shaper) -> ShaperTarget:
    """What ``shaper`` should hold under ``plan``.

    Raises :class:`PlanError` when the shaper's device is unknown or its ``mode`` does not exist
    on its platform (``tree`` is MikroTik only).
    """
    try:
        device = inventory.device(shaper.device)
    except KeyError:
        raise PlanError(f"shaper {shaper.device!r} is not a device in the inventory") from None
    if shaper.mode != ShaperMode.SIMPLE and device.platform != Platform.MIKROTIK_ROUTEROS:
        raise PlanError(
            f"shaper {shaper.device!r}: mode {shaper.mode.value!r} exists only on "
            f"{Platform.MIKROTIK_ROUTEROS.value} (this device is {device.platform.value}); "
            "use mode: simple"
        )
    entries = plan_entries(plan, shaper.groups)
    if device.platform == Platform.CISCO_IOS:
        entries = flat_agency_entries(entries)
    if shaper.mode == ShaperMode.TREE:
        entries = tree_mode_entries(entries)
    return ShaperTarget(
        shaper.device,
        device.platform,
        shaper.lan_interface,
        shaper.wan_interface,
        tuple(entries),
        shaper.mode,
    )


def shaper_problems(inventory: Inventory, source: str = "<inventory>") -> list[Problem]:
    """Shapers whose ``mode`` their platform does not have (``tree`` off MikroTik), as errors at
    ``shapers[i].mode`` (``line`` 0: :func:`netops.bandwidth.plan.locate` fills it in), worded
    as ``netops inventory check`` words them."""
    from netops.inventory.check_refs import shaper_mode_error

    out = []
    by_name = {d.hostname: d for d in inventory.devices}
    for i, s in enumerate(inventory.shapers):
        device = by_name.get(s.device)
        message = device and shaper_mode_error(s.mode, s.device, device.platform)
        if message:
            out.append(Problem(source, 0, f"shapers[{i}].mode", message))
    return out


def find_shaper(inventory: Inventory, hostname: str) -> Shaper:
    """The shaper entry for ``hostname``; :class:`PlanError` listing the shapers if none."""
    for s in inventory.shapers:
        if s.device == hostname:
            return s
    names = ", ".join(s.device for s in inventory.shapers) or "none"
    raise PlanError(f"{hostname!r} is not a shaper in the inventory (shapers: {names})")


def entries_to_json(entries: Iterable[QueueEntry]) -> str:
    """Entries as JSON text (what a pending rollback stores): one object per entry."""
    rows = [{**asdict(e), "subnets": [str(n) for n in e.subnets]} for e in entries]
    return json.dumps(rows, ensure_ascii=False, sort_keys=True)


def entries_from_json(text: str) -> list[QueueEntry]:
    """Inverse of :func:`entries_to_json`; :class:`ValueError` on text it did not write."""
    rows = json.loads(text)
    out = []
    for r in rows:
        r["subnets"] = tuple(ipaddress.IPv4Network(n) for n in r["subnets"])
        out.append(QueueEntry(**r))
    return out


__all__ = [
    "QueueEntry",
    "ShaperTarget",
    "agency_key",
    "group_key",
    "mbps_to_bps",
    "plan_entries",
    "shaper_targets",
    "tree_mode_entries",
]
