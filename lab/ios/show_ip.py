"""Cisco IOS ``show ip interface``: the per-interface IP block napalm's ``get_interfaces_ip``
reads (``Internet address is A/N``), laid out like IOS 15 (compare tests/lab/golden/cisco_ios/
show_ip_interface/real.txt)."""

from __future__ import annotations

from lab.state import DeviceState, InterfaceState

_FEATURES = (
    "  Helper address is not set",
    "  Directed broadcast forwarding is disabled",
    "  Outgoing access list is not set",
    "  Inbound  access list is not set",
    "  Proxy ARP is enabled",
    "  Local Proxy ARP is disabled",
    "  Security level is default",
    "  Split horizon is enabled",
    "  ICMP redirects are always sent",
    "  ICMP unreachables are always sent",
    "  ICMP mask replies are never sent",
    "  IP fast switching is enabled",
    "  IP CEF switching is enabled",
    "  IP CEF switching turbo vector",
    "  IP multicast fast switching is enabled",
    "  IP route-cache flags are Fast, CEF",
    "  Router Discovery is disabled",
    "  IP output packet accounting is disabled",
    "  IP access violation accounting is disabled",
    "  TCP/IP header compression is disabled",
    "  RTP/IP header compression is disabled",
    "  Probe proxy name replies are disabled",
    "  Policy routing is disabled",
    "  Network address translation is disabled",
    "  BGP Policy Mapping is disabled",
    "  Input features: MCI Check",
)


def _status(iface: InterfaceState) -> tuple[str, str]:
    if not iface.admin_up:
        return "administratively down", "down"
    return ("up", "up") if iface.oper_up else ("down", "down")


def one_ip_interface(iface: InterfaceState) -> str:
    link, proto = _status(iface)
    lines = [f"{iface.name} is {link}, line protocol is {proto}"]
    if iface.ipv4 is None:
        lines.append("  Internet protocol processing disabled")
    else:
        lines += [
            f"  Internet address is {iface.ipv4.with_prefixlen}",
            "  Broadcast address is 255.255.255.255",
            "  Address determined by non-volatile memory",
            f"  MTU is {iface.mtu} bytes",
            *_FEATURES,
        ]
    return "\n".join(lines) + "\n"


def show_ip_interface(state: DeviceState, only: str | None = None) -> str:
    """Every interface (or only ``only``), in the device's interface order."""
    return "".join(
        one_ip_interface(i) for i in state.interfaces.values() if only is None or i.name == only
    )
