"""Measured per-agency rates from what the collectors stored, whatever the shaper platform.

The read side of the bandwidth manager (``netops bandwidth usage``, ``shares --from-db``, the web
UI).  A stored queue sample belongs to the agency whose subnets equal the sample's stored
``target`` subnets (exact set match after CIDR normalisation: ``10.10.2.7/24`` is
``10.10.2.0/24``, a bare address is a ``/32``; agency subnets from the plan).  The collectors
store, per queue, the u32 filter subnets of a tc class, the ACL subnets of a Cisco class, the
target of a MikroTik simple queue and the mark-rule subnets of a tree queue, so a sample keeps
its agency when the plan is reordered and tc class ids shift.

The queue *name* decides only where the target does not identify one agency: a target that is
no subnet list (an interface, ACL, packet-mark name, or empty), subnets that several agencies
share exactly, or the union of several agencies' subnets (a group or uplink queue).  Names are
the renderers' own, so a name means what netops pushed:

============================  =========================================  ====================
shaper                        stored ``queue_name``                      direction
============================  =========================================  ====================
MikroTik, simple mode         ``nx-a-<code>`` (:func:`mikrotik.queue_name`)  both (``UP/DOWN``)
MikroTik, tree mode           ``nx-a-<code>-down`` / ``-up``             from the name
                              (:func:`mikrotik_tree.tree_name`)
Linux tc                      ``<lan>/<classid>``, ``<wan>/<classid>``   LAN down, WAN up
                              (:func:`linux_tc.class_ids`)
Cisco IOS MQC                 any name with the class ``NX-<code>-DOWN``  from the class name,
                              / ``-UP`` as a ``/``, ``:`` or space       else LAN down, WAN up
                              separated part (:func:`cisco.class_name`)  (``<interface>:...``)
============================  =========================================  ====================

The direction of a sample attributed by its target comes from the same column: the name where
it carries one (tree ``-down``/``-up``, Cisco ``-DOWN``/``-UP``), else the interface the name
starts with (tc, Cisco), else both (a MikroTik simple queue's ``UP/DOWN`` pair).  A target made
of subnets that no agency has (an agency removed or renumbered since) is not counted at all:
its name, a tc class id above all, may mean another agency now.  netops' own group and uplink
queues (``nx-g-*``, ``nx-uplink*``) never count for an agency, even when a one-agency group's
target equals that agency's subnets.  Two queues of one shaper counting for the same agency,
direction and time (a foreign queue on an agency's subnets beside netops' own) are not added:
the one netops' naming gives that agency wins, else the first by name.

A MikroTik shaper's names of both modes are accepted (samples from before a mode switch still
count).  A one-direction queue's rate is the sum of the stored up and down rates (the collectors
fill one of the two and leave the other 0 or empty).  Each agency takes its series from the first
shaper (inventory order) that has samples for it: shapers in series would count the same traffic
twice.  An agency with no queue sample at all falls back to the interface counters of its LAN
ports (``devices[].interfaces[].agency``; download = octets out of the port, upload = octets in),
on the first device with samples.  Rates are bit/s, times epoch seconds.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from netops.bandwidth import cisco, linux_tc, mikrotik, mikrotik_tree, names
from netops.bandwidth.entries import shaper_target
from netops.bandwidth.plan import DIRECTIONS, ROOT_KEY, BandwidthPlan, Direction
from netops.errors import NetopsError
from netops.inventory.schema import Inventory, Platform, Shaper
from netops.storage.telemetry import QueueSample, rate_series

log = logging.getLogger(__name__)

Series = list[tuple[float, float]]
# (agency code, direction or None for a queue carrying both directions)
QueueOwner = tuple[str, Direction | None]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
SubnetSet = frozenset[Network]
_SEPARATORS = re.compile(r"[/:\s]+")


@dataclass
class AgencySeries:
    """An agency's measured rates per direction and where they came from (``source`` such as
    ``queue core1``, ``interface core1 ether4`` or ``""`` when nothing was measured)."""

    code: str
    source: str = ""
    down: Series = field(default_factory=list)
    up: Series = field(default_factory=list)

    def of(self, direction: Direction) -> Series:
        return self.down if direction == "down" else self.up


def queue_owners(
    inventory: Inventory, plan: BandwidthPlan, shaper: Shaper
) -> dict[str, QueueOwner]:
    """Stored queue name -> (agency code, direction or None) for one shaper (see module doc).

    Raises :class:`NetopsError` when the shaper cannot be rendered (unknown device, bad mode).
    """
    target = shaper_target(inventory, plan, shaper)
    leaves = [e for e in target.entries if e.key.startswith("a:")]
    codes = list(dict.fromkeys(e.key[2:] for e in leaves))
    out: dict[str, QueueOwner] = {}
    if target.platform == Platform.MIKROTIK_ROUTEROS:
        for code in codes:
            out[mikrotik.queue_name(f"a:{code}")] = (code, None)
            for d in DIRECTIONS:
                out[mikrotik_tree.tree_name(f"a:{code}", d)] = (code, d)
    elif target.platform == Platform.LINUX:
        ids = linux_tc.class_ids(target.entries)
        for code in codes:
            out[f"{target.lan_interface}/{ids[f'a:{code}']}"] = (code, "down")
            out[f"{target.wan_interface}/{ids[f'a:{code}']}"] = (code, "up")
    elif target.platform == Platform.CISCO_IOS:
        for e in leaves:
            out[cisco.class_name(e)] = (e.key[2:], e.direction)
    return out


def owner_of(name: str, owners: Mapping[str, QueueOwner], platform: Platform) -> QueueOwner | None:
    """The owner of a stored queue name; Cisco names match on any separated part."""
    found = owners.get(name)
    if found is not None or platform != Platform.CISCO_IOS:
        return found
    for part in _SEPARATORS.split(name):
        if part in owners:
            return owners[part]
    return None


def target_subnets(target: str) -> SubnetSet | None:
    """A stored target as a normalised set of networks: ``"10.10.2.0/24, 10.10.3.7"`` ->
    ``{10.10.2.0/24, 10.10.3.7/32}`` (host bits dropped).  None when the target is empty or any
    part is not an address or CIDR (an interface, ACL, packet-mark name, ``global``)."""
    parts = [p.strip() for p in target.split(",") if p.strip()]
    if not parts:
        return None
    try:
        return frozenset(ipaddress.ip_network(p, strict=False) for p in parts)
    except ValueError:
        return None


@dataclass(frozen=True)
class AgencySubnets:
    """The plan's agencies by their subnet sets (agencies without a subnet left out)."""

    exact: Mapping[SubnetSet, tuple[str, ...]]
    sets: tuple[tuple[str, SubnetSet], ...]

    @classmethod
    def of(cls, plan: BandwidthPlan) -> AgencySubnets:
        sets = tuple((a.code, frozenset[Network](a.subnets)) for a in plan.agencies if a.subnets)
        exact: dict[SubnetSet, tuple[str, ...]] = {}
        for code, nets in sets:
            exact[nets] = (*exact.get(nets, ()), code)
        return cls(exact, sets)

    def codes(self, subnets: SubnetSet) -> tuple[str, ...]:
        """Agencies a target of ``subnets`` may belong to: those whose subnets equal it; else,
        when it is made of several agencies' subnets (a group queue), all of those; else ()."""
        found = self.exact.get(subnets)
        if found:
            return found
        inside = tuple(code for code, nets in self.sets if nets <= subnets)
        return inside if len(inside) > 1 else ()


