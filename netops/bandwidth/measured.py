"""Measured per-agency rates from what the collectors stored, whatever the shaper platform.

The read side of the bandwidth manager (``netops bandwidth usage``, ``shares --from-db``, the web
UI).  Stored queue samples are mapped back to agency codes with the renderers' own naming
functions, so a name means what netops pushed:

============================  =========================================  ====================
shaper                        stored ``queue_name``                      direction
============================  =========================================  ====================
MikroTik, simple mode         ``nx-a-<code>`` (:func:`mikrotik.queue_name`)  both (``UP/DOWN``)
MikroTik, tree mode           ``nx-a-<code>-down`` / ``-up``             from the name
                              (:func:`mikrotik_tree.tree_name`)
Linux tc                      ``<lan>/<classid>``, ``<wan>/<classid>``   LAN down, WAN up
                              (:func:`linux_tc.class_ids`)
Cisco IOS MQC                 any name with the class ``NX-<code>-DOWN``  from the class name
                              / ``-UP`` as a ``/``, ``:`` or space       (:func:`cisco.class_name`)
                              separated part
============================  =========================================  ====================

A MikroTik shaper's names of both modes are accepted (samples from before a mode switch still
count).  A one-direction queue's rate is the sum of the stored up and down rates (the collectors
fill one of the two and leave the other 0 or empty).  Each agency takes its series from the first
shaper (inventory order) that has samples for it: shapers in series would count the same traffic
twice.  An agency with no queue sample at all falls back to the interface counters of its LAN
ports (``devices[].interfaces[].agency``; download = octets out of the port, upload = octets in),
on the first device with samples.  Rates are bit/s, times epoch seconds.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from netops.bandwidth import cisco, linux_tc, mikrotik, mikrotik_tree
from netops.bandwidth.entries import shaper_target
from netops.bandwidth.plan import DIRECTIONS, BandwidthPlan, Direction
from netops.errors import NetopsError
from netops.inventory.schema import Inventory, Platform, Shaper
from netops.storage.telemetry import QueueSample, rate_series

log = logging.getLogger(__name__)

Series = list[tuple[float, float]]
# (agency code, direction or None for a queue carrying both directions)
QueueOwner = tuple[str, Direction | None]
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
    shaper: Shaper,
    since: datetime,
    until: datetime,
) -> dict[str, dict[Direction, Series]]:
    try:
        owners = queue_owners(inventory, plan, shaper)
        platform = inventory.device(shaper.device).platform
    except (NetopsError, KeyError) as exc:
        log.warning("shaper %s: cannot map its queues (%s)", shaper.device, exc)
        return {}
    rows = session.execute(
        select(
            QueueSample.queue_name,
            QueueSample.at_s,
            QueueSample.rate_up_bps,
            QueueSample.rate_down_bps,
        )
        .where(
            QueueSample.device == shaper.device,
            QueueSample.at_s >= since.timestamp(),
            QueueSample.at_s < until.timestamp(),
        )
        .order_by(QueueSample.at_s)
    ).all()
    cache: dict[str, QueueOwner | None] = {}
    out: dict[str, dict[Direction, Series]] = {}
    for name, at_s, up, down in rows:
        if name not in cache:
            cache[name] = owner_of(name, owners, platform)
        owner = cache[name]
        if owner is None:
            continue
        code, direction = owner
        series = out.setdefault(code, {"down": [], "up": []})
        if direction is None:
            if down is not None:
                series["down"].append((at_s, float(down)))
            if up is not None:
                series["up"].append((at_s, float(up)))
        else:
            value = _one_direction_rate(up, down)
            if value is not None:
                series[direction].append((at_s, value))
    return out


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
) -> dict[str, AgencySeries]:
    """Every plan agency's measured rates in ``[since, until)`` (see the module doc for where
    they come from).  Agencies with nothing measured get an empty :class:`AgencySeries`."""
    out = {a.code: AgencySeries(a.code) for a in plan.agencies}
    for shaper in inventory.shapers:
        for code, by_dir in _queue_series(session, inventory, plan, shaper, since, until).items():
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
