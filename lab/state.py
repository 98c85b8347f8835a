"""What a simulated device *is*: identity, interfaces, counters, neighbours and a traffic ledger.

A :class:`DeviceState` is built from an inventory :class:`~netops.inventory.schema.Device` by
:func:`build_states`, which also wires the two ends of every inventory link together (so a link
fault or ``shutdown`` on one end takes the other end's carrier down and both LLDP entries vanish).

Counters are lazy: nothing runs while a device is idle.  On every read (:meth:`DeviceState.sync`)
the rates a :class:`TrafficSource` reports are integrated over the wall time elapsed since the last
read.  Rates are bit/s (``_bps``), byte counters octets, times epoch seconds (``_s``).

Personalities (``lab/ios``, ``lab/routeros``, ``lab/linux``) read this state and keep their own
configuration; when they change something that alters :meth:`Personality.shaping_caps` they call
:meth:`DeviceState.config_changed` so the traffic model picks it up.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from netops.inventory.schema import Inventory

Direction = Literal["down", "up"]
Clock = Callable[[], float]

# Packets are derived from octets with a typical intranet mix (web, DNS, small ACKs).
MEAN_PACKET_OCTETS = 700
# Background chatter every up interface carries (ARP, LLDP, STP, management), bit/s.
BACKGROUND_BPS = (4_000.0, 40_000.0)
# Integrate idle gaps on a grid of this many seconds (the daily curve varies slowly), with at
# most MAX_INTEGRATION_STEPS pieces (the grid coarsens for long gaps).
INTEGRATION_STEP_S = 60
MAX_INTEGRATION_STEPS = 48
# Counters at the first read hold the time since boot at this share of the current rate.
BOOT_AVERAGE_SHARE = 0.35

DEFAULT_MODEL = {
    "cisco_ios": "WS-C3850-24T",
    "mikrotik_routeros": "CCR2004-16G-2S+",
    "linux": "x86_64 server",
}
DEFAULT_OS_VERSION = {
    "cisco_ios": "15.2(7)E8",
    "mikrotik_routeros": "7.14.3",
    "linux": "6.1.0-25-amd64",
}


class ManualClock:
    """A clock tests move by hand: ``clock = ManualClock(t0); clock.advance(60)``."""

    def __init__(self, start_s: float) -> None:
        self.now_s = float(start_s)

    def __call__(self) -> float:
        return self.now_s

    def advance(self, seconds: float) -> None:
        self.now_s += seconds


def stable_seed(*parts: object) -> int:
    """A 64-bit seed that depends only on ``parts`` (Python's ``hash`` is salted per process)."""
    digest = hashlib.blake2b("\x1f".join(str(p) for p in parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@dataclass(frozen=True)
class ShapingCap:
    """One queue as the traffic model sees it: traffic of ``subnet`` in ``direction`` ("down" =
    towards the agency, "up" = towards the internet) is limited to ``max_bps`` and guaranteed
    ``guaranteed_bps`` (bit/s); ``priority`` 1 (highest) .. 8; ``name`` is the queue's name."""

    subnet: ipaddress.IPv4Network
    direction: Direction
    max_bps: float
    guaranteed_bps: float
    priority: int
    name: str


@dataclass(frozen=True)
class LldpNeighbor:
    """What a device learns over LLDP on ``local_interface``."""

    local_interface: str
    system_name: str
    port_id: str
    port_description: str
    chassis_id: str
    system_description: str
    capabilities: tuple[str, ...] = ("bridge", "router")
    mgmt_address: str = ""
    platform: str = ""
    # The neighbour itself (its own uptime and board for RouterOS' ``/ip neighbor``); None for
    # entries no lab device stands behind (faults).
    remote: DeviceState | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Counters:
    """A snapshot of one interface's counters as the device reports them (wrapped to its width)."""

    in_octets: int
    out_octets: int
    in_packets: int
    out_packets: int
    in_broadcast: int
    out_broadcast: int
    in_multicast: int
    out_multicast: int
    in_errors: int
    out_errors: int
    in_discards: int
    out_discards: int
    in_rate_bps: float
    out_rate_bps: float


class TrafficSource(Protocol):
    """Where rates come from (``lab.traffic.TrafficModel`` or :class:`BackgroundOnly`)."""

    def interface_rates_bps(self, hostname: str, interface: str, t_s: float) -> tuple[float, float]:
        """(in, out) bit/s carried by an *up* interface at time ``t_s`` (background excluded)."""
        ...

    def subnet_rate_bps(
        self, hostname: str, subnet: ipaddress.IPv4Network, direction: Direction, t_s: float
    ) -> float:
        """Bit/s of ``subnet``'s traffic in ``direction`` passing ``hostname`` at ``t_s``."""
        ...


class BackgroundOnly:
    """A traffic source with no agency traffic: only background chatter moves counters."""

    def interface_rates_bps(self, hostname: str, interface: str, t_s: float) -> tuple[float, float]:
        return (0.0, 0.0)

    def subnet_rate_bps(
        self, hostname: str, subnet: ipaddress.IPv4Network, direction: Direction, t_s: float
    ) -> float:
        return 0.0


@dataclass
class InterfaceState:
    """One port.  ``oper_up`` needs the port, its cable and the far end to be up."""

    name: str
    speed_mbps: float
    description: str = ""
    admin_up: bool = True
    mac: str = "02:00:00:00:00:00"
    ipv4: ipaddress.IPv4Interface | None = None
    agency: str | None = None
    mtu: int = 1500
    counter_bits: int = 64
    link_fault: bool = False
    peer: InterfaceState | None = None
    peer_device: str | None = None
    background_bps: float = 10_000.0
    # Raw totals since boot (never wrapped; the wrap applies on read); octets and packets.
    raw: dict[str, float] = field(default_factory=dict)
    # Added to raw values on read: the 32-bit wrap fault starts counters just below 2**32,
    # each direction at its own offset (octets in, octets out).
    counter_offset: int = 0
    counter_offset_out: int = 0
    rate_in_bps: float = 0.0
    rate_out_bps: float = 0.0

    @property
    def oper_up(self) -> bool:
        if not self.admin_up or self.link_fault:
            return False
        if self.peer is not None and (not self.peer.admin_up or self.peer.link_fault):
            return False
        return True

    def counters(self) -> Counters:
        """Current counters wrapped at ``counter_bits`` (call :meth:`DeviceState.sync` first)."""
        mod = 1 << self.counter_bits

        def get(key: str, offset: int = 0) -> int:
            return (int(self.raw.get(key, 0.0)) + offset) % mod

        off_in, off_out = self.counter_offset, self.counter_offset_out
        return Counters(
            in_octets=get("in_octets", off_in),
            out_octets=get("out_octets", off_out),
            in_packets=get("in_packets", off_in // MEAN_PACKET_OCTETS),
            out_packets=get("out_packets", off_out // MEAN_PACKET_OCTETS),
            in_broadcast=get("in_broadcast"),
            out_broadcast=get("out_broadcast"),
            in_multicast=get("in_multicast"),
            out_multicast=get("out_multicast"),
            in_errors=get("in_errors"),
            out_errors=get("out_errors"),
            in_discards=get("in_discards"),
            out_discards=get("out_discards"),
            in_rate_bps=self.rate_in_bps,
            out_rate_bps=self.rate_out_bps,
        )

    def reset_counters(self) -> None:
        self.raw.clear()
        self.counter_offset = 0
        self.counter_offset_out = 0


@dataclass
class DeviceState:
    """Everything a personality needs to answer for one simulated device."""

    hostname: str
    platform: str
    model: str
    serial: str
    os_version: str
    role: str
    site: str
    mgmt_address: str
    username: str
    interfaces: dict[str, InterfaceState]
    rng: random.Random
    clock: Clock = time.time
    traffic: TrafficSource = field(default_factory=BackgroundOnly)
    boot_time_s: float = 0.0
    base_mac: str = "02:00:00:00:00:00"
    # The "LLDP disagrees" fault: local interface -> neighbours reported instead of the real ones.
    lldp_override: dict[str, list[LldpNeighbor]] | None = None
    config_version: int = 0
    # Free room for a personality's own state (kept across sessions, lost on nothing).
    extra: dict[str, Any] = field(default_factory=dict)
    _last_sync_s: float | None = None
    _subnet_octets: dict[tuple[str, str], float] = field(default_factory=dict)
    _subnet_last_s: dict[tuple[str, str], float] = field(default_factory=dict)
    _peers_lldp: dict[str, LldpNeighbor] = field(default_factory=dict)

    # -- identity and time -----------------------------------------------------------------
    def now_s(self) -> float:
        return self.clock()

    def uptime_s(self) -> float:
        """Seconds since (simulated) boot."""
        return max(0.0, self.clock() - self.boot_time_s)

    def interface(self, name: str) -> InterfaceState:
        """The interface called ``name``; :class:`KeyError` if the device has none."""
        return self.interfaces[name]

    def config_changed(self) -> None:
        """Personalities call this after a change that may alter their shaping caps."""
        self.sync()
        self.config_version += 1
        notify = getattr(self.traffic, "config_changed", None)
        if notify is not None:
            notify(self.hostname)

    # -- counters --------------------------------------------------------------------------
    def sync(self) -> None:
        """Advance every interface's counters to now by integrating the traffic rates.

        The first read fills counters with traffic since boot at a share of the current rate;
        later reads integrate piecewise over a time grid shared by all devices (so the traffic
        model computes each instant once for the whole lab)."""
        now = self.clock()
        last = self._last_sync_s
        self._last_sync_s = now
        if last is None:
            self._refresh_rates(now)
            since_boot = self.uptime_s() * BOOT_AVERAGE_SHARE
            for iface in self.interfaces.values():
                if iface.oper_up:
                    _accumulate(iface, since_boot, self.rng)
            return
        if now <= last:
            self._refresh_rates(now)
            return
        prev = last
        for t in grid_points(last, now):
            self._refresh_rates(t)
            for iface in self.interfaces.values():
                if iface.oper_up:
                    _accumulate(iface, t - prev, self.rng)
            prev = t

    def _refresh_rates(self, t_s: float) -> None:
        for iface in self.interfaces.values():
            if not iface.oper_up:
                iface.rate_in_bps = iface.rate_out_bps = 0.0
                continue
            rin, rout = self.traffic.interface_rates_bps(self.hostname, iface.name, t_s)
            iface.rate_in_bps = rin + iface.background_bps
            iface.rate_out_bps = rout + iface.background_bps * 0.8

    def counters(self, name: str) -> Counters:
        """Sync, then the counters of interface ``name`` (:class:`KeyError` if unknown)."""
        self.sync()
        return self.interfaces[name].counters()

    # -- ledger of agency traffic ----------------------------------------------------------
    def subnet_rate_bps(self, subnet: ipaddress.IPv4Network | str, direction: Direction) -> float:
        """Bit/s of ``subnet``'s traffic in ``direction`` through this device right now."""
        net = ipaddress.IPv4Network(subnet, strict=False)
        return self.traffic.subnet_rate_bps(self.hostname, net, direction, self.clock())

    def subnet_octets(self, subnet: ipaddress.IPv4Network | str, direction: Direction) -> int:
        """Bytes of ``subnet``'s traffic in ``direction`` through this device since boot
        (monotonic until a reboot).  The ledger of a subnet starts when it is first read."""
        net = ipaddress.IPv4Network(subnet, strict=False)
        key = (str(net), direction)
        now = self.clock()
        last = self._subnet_last_s.get(key)
        total = self._subnet_octets.get(key, 0.0)
        if last is None:
            # First read: pretend the current rate has held for a few minutes so queues that
            # were just created still show plausible, non-zero totals.
            last = now - min(300.0, self.uptime_s())
        prev = last
        for t in grid_points(last, now) if now > last else []:
            total += self.traffic.subnet_rate_bps(self.hostname, net, direction, t) * (t - prev) / 8
            prev = t
        self._subnet_octets[key] = total
        self._subnet_last_s[key] = now
        return int(total)

    # -- neighbours ------------------------------------------------------------------------
    def lldp_neighbors(self, interface: str | None = None) -> list[LldpNeighbor]:
        """Neighbours seen now, ordered by local interface; the LLDP fault overrides them."""
        out: list[LldpNeighbor] = []
        if self.lldp_override is not None:
            for local in sorted(self.lldp_override):
                if interface is None or local == interface:
                    out.extend(self.lldp_override[local])
            return out
        for name, iface in self.interfaces.items():
            if interface is not None and name != interface:
                continue
            nb = self._peers_lldp.get(name)
            if nb is not None and iface.oper_up:
                out.append(nb)
        return out

    def link_peer(self, interface: str) -> DeviceState | None:
        """The lab device at the far end of the inventory link on ``interface`` (None if the
        port has no link to a lab device); independent of the port's state and of faults."""
        nb = self._peers_lldp.get(interface)
        return nb.remote if nb is not None else None

    # -- lifecycle -------------------------------------------------------------------------
    def reboot(self) -> None:
        """Simulated reload: uptime and every counter start again from zero."""
        self.boot_time_s = self.clock()
        self._last_sync_s = self.boot_time_s
        for iface in self.interfaces.values():
            iface.reset_counters()
        self._subnet_octets.clear()
        self._subnet_last_s = {k: self.boot_time_s for k in self._subnet_last_s}


def grid_points(start_s: float, end_s: float) -> list[float]:
    """Times after ``start_s`` up to and including ``end_s``: multiples of a grid step (60 s,
    coarsened to keep at most MAX_INTEGRATION_STEPS pieces), then ``end_s`` itself."""
    step = INTEGRATION_STEP_S
    span = end_s - start_s
    if span > step * (MAX_INTEGRATION_STEPS - 1):
        step *= math.ceil(span / (step * (MAX_INTEGRATION_STEPS - 1)))
    first = (math.floor(start_s / step) + 1) * step
    points = [float(t) for t in range(int(first), int(math.ceil(end_s)), step) if t < end_s]
    points.append(end_s)
    return points


def _accumulate(iface: InterfaceState, dt_s: float, rng: random.Random) -> None:
    raw = iface.raw
    in_oct = iface.rate_in_bps * dt_s / 8.0
    out_oct = iface.rate_out_bps * dt_s / 8.0
    raw["in_octets"] = raw.get("in_octets", 0.0) + in_oct
    raw["out_octets"] = raw.get("out_octets", 0.0) + out_oct
    raw["in_packets"] = raw.get("in_packets", 0.0) + in_oct / MEAN_PACKET_OCTETS
    raw["out_packets"] = raw.get("out_packets", 0.0) + out_oct / MEAN_PACKET_OCTETS
    # Broadcast/multicast ride on the background chatter; errors are rare but not zero.
    raw["in_broadcast"] = raw.get("in_broadcast", 0.0) + dt_s * 0.5
    raw["out_broadcast"] = raw.get("out_broadcast", 0.0) + dt_s * 0.1
    raw["in_multicast"] = raw.get("in_multicast", 0.0) + dt_s * 1.0
    raw["out_multicast"] = raw.get("out_multicast", 0.0) + dt_s * 0.5
    if rng.random() < 0.002 * dt_s:
        raw["in_errors"] = raw.get("in_errors", 0.0) + 1
    if iface.speed_mbps and iface.rate_in_bps > 0.95 * iface.speed_mbps * 1e6:
        raw["out_discards"] = raw.get("out_discards", 0.0) + in_oct / MEAN_PACKET_OCTETS * 0.001


def _mac(seed: int, index: int) -> str:
    # Locally administered unicast (02:...): never collides with a real vendor OUI.
    value = ((0x02 << 40) | ((seed & 0xFFFFFFFF) << 8)) + index
    raw = value.to_bytes(6, "big")
    return ":".join(f"{b:02x}" for b in raw)


def _serial(platform: str, rng: random.Random) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    body = "".join(rng.choice(alphabet) for _ in range(8))
    if platform == "cisco_ios":
        return "FOC" + body
    if platform == "mikrotik_routeros":
        return "HE" + "".join(rng.choice("0123456789ABCDEF") for _ in range(10))
    return "VM" + body


def os_version_of(platform: str, model: str) -> str:
    """The software version a ``platform`` device of ``model`` runs (its identity table)."""
    if platform == "cisco_ios":
        from lab.identities.cisco_ios import identity

        return identity(model).version
    return DEFAULT_OS_VERSION.get(platform, "1.0")


def system_description(platform: str, model: str, os_version: str) -> str:
    """The LLDP system description a device of ``platform`` advertises (the ``Cisco IOS
    Software`` line of its ``show version``, RouterOS' ``MikroTik RouterOS 7.14.3 (stable)
    hEX S``)."""
    if platform == "cisco_ios":
        from lab.identities.cisco_ios import identity as ios_identity

        return ios_identity(model).banner_line()
    if platform == "mikrotik_routeros":
        from lab.identities.routeros import identity as ros_identity

        return f"MikroTik RouterOS {os_version} (stable) {ros_identity(model).board_name}"
    return f"Debian GNU/Linux 12 (bookworm) Linux {os_version} #1 SMP x86_64"


def build_states(
    inventory: Inventory,
    *,
    seed: int = 0,
    clock: Clock = time.time,
    traffic: TrafficSource | None = None,
) -> dict[str, DeviceState]:
    """One :class:`DeviceState` per inventory device, link ends wired to each other.

    Addresses are made up but stable: a LAN port gets the first host of its agency's first subnet,
    link ``i`` gets ``172.16.x.y/30`` (a end ``.1``, b end ``.2``), uplink ports ``100.64.x.y/30``.
    Identity (serial, MACs, boot time, background chatter) comes from ``seed`` and the hostname.
    """
    source: TrafficSource = traffic if traffic is not None else BackgroundOnly()
    now = clock()
    states: dict[str, DeviceState] = {}
    agencies = {a.code: a for a in inventory.agencies}
    for dev in inventory.devices:
        platform = str(dev.platform)
        dev_seed = stable_seed(seed, dev.hostname)
        rng = random.Random(dev_seed)
        model = dev.model or DEFAULT_MODEL.get(platform, "generic")
        username = next(
            (c.username for c in inventory.credentials if c.name == dev.credentials), "admin"
        )
        ifaces: dict[str, InterfaceState] = {}
        for index, spec in enumerate(dev.interfaces, start=1):
            ipv4 = None
            if spec.agency and spec.agency in agencies and agencies[spec.agency].subnets:
                net = agencies[spec.agency].subnets[0]
                ipv4 = ipaddress.IPv4Interface(f"{net.network_address + 1}/{net.prefixlen}")
            ifaces[spec.name] = InterfaceState(
                name=spec.name,
                speed_mbps=spec.speed_mbps,
                description=spec.description or "",
                mac=_mac(dev_seed, index),
                ipv4=ipv4,
                agency=spec.agency,
                background_bps=rng.uniform(*BACKGROUND_BPS),
            )
        states[dev.hostname] = DeviceState(
            hostname=dev.hostname,
            platform=platform,
            model=model,
            serial=_serial(platform, rng),
            os_version=os_version_of(platform, model),
            role=str(dev.role),
            site=dev.site,
            mgmt_address=str(dev.mgmt_address),
            username=username,
            interfaces=ifaces,
            rng=rng,
            clock=clock,
            traffic=source,
            boot_time_s=now - rng.uniform(3 * 86400, 120 * 86400),
            base_mac=_mac(dev_seed, 0),
        )
    for k, up in enumerate(inventory.uplinks):
        st = states.get(up.device)
        if st is not None and up.interface in st.interfaces:
            base = ipaddress.IPv4Address("100.64.0.0") + 4 * k
            st.interfaces[up.interface].ipv4 = ipaddress.IPv4Interface(f"{base + 1}/30")
    for i, link in enumerate(inventory.links):
        a_state, b_state = states.get(link.a.device), states.get(link.b.device)
        if a_state is None or b_state is None:
            continue
        a_if = a_state.interfaces.get(link.a.interface)
        b_if = b_state.interfaces.get(link.b.interface)
        if a_if is None or b_if is None:
            continue
        a_if.peer, a_if.peer_device = b_if, b_state.hostname
        b_if.peer, b_if.peer_device = a_if, a_state.hostname
        base = ipaddress.IPv4Address("172.16.0.0") + 4 * i
        a_if.ipv4 = a_if.ipv4 or ipaddress.IPv4Interface(f"{base + 1}/30")
        b_if.ipv4 = b_if.ipv4 or ipaddress.IPv4Interface(f"{base + 2}/30")
        a_state._peers_lldp[a_if.name] = _neighbor_entry(a_if.name, b_state, b_if)
        b_state._peers_lldp[b_if.name] = _neighbor_entry(b_if.name, a_state, a_if)
    return states


def _neighbor_entry(local: str, remote: DeviceState, remote_if: InterfaceState) -> LldpNeighbor:
    return LldpNeighbor(
        local_interface=local,
        system_name=remote.hostname,
        port_id=remote_if.name,
        port_description=remote_if.description or remote_if.name,
        chassis_id=remote.base_mac,
        system_description=system_description(remote.platform, remote.model, remote.os_version),
        capabilities=("bridge", "router"),
        mgmt_address=remote.mgmt_address,
        platform=remote.platform,
        remote=remote,
    )


__all__ = [
    "BackgroundOnly",
    "Counters",
    "DeviceState",
    "Direction",
    "InterfaceState",
    "LldpNeighbor",
    "ManualClock",
    "ShapingCap",
    "TrafficSource",
    "build_states",
    "os_version_of",
    "stable_seed",
    "system_description",
]
