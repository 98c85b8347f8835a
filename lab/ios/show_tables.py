"""Cisco IOS tables that follow the lab's links and addresses: ``show ip arp``, ``show ip route``,
``show mac address-table``, ``show vlan brief``, ``show interfaces status``.

Every lab port is a routed port (``no switchport`` with an address, see :mod:`lab.ios.config`),
so, as on a Catalyst: the ARP table holds the device's own addresses and the far end of each up
link; routes are the connected and local ones plus a default route towards the core (the link
to the neighbour of the most central role, or the internet uplink on the core); the MAC table
holds only the CPU's static entries (routed ports learn no MACs); ``show vlan brief`` lists the
default VLANs with no ports; ``show interfaces status`` shows each port as ``routed``.
"""

from __future__ import annotations

import ipaddress

from lab.identities.cisco_ios import media_type
from lab.ios.names import short_name
from lab.state import DeviceState, InterfaceState

ROLE_RANK = {"core": 0, "distribution": 1, "wireless-ptp": 2, "access": 3}
CPU_MACS = ("0100.0ccc.cccc", "0100.0ccc.cccd", "0180.c200.0000", "0180.c200.0001")


def dotted(mac: str) -> str:
    h = mac.replace(":", "").lower()
    return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"


def arp_entries(state: DeviceState) -> list[tuple[str, str, str, str]]:
    """(address, age, dotted MAC, interface): own addresses (age ``-``) and up links' far ends."""
    out: list[tuple[str, str, str, str]] = []
    for iface in state.interfaces.values():
        if iface.ipv4 is None or not iface.oper_up:
            continue
        out.append((str(iface.ipv4.ip), "-", dotted(iface.mac), iface.name))
        peer = iface.peer
        if peer is not None and peer.ipv4 is not None:
            age = str(state.rng.randint(0, 180))
            out.append((str(peer.ipv4.ip), age, dotted(peer.mac), iface.name))
    return sorted(out, key=lambda e: ipaddress.IPv4Address(e[0]))


def show_ip_arp(state: DeviceState) -> str:
    lines = ["Protocol  Address          Age (min)  Hardware Addr   Type   Interface"]
    for address, age, mac, name in arp_entries(state):
        lines.append(f"Internet  {address:<16} {age:>9}   {mac}  ARPA   {name}")
    return "\n".join(lines) + "\n"


def default_gateway(state: DeviceState) -> tuple[str, str] | None:
    """(next hop, interface) of the default route, or None on a device with no way out."""
    own = ROLE_RANK.get(state.role, 3)
    best: tuple[int, str, str] | None = None
    for name, iface in state.interfaces.items():
        remote = state.link_peer(name)
        peer = iface.peer
        if remote is None or peer is None or peer.ipv4 is None or not iface.oper_up:
            continue
        rank = ROLE_RANK.get(remote.role, 3)
        if rank < own and (best is None or rank < best[0]):
            best = (rank, str(peer.ipv4.ip), name)
    if best is not None:
        return best[1], best[2]
    for name, iface in state.interfaces.items():
        if iface.ipv4 is not None and iface.oper_up and iface.ipv4.ip in _UPLINKS:
            return str(iface.ipv4.network.network_address + 2), name
    return None


_UPLINKS = ipaddress.IPv4Network("100.64.0.0/10")


def route_entries(state: DeviceState) -> list[tuple[str, str, str, str]]:
    """(code, prefix, next hop or "", interface) in IOS order (default route first)."""
    out: list[tuple[str, str, str, str]] = []
    gw = default_gateway(state)
    if gw is not None:
        out.append(("S*", "0.0.0.0/0", gw[0], gw[1]))
    connected = []
    for iface in state.interfaces.values():
        if iface.ipv4 is None or not iface.oper_up:
            continue
        connected.append(("C", str(iface.ipv4.network), "", iface.name))
        connected.append(("L", f"{iface.ipv4.ip}/32", "", iface.name))
    connected.sort(key=lambda e: (ipaddress.IPv4Network(e[1]), e[0]))
    return out + connected


def show_ip_route(state: DeviceState) -> str:
    entries = route_entries(state)
    gw = default_gateway(state)
    lines = [
        "Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP",
        "       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area ",
        "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2",
        "       E1 - OSPF external type 1, E2 - OSPF external type 2",
        "       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2",
        "       ia - IS-IS inter area, * - candidate default, U - per-user static route",
        "       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP",
        "       a - application route",
        "       + - replicated route, % - next hop override, p - overrides from PfR",
        "",
        f"Gateway of last resort is {gw[0]} to network 0.0.0.0"
        if gw
        else "Gateway of last resort is not set",
        "",
    ]
    for code, prefix, hop, name in entries:
        if code == "S*":
            lines.append(f"S*    0.0.0.0/0 [1/0] via {hop}")
        else:
            lines.append(f"{code:<8} {prefix} is directly connected, {name}")
    return "\n".join(lines) + "\n"


def show_mac_address_table(state: DeviceState) -> str:
    lines = [
        "          Mac Address Table",
        "-------------------------------------------",
        "",
        "Vlan    Mac Address       Type        Ports",
        "----    -----------       --------    -----",
    ]
    lines += [f" All    {mac}    STATIC      CPU" for mac in CPU_MACS]
    lines.append(f"Total Mac Addresses for this criterion: {len(CPU_MACS)} ")
    return "\n".join(lines) + "\n"


DEFAULT_VLANS = (
    (1, "default", "active"),
    (1002, "fddi-default", "act/unsup"),
    (1003, "token-ring-default", "act/unsup"),
    (1004, "fddinet-default", "act/unsup"),
    (1005, "trnet-default", "act/unsup"),
)


def show_vlan_brief(state: DeviceState) -> str:
    lines = [
        "",
        "VLAN Name                             Status    Ports",
        "---- -------------------------------- --------- -------------------------------",
    ]
    lines += [f"{vid:<4} {name:<32} {status:<9} " for vid, name, status in DEFAULT_VLANS]
    return "\n".join(lines) + "\n"


def _port_status(iface: InterfaceState) -> str:
    if not iface.admin_up:
        return "disabled"
    return "connected" if iface.oper_up else "notconnect"


def show_interfaces_status(state: DeviceState) -> str:
    lines = ["", "Port      Name               Status       Vlan       Duplex  Speed Type "]
    for iface in state.interfaces.values():
        speed = int(iface.speed_mbps)
        up = iface.oper_up
        duplex = "full" if up else "auto"
        speed_txt = ("10G" if speed == 10000 else str(speed)) if up else "auto"
        lines.append(
            f"{short_name(iface.name):<9} {iface.description[:18]:<18} "
            f"{_port_status(iface):<12} {'routed':<10} {duplex:>6} {speed_txt:>6} "
            f"{media_type(state.model, iface.name)}"
        )
    return "\n".join(lines) + "\n"