def _netops_non_agency(name: str, platform: Platform) -> bool:
    """A MikroTik queue netops created for a group or the uplink (``nx-g-*``, ``nx-uplink*``)."""
    if platform != Platform.MIKROTIK_ROUTEROS:
        return False
    tree = names.tree_key(name)
    key = tree[0] if tree is not None else names.key_of(name)
    return key is not None and (key == ROOT_KEY or key.startswith("g:"))


def _direction_of(
    name: str, shaper: Shaper, platform: Platform
) -> Direction | Literal["both"] | None:
    """Direction a sample of queue ``name`` carries: from the name where it says (tree
    ``-down``/``-up``, Cisco class ``-DOWN``/``-UP``), else from the interface the name starts
    with (tc ``<dev>/<classid>``, Cisco ``<interface>:...``: LAN down, WAN up); ``both`` for a
    MikroTik simple queue; None when it cannot be told (an interface of neither side)."""
    if platform == Platform.MIKROTIK_ROUTEROS:
        tree = names.tree_key(name)
        return tree[1] if tree is not None else "both"
    if platform == Platform.CISCO_IOS:
        split = cisco.split_class_name(name.rsplit("/", 1)[-1])
        if split is not None:
            return split[1]
        interface = name.split(":", 1)[0]
    else:
        interface = name.rsplit("/", 1)[0]
    if interface == shaper.lan_interface:
        return "down"
    if interface == shaper.wan_interface:
        return "up"
    return None


