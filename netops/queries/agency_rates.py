"""Every agency's measured rate now and over a recent window, in four SQL queries.

Where the numbers come from follows :mod:`netops.bandwidth.measured` (the CLI's ``bandwidth
usage``): a shaper's queue samples, attributed to an agency by their target subnets (or netops'
queue names) with :func:`netops.bandwidth.measured.attribute`, from the first shaper in inventory
order that measured the agency; else the counters of the agency's LAN ports (download = octets
out of the port).  The difference: instead of one query per shaper and per LAN port over whole
series, the samples of the window are aggregated in SQL (:mod:`netops.queries.windows`).  Where
an agency has several LAN ports, minimums are summed (a lower bound of the minimum of the sum,
so "at its maximum for 15 minutes" is never claimed wrongly).  Rates bit/s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from netops.bandwidth.measured import AgencySubnets, QueueOwner, attribute, owner_of, queue_owners
from netops.bandwidth.plan import BandwidthPlan, Direction
from netops.errors import NetopsError
from netops.inventory.schema import Inventory
from netops.queries.windows import QueueWindow, WindowStats, interface_windows, queue_windows


@dataclass(frozen=True, slots=True)
class RateWindow:
    """One direction of one agency over the window (bit/s, epoch seconds)."""

    current_bps: float
    min_bps: float
    max_bps: float
    first_s: float
    last_s: float
    count: int

    def plus(self, other: RateWindow) -> RateWindow:
        return RateWindow(
            self.current_bps + other.current_bps,
            self.min_bps + other.min_bps,
            self.max_bps + other.max_bps,
            max(self.first_s, other.first_s),
            min(self.last_s, other.last_s),
            min(self.count, other.count),
        )


@dataclass(frozen=True, slots=True)
class AgencyRate:
    code: str
    source: str
    down: RateWindow | None
    up: RateWindow | None

    def of(self, direction: Direction) -> RateWindow | None:
        return self.down if direction == "down" else self.up


def _side(s: WindowStats, side: str) -> RateWindow:
    if side == "a":
        return RateWindow(s.latest_a_bps, s.min_a_bps, s.max_a_bps, s.first_s, s.last_s, s.count)
    if side == "b":
        return RateWindow(s.latest_b_bps, s.min_b_bps, s.max_b_bps, s.first_s, s.last_s, s.count)
    # one-direction queue: whichever column the collector filled
    return RateWindow(
        s.latest_a_bps + s.latest_b_bps,
        s.min_a_bps + s.min_b_bps,
        s.max_a_bps + s.max_b_bps,
        s.first_s,
        s.last_s,
        s.count,
    )


def _add(acc: RateWindow | None, x: RateWindow) -> RateWindow:
    return x if acc is None else acc.plus(x)


def agency_rates(
    session: Session,
    inventory: Inventory,
    plan: BandwidthPlan,
    now_s: float,
    window_s: float = 900.0,
    codes: set[str] | None = None,
    iface_stats: Mapping[tuple[str, str], WindowStats] | None = None,
) -> dict[str, AgencyRate]:
    """Measured rate of each plan agency (only ``codes`` when given) over
    ``[now_s - window_s, now_s]``; agencies with nothing measured are left out.
    ``iface_stats``: the same window's :func:`interface_windows` of every interface when the
    caller already has it (saves two queries)."""
    wanted = {a.code for a in plan.agencies} if codes is None else codes
    subnets = AgencySubnets.of(plan)
    shaper_devices = [s.device for s in inventory.shapers]
    windows = queue_windows(session, now_s, window_s, shaper_devices)
    by_device: dict[str, list[QueueWindow]] = {}
    for w in windows:
        by_device.setdefault(w.device, []).append(w)
    out: dict[str, AgencyRate] = {}
    for shaper in inventory.shapers:
        rows = by_device.get(shaper.device)
        if not rows:
            continue
        try:
            owners: dict[str, QueueOwner] = queue_owners(inventory, plan, shaper)
            platform = inventory.device(shaper.device).platform
        except (NetopsError, KeyError):
            continue
        # code -> direction -> (rank, name, window)
        best: dict[str, dict[Direction, tuple[int, str, RateWindow]]] = {}
        for w in sorted(rows, key=lambda r: r.queue_name):
            owner = attribute(w.queue_name, w.target, shaper, platform, owners, subnets)
            if owner is None or owner[0] not in wanted or owner[0] in out:
                continue
            code, direction = owner
            rank = 0 if owner_of(w.queue_name, owners, platform) == owner else 1
            sides: list[tuple[Direction, RateWindow]] = (
                [("down", _side(w.stats, "b")), ("up", _side(w.stats, "a"))]
                if direction is None
                else [(direction, _side(w.stats, "sum"))]
            )
            slot = best.setdefault(code, {})
            for d, rw in sides:
                if d not in slot or rank < slot[d][0]:
                    slot[d] = (rank, w.queue_name, rw)
        for code, slot in best.items():
            best_down = slot.get("down")
            best_up = slot.get("up")
            out[code] = AgencyRate(
                code,
                f"queue {shaper.device}",
                best_down[2] if best_down else None,
                best_up[2] if best_up else None,
            )
    missing = wanted - set(out)
    if not missing:
        return out
    ports: dict[str, list[tuple[str, str]]] = {}
    for dev in inventory.devices:
        for i in dev.interfaces:
            if i.agency in missing:
                ports.setdefault(i.agency, []).append((dev.hostname, i.name))
    pairs = {p for ps in ports.values() for p in ps}
    if iface_stats is not None:
        stats: Mapping[tuple[str, str], WindowStats] = iface_stats
    else:
        stats = interface_windows(session, now_s, window_s, pairs=pairs) if pairs else {}
    for code, ps in ports.items():
        # first device with samples, like measured._interface_series
        for host in dict.fromkeys(h for h, _ in ps):
            mine = [stats[p] for p in ps if p[0] == host and p in stats]
            if not mine:
                continue
            port_down: RateWindow | None = None
            port_up: RateWindow | None = None
            for s in mine:
                port_down = _add(port_down, _side(s, "b"))  # out of the port = its download
                port_up = _add(port_up, _side(s, "a"))
            names = ",".join(n for h, n in ps if h == host)
            out[code] = AgencyRate(code, f"interface {host} {names}", port_down, port_up)
            break
    return out
