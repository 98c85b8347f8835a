"""The lab's traffic model: how much each agency downloads and uploads, and where it flows.

Demand.  Each agency wants a share of its quota's maximum that follows an office-hours curve in
WITA (UTC+8): near nothing at night, peaks 09-11 and 13-15, a lunch dip, weekends at 30 %.  On top
rides a deterministic burst factor per 5-minute slot (0.7-1.3, sometimes x2), seeded by ``seed``.
Upload demand is 40 % of the download curve applied to the upload maximum.

Caps.  Demand is capped by the queues configured on the devices on the agency's path (their
personalities' ``shaping_caps()``: a cap applies to the agency when its subnet overlaps one of the
agency's), by the slowest link/port on the path, and finally by the uplink: when the shaped demands
exceed the uplink, guarantees are served first, then the rest is water-filled strictly by priority
(1 first) and max-min fairly within a priority, as HTB does on this kernel (LAB-NOTES.md).

Flow.  An agency's traffic runs between its LAN port and the uplink port along the inventory links
(BFS): download enters the uplink port and leaves through the LAN port, upload the other way, and
every link interface on the way carries it.  All rates are bit/s.
"""

from __future__ import annotations

import ipaddress
import math
import random
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from lab.state import Direction, ShapingCap, stable_seed
from netops.inventory.schema import Agency, Inventory

WITA = timezone(timedelta(hours=8), "WITA")
# Hour of day -> share of the maximum wanted on a working day (linear between points).
WORKDAY_CURVE: tuple[tuple[float, float], ...] = (
    (0, 0.04),
    (6, 0.05),
    (7, 0.25),
    (8, 0.6),
    (9, 0.9),
    (11, 0.92),
    (12, 0.55),
    (13, 0.85),
    (15, 0.88),
    (16, 0.5),
    (18, 0.2),
    (21, 0.12),
    (24, 0.04),
)
WEEKEND_FACTOR = 0.3
UPLOAD_FACTOR = 0.4
BURST_SLOT_S = 300
CACHE_ENTRIES = 512

Flow = tuple[str, Direction, str]  # (agency code, "down"/"up", "in"/"out")


def office_curve(t_s: float) -> float:
    """Share (0..1) of its maximum an agency wants at epoch second ``t_s`` (WITA office hours)."""
    local = datetime.fromtimestamp(t_s, tz=UTC).astimezone(WITA)
    hour = local.hour + local.minute / 60 + local.second / 3600
    share = WORKDAY_CURVE[-1][1]
    for (h0, v0), (h1, v1) in zip(WORKDAY_CURVE, WORKDAY_CURVE[1:], strict=False):
        if h0 <= hour < h1:
            share = v0 + (v1 - v0) * (hour - h0) / (h1 - h0)
            break
    if local.weekday() >= 5:
        share *= WEEKEND_FACTOR
    return share


@dataclass(frozen=True)
class AgencyPath:
    """Where an agency's traffic runs: ``hops`` are (device, toward-uplink iface, toward-LAN
    iface) from the LAN device to the uplink device; ``bottleneck_bps`` the slowest port/link."""

    code: str
    devices: tuple[str, ...]
    hops: tuple[tuple[str, str, str], ...]
    bottleneck_bps: float


LINE_EFFICIENCY = 0.97
"""Share of a port's bit rate its octet counters can show: preamble and inter-frame gap take the
rest, so a full port never counts its nominal speed."""