def attribute(
    name: str,
    target: str,
    shaper: Shaper,
    platform: Platform,
    owners: Mapping[str, QueueOwner],
    agencies: AgencySubnets,
) -> QueueOwner | None:
    """The (agency code, direction or None for both) a stored sample of queue ``name`` with
    ``target`` counts for on ``shaper``, or None (see the module doc): the agency whose subnets
    equal the target's; the name (:func:`owner_of` over ``owners``, :func:`queue_owners`) only
    when the target does not identify one agency; never an agency for a target of subnets no
    agency has, nor for netops' own group and uplink queues."""
    if _netops_non_agency(name, platform):
        return None
    subnets = target_subnets(target)
    if subnets is not None:
        codes = agencies.codes(subnets)
        if not codes:
            return None
        if len(codes) == 1:
            direction = _direction_of(name, shaper, platform)
            if direction is None:
                return None
            return codes[0], None if direction == "both" else direction
    return owner_of(name, owners, platform)


def _one_direction_rate(up: float | None, down: float | None) -> float | None:
    """A one-direction queue's rate: whichever column the collector filled (the other is 0 or
    empty), None when the sample has no rate (first sample, counter reset)."""
    if up is None and down is None:
        return None
    return (up or 0.0) + (down or 0.0)


def _queue_series(
    session: Session,
    inventory: Inventory,
    plan: BandwidthPlan,
    agencies: AgencySubnets,
    shaper: Shaper,
    since: datetime,
    until: datetime,
    own_queues_first: bool = False,
) -> dict[str, dict[Direction, Series]]:
    try:
        owners = queue_owners(inventory, plan, shaper)
        platform = inventory.device(shaper.device).platform
    except (NetopsError, KeyError) as exc:
        log.warning("shaper %s: cannot map its queues (%s)", shaper.device, exc)
        return {}
    stmt = (
        select(
            QueueSample.queue_name,
            QueueSample.target,
            QueueSample.at_s,
            QueueSample.rate_up_bps,
            QueueSample.rate_down_bps,
        )
        .where(
            QueueSample.device == shaper.device,
            QueueSample.at_s >= since.timestamp(),
            QueueSample.at_s < until.timestamp(),
        )
        .order_by(QueueSample.at_s, QueueSample.queue_name)
    )
    if own_queues_first and platform == Platform.MIKROTIK_ROUTEROS:
        # MikroTik names carry the agency code (never a position in the plan), so netops' own
        # queues of the plan's agencies are found by name through the (device, queue_name, at_s)
        # index; the whole shaper is read only when none of them has a sample in the window
        own = _attributed(
            session.execute(stmt.where(QueueSample.queue_name.in_(sorted(owners)))).all(),
            shaper, platform, owners, agencies,
        )  # fmt: skip
        if {code for code, _ in owners.values()} <= own.keys():
            return own
    return _attributed(session.execute(stmt).all(), shaper, platform, owners, agencies)


def _attributed(
    rows: Sequence[Row[str, str, float, float | None, float | None]],
    shaper: Shaper,
    platform: Platform,
    owners: Mapping[str, QueueOwner],
    agencies: AgencySubnets,
) -> dict[str, dict[Direction, Series]]:
    """Stored queue rows ``(name, target, at_s, up, down)`` as series per agency and direction."""
    cache: dict[tuple[str, str], tuple[QueueOwner, int] | None] = {}
    # code -> direction -> at_s -> (rank, rate): rank 0 = netops' own queue of that agency
    points: dict[str, dict[Direction, dict[float, tuple[int, float]]]] = {}

    def put(code: str, direction: Direction, at_s: float, rank: int, value: float) -> None:
        by_at = points.setdefault(code, {"down": {}, "up": {}})[direction]
        if at_s not in by_at or rank < by_at[at_s][0]:
            by_at[at_s] = (rank, value)

    for name, target, at_s, up, down in rows:
        if (name, target) not in cache:
            owner = attribute(name, target, shaper, platform, owners, agencies)
            rank = 0 if owner is not None and owner_of(name, owners, platform) == owner else 1
            cache[(name, target)] = None if owner is None else (owner, rank)
        found = cache[(name, target)]
        if found is None:
            continue
        (code, direction), rank = found
        if direction is None:
            if down is not None:
                put(code, "down", at_s, rank, float(down))
            if up is not None:
                put(code, "up", at_s, rank, float(up))
        else:
            value = _one_direction_rate(up, down)
            if value is not None:
                put(code, direction, at_s, rank, value)
    return {
        code: {d: [(t, v) for t, (_, v) in sorted(by_dir[d].items())] for d in DIRECTIONS}
        for code, by_dir in points.items()
    }


