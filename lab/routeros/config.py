"""A RouterOS device's own configuration: the item menus, and what its queues mean for traffic.

:class:`RosConfig` holds ``/queue simple``, ``/queue tree``, ``/ip firewall mangle`` and
``/ip address`` (seeded from the device state's interface addresses), plus identity and clock
settings.  :meth:`RosConfig.shaping_caps` turns enabled queues into
:class:`~lab.state.ShapingCap` for the traffic model; :meth:`RosConfig.queue_counters` gives a
queue's byte/packet counters and rates from the state's traffic ledger (bytes since the queue was
created, reset by a reboot).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from lab.routeros.tables import MANGLE_ACTIONS, MANGLE_CHAINS, Item, Prop, Table
from lab.routeros.units import parse_rate_bps, split_pair
from lab.state import MEAN_PACKET_OCTETS, DeviceState, Direction, ShapingCap

SIMPLE_PROPS = [
    Prop("name", quoted=True),
    Prop("target", kind="targets"),
    Prop("dst", kind="targets", shown=False),
    Prop("parent", "none", kind="ref", choices=("none",)),
    Prop("packet-marks", "", quoted=True),
    Prop("priority", "8/8", kind="prio-pair"),
    Prop("queue", "default-small/default-small", kind="queue-pair"),
    Prop("limit-at", "0/0", kind="rate-pair"),
    Prop("max-limit", "0/0", kind="rate-pair"),
    Prop("burst-limit", "0/0", kind="rate-pair"),
    Prop("burst-threshold", "0/0", kind="rate-pair"),
    Prop("burst-time", "0s/0s", kind="time-pair"),
    Prop("bucket-size", "0.1/0.1", kind="float-pair"),
]
TREE_PROPS = [
    Prop("name", quoted=True),
    Prop("parent", kind="ref", choices=("global",)),
    Prop("packet-mark", "", quoted=True),
    Prop("limit-at", "0", kind="rate"),
    Prop("queue", "default-small", kind="queue"),
    Prop("priority", "8", kind="prio"),
    Prop("max-limit", "0", kind="rate"),
    Prop("burst-limit", "0", kind="rate"),
    Prop("burst-threshold", "0", kind="rate"),
    Prop("burst-time", "0s", kind="time"),
    Prop("bucket-size", "0.1", kind="float"),
]
MANGLE_PROPS = [
    Prop("chain", kind="enum", choices=MANGLE_CHAINS),
    Prop("action", "accept", kind="enum", choices=MANGLE_ACTIONS),
    Prop("new-packet-mark", "", shown=False),
    Prop("new-connection-mark", "", shown=False),
    Prop("passthrough", "yes", kind="bool", shown=False),
    Prop("src-address", "", kind="prefix", shown=False),
    Prop("dst-address", "", kind="prefix", shown=False),
    Prop("protocol", "", shown=False),
    Prop("in-interface", "", kind="ref", shown=False),
    Prop("out-interface", "", kind="ref", shown=False),
    Prop("packet-mark", "", shown=False),
    Prop("connection-mark", "", shown=False),
    Prop("src-address-list", "", shown=False),
    Prop("dst-address-list", "", shown=False),
]
ADDRESS_PROPS = [
    Prop("address", kind="address"),
    Prop("network", kind="prefix"),
    Prop("interface", kind="ref"),
]


@dataclass(frozen=True)
class QueueCounters:
    """Upload/download counters of one queue: octets, packets and current rate (bit/s)."""

    bytes_up: int
    bytes_down: int
    packets_up: int
    packets_down: int
    rate_up_bps: float
    rate_down_bps: float


class RosConfig:
    """Configuration of one RouterOS device (survives sessions; unsaved state is all of it,
    as RouterOS applies changes immediately and keeps them across reboots)."""

    def __init__(self, state: DeviceState) -> None:
        self.state = state
        self.identity = state.hostname
        self.time_zone = "Asia/Makassar"
        iface_names = lambda: list(state.interfaces)  # noqa: E731
        self.simple = Table(
            "/queue simple",
            SIMPLE_PROPS,
            auto_name="queue",
            refs={
                "parent": lambda: [i.get("name") for i in self.simple.items],
                "target": iface_names,
                "dst": iface_names,
            },
        )
        self.tree = Table(
            "/queue tree",
            TREE_PROPS,
            auto_name="queue",
            refs={
                "parent": lambda: list(state.interfaces) + [i.get("name") for i in self.tree.items]
            },
            required=("parent",),
        )
        self.mangle = Table(
            "/ip firewall mangle",
            MANGLE_PROPS,
            name_prop=None,
            refs={"in-interface": iface_names, "out-interface": iface_names},
            required=("chain",),
        )
        self.address = Table(
            "/ip address", ADDRESS_PROPS, name_prop=None, refs={"interface": iface_names}
        )
        for iface in state.interfaces.values():
            if iface.ipv4 is not None:
                self.address.items.append(
                    Item(
                        iid=len(self.address.items) + 1,
                        values={
                            "address": str(iface.ipv4),
                            "network": str(iface.ipv4.network.network_address),
                            "interface": iface.name,
                        },
                    )
                )
        self.address._next_iid = len(self.address.items) + 1

    # -- the traffic model's view ----------------------------------------------------------
    def shaping_caps(self) -> list[ShapingCap]:
        """Caps from enabled simple queues (per target subnet, upload and download) and from
        queue-tree queues fed by ``mark-packet`` mangle rules on src (up) / dst (down) address."""
        caps: list[ShapingCap] = []
        for q in self.simple.items:
            if q.disabled:
                continue
            up_max, down_max = (parse_rate_bps(x) for x in split_pair(q.get("max-limit")))
            up_min, down_min = (parse_rate_bps(x) for x in split_pair(q.get("limit-at")))
            up_prio, down_prio = (int(x) for x in split_pair(q.get("priority")))
            for subnet in _subnets(q.get("target")):
                for direction, mx, mn, prio in (
                    ("up", up_max, up_min, up_prio),
                    ("down", down_max, down_min, down_prio),
                ):
                    if mx > 0:
                        caps.append(
                            ShapingCap(subnet, direction, float(mx), float(mn), prio, q.get("name"))  # type: ignore[arg-type]
                        )
        for q in self.tree.items:
            if q.disabled:
                continue
            mx = parse_rate_bps(q.get("max-limit"))
            if mx <= 0:
                continue
            mn = parse_rate_bps(q.get("limit-at"))
            for subnet, direction in self.marked_subnets(q.get("packet-mark")):
                caps.append(
                    ShapingCap(
                        subnet,
                        direction,
                        float(mx),
                        float(mn),
                        int(q.get("priority")),
                        q.get("name"),
                    )
                )
        return caps

    def marked_subnets(self, marks: str) -> list[tuple[ipaddress.IPv4Network, Direction]]:
        """(subnet, direction) pairs that enabled mangle rules mark with one of ``marks``."""
        wanted = {m for m in marks.split(",") if m}
        out: list[tuple[ipaddress.IPv4Network, Direction]] = []
        for rule in self.mangle.items:
            if rule.disabled or rule.get("action") != "mark-packet":
                continue
            if rule.get("new-packet-mark") not in wanted:
                continue
            if rule.get("dst-address"):
                out.append((_net(rule.get("dst-address")), "down"))
            if rule.get("src-address"):
                out.append((_net(rule.get("src-address")), "up"))
        return out

    # -- counters --------------------------------------------------------------------------
    def queue_counters(self, item: Item, kind: str) -> QueueCounters:
        """Counters of a simple (``kind="simple"``) or tree queue from the traffic ledger."""
        if kind == "simple":
            flows: list[tuple[ipaddress.IPv4Network, Direction]] = [
                (s, d) for s in _subnets(item.get("target")) for d in ("up", "down")
            ]
        else:
            flows = self.marked_subnets(item.get("packet-mark"))
        if item.disabled:
            flows = []
        if item.boot_s != self.state.boot_time_s:
            # A reboot restarted the ledger: the queue counts from zero again.
            item.baseline = {}
            item.boot_s = self.state.boot_time_s
        octets = {"up": 0, "down": 0}
        rates = {"up": 0.0, "down": 0.0}
        for subnet, direction in flows:
            key = f"{subnet}|{direction}"
            total = self.state.subnet_octets(subnet, direction)
            base = item.baseline.setdefault(key, total)
            octets[direction] += max(0, total - base)
            rates[direction] += self.state.subnet_rate_bps(subnet, direction)
        return QueueCounters(
            bytes_up=octets["up"],
            bytes_down=octets["down"],
            packets_up=octets["up"] // MEAN_PACKET_OCTETS,
            packets_down=octets["down"] // MEAN_PACKET_OCTETS,
            rate_up_bps=rates["up"],
            rate_down_bps=rates["down"],
        )


def _net(text: str) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network(text if "/" in text else f"{text}/32", strict=False)


def _subnets(targets: str) -> list[ipaddress.IPv4Network]:
    out = []
    for t in targets.split(","):
        if t and t[0].isdigit():
            out.append(_net(t))
    return out