class TrafficModel:
    """Deterministic per-agency rates for a lab; implements :class:`lab.state.TrafficSource`."""

    def __init__(self, inventory: Inventory, *, seed: int = 0) -> None:
        self.seed = seed
        self.inventory = inventory
        self.agencies: dict[str, Agency] = {a.code: a for a in inventory.agencies}
        self.paths: dict[str, AgencyPath] = _paths(inventory)
        self.uplink_bps = tuple(x * 1e6 for x in inventory.uplink_capacity_mbps())
        # Each uplink port carries at most what its circuit was bought for (the ISP polices it)
        # and what the port can physically do: (down, up) bit/s per (device, interface).
        speeds = {
            (d.hostname, i.name): i.speed_mbps * 1e6
            for d in inventory.devices
            for i in d.interfaces
        }
        self.port_capacity_bps: dict[tuple[str, str], tuple[float, float]] = {}
        for u in inventory.uplinks:
            port = speeds.get((u.device, u.interface), math.inf) * LINE_EFFICIENCY
            self.port_capacity_bps[(u.device, u.interface)] = (
                min(u.down_mbps * 1e6, port),
                min(u.up_mbps * 1e6, port),
            )
        self.flows: dict[tuple[str, str], list[Flow]] = {}
        self.through: dict[str, list[str]] = {}
        for code, path in self.paths.items():
            for device in path.devices:
                self.through.setdefault(device, []).append(code)
            for device, up_if, lan_if in path.hops:
                # Download comes in on the uplink side and leaves on the LAN side; upload reverse.
                self.flows.setdefault((device, up_if), []).extend(
                    [(code, "down", "in"), (code, "up", "out")]
                )
                self.flows.setdefault((device, lan_if), []).extend(
                    [(code, "down", "out"), (code, "up", "in")]
                )
        self._path_devices = sorted({d for p in self.paths.values() for d in p.devices})
        self._caps: Callable[[str], list[ShapingCap]] = lambda _name: []
        self.generation = 0
        self._cache: OrderedDict[tuple[float, int], dict[str, tuple[float, float]]]
        self._cache = OrderedDict()
        self._bursts: dict[tuple[str, str, int], float] = {}

    def bind(
        self,
        caps: Callable[[str], list[ShapingCap]],
        version: Callable[[str], int] | None = None,
    ) -> None:
        """Where to read each device's shaping caps from (``version`` is accepted for
        compatibility; changes are signalled through :meth:`config_changed`)."""
        self._caps = caps
        self.config_changed("*")

    def config_changed(self, hostname: str) -> None:
        """A device's configuration changed: recompute allocations from now on."""
        self.generation += 1
        self._cache.clear()

    # -- demand ------------------------------------------------------------------------------
    def burst(self, code: str, direction: str, t_s: float) -> float:
        slot = int(t_s // BURST_SLOT_S)
        key = (code, direction, slot)
        value = self._bursts.get(key)
        if value is None:
            rng = random.Random(stable_seed(self.seed, code, direction, slot))
            value = rng.uniform(0.7, 1.3) * (2.0 if rng.random() < 0.1 else 1.0)
            if len(self._bursts) > 20_000:
                self._bursts.clear()
            self._bursts[key] = value
        return value

    def demand_bps(self, code: str, direction: Direction, t_s: float) -> float:
        """What agency ``code`` would use in ``direction`` at ``t_s`` with nothing in its way."""
        agency = self.agencies[code]
        max_mbps = _max_mbps(agency, direction, t_s)
        share = office_curve(t_s) * (1.0 if direction == "down" else UPLOAD_FACTOR)
        return max_mbps * 1e6 * share * self.burst(code, direction, t_s)

    # -- allocation ----------------------------------------------------------------------------
    def agency_rates(self, t_s: float) -> dict[str, tuple[float, float]]:
        """code -> (down, up) bit/s actually flowing at ``t_s``."""
        # One-second resolution: every device synced within the same second shares the result.
        t_s = float(math.floor(t_s))
        key = (t_s, self.generation)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        caps = {d: self._caps(d) for d in self._path_devices}
        down = self._police(self._allocate("down", t_s, caps, self.uplink_bps[0]), 0)
        up = self._police(self._allocate("up", t_s, caps, self.uplink_bps[1]), 1)
        result = {code: (down.get(code, 0.0), up.get(code, 0.0)) for code in self.paths}
        self._cache[key] = result
        if len(self._cache) > CACHE_ENTRIES:
            self._cache.popitem(last=False)
        return result

    def _allocate(
        self,
        direction: Direction,
        t_s: float,
        caps: dict[str, list[ShapingCap]],
        capacity_bps: float,
    ) -> dict[str, float]:
        wants: dict[str, float] = {}
        guaranteed: dict[str, float] = {}
        priority: dict[str, int] = {}
        for code, path in self.paths.items():
            want = min(self.demand_bps(code, direction, t_s), path.bottleneck_bps)
            g, prio = 0.0, 8
            for device in path.devices:
                for cap in caps.get(device, ()):
                    if cap.direction == direction and self._matches(code, cap.subnet):
                        want = min(want, cap.max_bps)
                        g = max(g, cap.guaranteed_bps)
                        prio = min(prio, cap.priority)
            wants[code] = max(0.0, want)
            guaranteed[code] = min(g, wants[code])
            priority[code] = prio
        if sum(wants.values()) <= capacity_bps:
            return wants
        got = dict(guaranteed)
        left = max(0.0, capacity_bps - sum(got.values()))
        for prio in sorted(set(priority.values())):
            members = [c for c in wants if priority[c] == prio and wants[c] > got[c]]
            left = _water_fill(members, wants, got, left)
            if left <= 0:
                break
        return got

    def _police(self, rates: dict[str, float], index: int) -> dict[str, float]:
        """Scale the agencies on an uplink port down to that circuit's capacity, if they exceed
        it (``index`` 0 = down, 1 = up)."""
        per_port: dict[tuple[str, str], list[str]] = {}
        for code, path in self.paths.items():
            device, up_if, _ = path.hops[-1]
            if (device, up_if) in self.port_capacity_bps:
                per_port.setdefault((device, up_if), []).append(code)
        out = dict(rates)
        for port, codes in per_port.items():
            total = sum(out.get(c, 0.0) for c in codes)
            limit = self.port_capacity_bps[port][index]
            if total > limit > 0:
                for c in codes:
                    out[c] = out.get(c, 0.0) * limit / total
        return out

    def _matches(self, code: str, subnet: ipaddress.IPv4Network) -> bool:
        return any(subnet.overlaps(s) for s in self.agencies[code].subnets)

    # -- TrafficSource -------------------------------------------------------------------------
    def interface_rates_bps(self, hostname: str, interface: str, t_s: float) -> tuple[float, float]:
        flows = self.flows.get((hostname, interface))
        if not flows:
            return (0.0, 0.0)
        rates = self.agency_rates(t_s)
        rate_in = rate_out = 0.0
        for code, direction, way in flows:
            r = rates[code][0 if direction == "down" else 1]
            if way == "in":
                rate_in += r
            else:
                rate_out += r
        return (rate_in, rate_out)

    def subnet_rate_bps(
        self, hostname: str, subnet: ipaddress.IPv4Network, direction: Direction, t_s: float
    ) -> float:
        codes = self.through.get(hostname)
        if not codes:
            return 0.0
        rates = self.agency_rates(t_s)
        total = 0.0
        for code in codes:
            nets = self.agencies[code].subnets
            share = sum(
                1.0 if n.subnet_of(subnet) else _overlap(n, subnet)
                for n in nets
                if n.overlaps(subnet)
            )
            if share:
                total += rates[code][0 if direction == "down" else 1] * share / len(nets)
        return total


def _overlap(net: ipaddress.IPv4Network, query: ipaddress.IPv4Network) -> float:
    """Share of ``net`` covered by ``query`` (query smaller than net)."""
    return query.num_addresses / net.num_addresses


def _water_fill(
    members: list[str], wants: dict[str, float], got: dict[str, float], left: float
) -> float:
    """Share ``left`` bit/s max-min fairly among ``members`` up to their wants; return the rest."""
    active = sorted(members, key=lambda c: wants[c] - got[c])
    while active and left > 1e-6:
        share = left / len(active)
        code = active[0]
        need = wants[code] - got[code]
        if need <= share:
            got[code] += need
            left -= need
            active.pop(0)
        else:
            for c in active:
                got[c] += share
            return 0.0
    return left


def _max_mbps(agency: Agency, direction: Direction, t_s: float) -> float:
    base = agency.quota.maximum_down_mbps if direction == "down" else agency.quota.maximum_up_mbps
    for boost in agency.quota.boosts:
        if boost.start.timestamp() <= t_s < boost.end.timestamp():
            raised = boost.maximum_down_mbps if direction == "down" else boost.maximum_up_mbps
            if raised is not None:
                base = max(base, raised)
    return base


def _paths(inventory: Inventory) -> dict[str, AgencyPath]:
    """BFS from each agency's LAN port to the nearest uplink device over the inventory links."""
    speeds = {
        (d.hostname, i.name): i.speed_mbps * 1e6 for d in inventory.devices for i in d.interfaces
    }
    adjacency: dict[str, list[tuple[str, str, str, float]]] = {}
    for link in inventory.links:
        cap = link.capacity_mbps * 1e6
        adjacency.setdefault(link.a.device, []).append(
            (link.a.interface, link.b.device, link.b.interface, cap)
        )
        adjacency.setdefault(link.b.device, []).append(
            (link.b.interface, link.a.device, link.a.interface, cap)
        )
    uplinks: dict[str, list[tuple[str, float]]] = {}
    for u in inventory.uplinks:
        uplinks.setdefault(u.device, []).append((u.interface, u.down_mbps))
    # Several uplinks on one device share its agencies like per-connection load balancing
    # would: each agency goes to the uplink with the least maximum-rate per Mbps bought so far.
    weight = {a.code: a.quota.maximum_down_mbps or 1.0 for a in inventory.agencies}
    assigned: dict[tuple[str, str], float] = {}

    def uplink_port(device: str, code: str) -> str:
        options = uplinks[device]
        iface, _ = min(
            options,
            key=lambda o: (
                (assigned.get((device, o[0]), 0.0) + weight.get(code, 1.0)) / o[1],
                o[0],
            ),
        )
        assigned[(device, iface)] = assigned.get((device, iface), 0.0) + weight.get(code, 1.0)
        return iface

    lan_ports: dict[str, tuple[str, str]] = {}
    for dev in inventory.devices:
        for iface in dev.interfaces:
            if iface.agency and iface.agency not in lan_ports:
                lan_ports[iface.agency] = (dev.hostname, iface.name)
    paths: dict[str, AgencyPath] = {}
    for code, (start, lan_if) in lan_ports.items():
        prev: dict[str, tuple[str, str, str, float] | None] = {start: None}
        queue = deque([start])
        end = None
        while queue:
            here = queue.popleft()
            if here in uplinks:
                end = here
                break
            for local_if, there, there_if, cap in adjacency.get(here, ()):
                if there not in prev:
                    prev[there] = (here, local_if, there_if, cap)
                    queue.append(there)
        if end is None:
            continue
        hops: list[tuple[str, str, str]] = []
        toward_uplink = uplink_port(end, code)
        bottleneck = min(
            speeds.get((start, lan_if), math.inf), speeds.get((end, toward_uplink), math.inf)
        )
        # Walk back from the uplink device: each step knows the interface toward the uplink side.
        node = end
        while True:
            step = prev[node]
            if step is None:
                hops.append((node, toward_uplink, lan_if))
                break
            parent, parent_if, node_if, cap = step
            hops.append((node, toward_uplink, node_if))
            bottleneck = min(bottleneck, cap, speeds.get((node, node_if), math.inf))
            toward_uplink = parent_if
            node = parent
        hops.reverse()
        paths[code] = AgencyPath(
            code=code,
            devices=tuple(h[0] for h in hops),
            hops=tuple(hops),
            bottleneck_bps=bottleneck,
        )
    return paths