def _interface_series(
    session: Session, inventory: Inventory, code: str, since: datetime, until: datetime
) -> tuple[str, dict[Direction, Series]] | None:
    for device in inventory.devices:
        ports = [i.name for i in device.interfaces if i.agency == code]
        totals: dict[Direction, dict[float, float]] = {"down": {}, "up": {}}
        for port in ports:
            for pt in rate_series(session, device.hostname, port, since, until):
                t = pt.at.timestamp()
                # the port faces the agency: what leaves it is the agency's download
                totals["down"][t] = totals["down"].get(t, 0.0) + pt.out_bps
                totals["up"][t] = totals["up"].get(t, 0.0) + pt.in_bps
        if totals["down"]:
            source = f"interface {device.hostname} {','.join(ports)}"
            return source, {d: sorted(totals[d].items()) for d in DIRECTIONS}
    return None


def measured_series(
    session: Session,
    inventory: Inventory,
    plan: BandwidthPlan,
    since: datetime,
    until: datetime,
    *,
    own_queues_first: bool = False,
) -> dict[str, AgencySeries]:
    """Every plan agency's measured rates in ``[since, until)`` (see the module doc for where
    they come from).  Agencies with nothing measured get an empty :class:`AgencySeries`.

    ``own_queues_first`` (for a plan of one or a few agencies, e.g. one agency's page): on a
    MikroTik shaper read only netops' own queues of those agencies when they have samples in the
    window (an indexed read, whatever the number of other queues); a foreign queue on the same
    subnets then counts only when netops' own queues have no sample in the whole window."""
    out = {a.code: AgencySeries(a.code) for a in plan.agencies}
    agencies = AgencySubnets.of(plan)
    for shaper in inventory.shapers:
        queues = _queue_series(
            session, inventory, plan, agencies, shaper, since, until, own_queues_first
        )
        for code, by_dir in queues.items():
            s = out.get(code)
            if s is None or s.source or not (by_dir["down"] or by_dir["up"]):
                continue
            s.source, s.down, s.up = f"queue {shaper.device}", by_dir["down"], by_dir["up"]
    for code, s in out.items():
        if s.source:
            continue
        found = _interface_series(session, inventory, code, since, until)
        if found is not None:
            s.source, by_dir = found
            s.down, s.up = by_dir["down"], by_dir["up"]
    return out


def by_direction(series: Mapping[str, AgencySeries]) -> dict[Direction, dict[str, Series]]:
    """``{"down": {code: series}, "up": {...}}`` (agencies with no samples left out)."""
    return {d: {c: s.of(d) for c, s in series.items() if s.of(d)} for d in DIRECTIONS}


def read_demand_file(path: Path) -> dict[Direction, dict[str, float]]:
    """Demands from a YAML/JSON file ``code: {down: Mbps, up: Mbps}`` (a bare number means
    download).  Raises :class:`NetopsError` naming the file when it is not such a mapping."""
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        out: dict[Direction, dict[str, float]] = {"down": {}, "up": {}}
        for code, v in dict(raw).items():
            if isinstance(v, int | float):
                out["down"][str(code)] = float(v)
            else:
                for d in DIRECTIONS:
                    if d in v:
                        out[d][str(code)] = float(v[d])
        return out
    except (OSError, yaml.YAMLError, TypeError, ValueError, AttributeError) as exc:
        raise NetopsError(
            f"{path}: not a demand file (code: {{down: Mbps, up: Mbps}}): {exc}"
        ) from None
