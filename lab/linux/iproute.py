"""``ip`` (iproute2 6.1) over the device state: ``link``, ``-s link``, ``-j``, ``-br``, ``addr``,
``route`` and ``link set dev X up|down``."""

from __future__ import annotations

import json
from typing import Any

from lab.state import DeviceState, InterfaceState

LO_MAC = "00:00:00:00:00:00"


def _flags(iface: InterfaceState) -> list[str]:
    if not iface.admin_up:
        return ["BROADCAST", "MULTICAST"]
    if not iface.oper_up:
        return ["NO-CARRIER", "BROADCAST", "MULTICAST", "UP"]
    return ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"]


def _link6(mac: str) -> str:
    b = [int(x, 16) for x in mac.split(":")]
    b[0] ^= 0x02
    eui = b[:3] + [0xFF, 0xFE] + b[3:]
    groups = [f"{(eui[i] << 8) | eui[i + 1]:x}" for i in range(0, 8, 2)]
    return "fe80::" + ":".join(groups) + "/64"


class IpCommand:
    """``ip`` for one device; ``qdisc_of(name)`` names the root qdisc shown in ``ip link``."""

    def __init__(self, state: DeviceState, qdisc_of: Any) -> None:
        self.state = state
        self.qdisc_of = qdisc_of

    def run(self, argv: list[str], *, root: bool) -> str:
        opts = {"s": 0, "j": False, "br": False, "4": False, "d": False}
        i = 0
        while i < len(argv) and argv[i].startswith("-"):
            flag = argv[i].lstrip("-")
            if flag in ("s", "stats", "statistics"):
                opts["s"] = int(opts["s"]) + 1
            elif flag in ("j", "json"):
                opts["j"] = True
            elif flag in ("br", "brief"):
                opts["br"] = True
            elif flag in ("4", "d", "details", "p", "pretty", "c", "color"):
                pass
            else:
                return f'Option "{argv[i]}" is unknown, try "ip -help".'
            i += 1
        obj = argv[i] if i < len(argv) else ""
        rest = argv[i + 1 :]
        if obj in ("l", "li", "lin", "link"):
            if rest[:1] == ["set"]:
                return self._link_set(rest[1:], root=root)
            return self._show(rest, opts, addresses=False)
        if obj in ("a", "ad", "addr", "address"):
            return self._show(rest, opts, addresses=True)
        if obj in ("r", "ro", "route"):
            return self._routes()
        if not obj:
            return "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }"
        return f'Object "{obj}" is unknown, try "ip help".'

    def _select(self, rest: list[str]) -> list[str] | str:
        words = [w for w in rest if w not in ("show", "list", "lst", "dev")]
        if not words:
            return ["lo", *self.state.interfaces]
        name = words[0]
        if name != "lo" and name not in self.state.interfaces:
            return f'Device "{name}" does not exist.'
        return [name]

    def _link_set(self, rest: list[str], *, root: bool) -> str:
        words = [w for w in rest if w != "dev"]
        if len(words) < 2 or words[1] not in ("up", "down"):
            return 'Error: either "dev" is duplicate, or "set" is a garbage.'
        name = words[0]
        if name not in self.state.interfaces:
            return f'Cannot find device "{name}"'
        if not root:
            return "RTNETLINK answers: Operation not permitted"
        self.state.sync()
        self.state.interfaces[name].admin_up = words[1] == "up"
        self.state.config_changed()
        return ""

    def _show(self, rest: list[str], opts: dict[str, Any], *, addresses: bool) -> str:
        names = self._select(rest)
        if isinstance(names, str):
            return names
        self.state.sync()
        if opts["j"]:
            return json.dumps([self._json(n, n_i, opts, addresses) for n_i, n in enumerate(names)])
        lines: list[str] = []
        for name in names:
            index = 1 if name == "lo" else list(self.state.interfaces).index(name) + 2
            if opts["br"]:
                lines.append(self._brief(name, addresses))
                continue
            lines.extend(self._text(index, name, opts, addresses))
        return "\n".join(lines)

    def _meta(self, name: str) -> tuple[list[str], str, str, str, int]:
        if name == "lo":
            return ["LOOPBACK", "UP", "LOWER_UP"], "noqueue", "UNKNOWN", LO_MAC, 65536
        iface = self.state.interfaces[name]
        state = "UP" if iface.oper_up else "DOWN"
        return _flags(iface), self.qdisc_of(name), state, iface.mac, iface.mtu

    def _text(self, index: int, name: str, opts: dict[str, Any], addresses: bool) -> list[str]:
        flags, qdisc, state, mac, mtu = self._meta(name)
        mode = "" if addresses else " mode DEFAULT"
        lines = [
            f"{index}: {name}: <{','.join(flags)}> mtu {mtu} qdisc {qdisc} state {state}"
            f"{mode} group default qlen 1000"
        ]
        if name == "lo":
            lines.append(f"    link/loopback {LO_MAC} brd {LO_MAC}")
        else:
            lines.append(f"    link/ether {mac} brd ff:ff:ff:ff:ff:ff")
        if addresses:
            if name == "lo":
                lines += [
                    "    inet 127.0.0.1/8 scope host lo",
                    "       valid_lft forever preferred_lft forever",
                    "    inet6 ::1/128 scope host noprefixroute ",
                    "       valid_lft forever preferred_lft forever",
                ]
            else:
                iface = self.state.interfaces[name]
                if iface.ipv4 is not None:
                    brd = iface.ipv4.network.broadcast_address
                    lines += [
                        f"    inet {iface.ipv4} brd {brd} scope global {name}",
                        "       valid_lft forever preferred_lft forever",
                    ]
                lines += [
                    f"    inet6 {_link6(mac)} scope link ",
                    "       valid_lft forever preferred_lft forever",
                ]
        if opts["s"] and not addresses:
            lines += self._stats_lines(name)
        return lines

    def _counters(self, name: str) -> tuple[list[int], list[int]]:
        if name == "lo":
            up = int(self.state.uptime_s())
            return [up * 120, up * 2, 0, 0, 0, 0], [up * 120, up * 2, 0, 0, 0, 0]
        c = self.state.interfaces[name].counters()
        rx = [c.in_octets, c.in_packets, c.in_errors, c.in_discards, 0, c.in_multicast]
        tx = [c.out_octets, c.out_packets, c.out_errors, c.out_discards, 0, 0]
        return rx, tx

    def _stats_lines(self, name: str) -> list[str]:
        rx, tx = self._counters(name)
        rx_head = ["bytes", "packets", "errors", "dropped", "missed", "mcast"]
        tx_head = ["bytes", "packets", "errors", "dropped", "carrier", "collsns"]
        widths = [
            max(len(rx_head[i]), len(tx_head[i]), len(str(rx[i])), len(str(tx[i])))
            for i in range(6)
        ]
        widths[0] = max(widths[0], len("RX:  bytes") - 4 + 4)

        def head(label: str, names: list[str]) -> str:
            cells = [names[0].rjust(widths[0] - 4)] + [
                n.rjust(w) for n, w in zip(names[1:], widths[1:], strict=True)
            ]
            return f"    {label} " + " ".join(cells)

        def row(values: list[int]) -> str:
            return "    " + " ".join(str(v).rjust(w) for v, w in zip(values, widths, strict=True))

        return [head("RX:", rx_head), row(rx), head("TX:", tx_head), row(tx)]

    def _brief(self, name: str, addresses: bool) -> str:
        flags, _, state, mac, _ = self._meta(name)
        state = "UNKNOWN" if name == "lo" else state
        if not addresses:
            return f"{name:<16} {state:<14} {mac} <{','.join(flags)}> "
        addrs = ["127.0.0.1/8", "::1/128"] if name == "lo" else []
        if name != "lo":
            iface = self.state.interfaces[name]
            if iface.ipv4 is not None:
                addrs.append(str(iface.ipv4))
            addrs.append(_link6(mac))
        return f"{name:<16} {state:<14} {' '.join(addrs)} "

    def _json(self, name: str, _: int, opts: dict[str, Any], addresses: bool) -> dict[str, Any]:
        flags, qdisc, state, mac, mtu = self._meta(name)
        index = 1 if name == "lo" else list(self.state.interfaces).index(name) + 2
        out: dict[str, Any] = {
            "ifindex": index,
            "ifname": name,
            "flags": flags,
            "mtu": mtu,
            "qdisc": qdisc,
            "operstate": state if name != "lo" else "UNKNOWN",
            "linkmode": "DEFAULT",
            "group": "default",
            "txqlen": 1000,
            "link_type": "loopback" if name == "lo" else "ether",
            "address": mac,
            "broadcast": LO_MAC if name == "lo" else "ff:ff:ff:ff:ff:ff",
        }
        if addresses:
            infos = []
            if name != "lo" and self.state.interfaces[name].ipv4 is not None:
                ip = self.state.interfaces[name].ipv4
                assert ip is not None
                infos.append(
                    {
                        "family": "inet",
                        "local": str(ip.ip),
                        "prefixlen": ip.network.prefixlen,
                        "broadcast": str(ip.network.broadcast_address),
                        "scope": "global",
                        "label": name,
                        "valid_life_time": 4294967295,
                        "preferred_life_time": 4294967295,
                    }
                )
            out["addr_info"] = infos
        if opts["s"]:
            rx, tx = self._counters(name)
            out["stats64"] = {
                "rx": dict(
                    zip(
                        ["bytes", "packets", "errors", "dropped", "over_errors", "multicast"],
                        rx,
                        strict=True,
                    )
                ),
                "tx": dict(
                    zip(
                        ["bytes", "packets", "errors", "dropped", "carrier_errors", "collisions"],
                        tx,
                        strict=True,
                    )
                ),
            }
        return out

    def _routes(self) -> str:
        lines = []
        for name, iface in self.state.interfaces.items():
            if iface.ipv4 is not None and iface.oper_up:
                net = iface.ipv4.network
                lines.append(f"{net} dev {name} proto kernel scope link src {iface.ipv4.ip} ")
        first = next(iter(self.state.interfaces.values()), None)
        if first is not None and first.ipv4 is not None and first.oper_up:
            gateway = first.ipv4.network.network_address + 1
            if gateway == first.ipv4.ip:
                gateway += 1
            lines.insert(0, f"default via {gateway} dev {first.name} proto static ")
        return "\n".join(lines)
