"""Which namespaces, links and addresses a packet lab has, computed from its inventory.  Pure.

The shaper's LAN interface faces one bridge namespace (``sw``) that joins every agency's
namespace, so that all agencies share one egress interface per direction (download on the LAN
interface, upload on the WAN interface), as they share one uplink.  The ``inet`` namespace stands
for the uplink and runs the iperf3 servers.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from lab.packets.netns import PREFIX, PacketLabError
from netops.bandwidth.entries import find_shaper
from netops.inventory.schema import Inventory, Platform

WAN_NET = ipaddress.IPv4Network("100.64.255.0/30")
"""Core <-> inet link (shared address space, RFC 6598: never routed on the internet)."""
SERVER = ipaddress.IPv4Address("100.64.254.1")
"""The iperf3 servers' address in ``inet`` (on its loopback)."""
IPERF_BASE_PORT = 5201


@dataclass(frozen=True)
class AgencyHost:
    code: str
    ns: str
    subnet: ipaddress.IPv4Network
    address: ipaddress.IPv4Address
    gateway: ipaddress.IPv4Address
    port: str
    """The agency's port on the bridge (in the ``sw`` namespace)."""
    iperf_port: int


@dataclass(frozen=True)
class Layout:
    core_ns: str
    inet_ns: str
    sw_ns: str
    shaper: str
    lan: str
    wan: str
    agencies: tuple[AgencyHost, ...]
    inet_host: str = "uplink"
    inet_if: str = "isp0"
    sw_host: str = "agency-switch"
    sw_uplink: str = "up0"
    """Host names and port names of the far ends, from the inventory's links when it has them."""

    def hostname(self, ns: str) -> str:
        """The system name lldpd announces in ``ns``."""
        names = {self.core_ns: self.shaper, self.inet_ns: self.inet_host, self.sw_ns: self.sw_host}
        return names.get(ns) or next(f"agency-{a.code}" for a in self.agencies if a.ns == ns)

    @property
    def namespaces(self) -> tuple[str, ...]:
        return (self.core_ns, self.inet_ns, self.sw_ns, *(a.ns for a in self.agencies))

    def agency(self, code: str) -> AgencyHost:
        for a in self.agencies:
            if a.code == code:
                return a
        raise PacketLabError(f"no agency {code!r} in the packet lab")


def layout(inventory: Inventory) -> Layout:
    """The lab for ``inventory``: its one Linux shaper becomes the core namespace.

    Raises :class:`PacketLabError` when the inventory has no Linux shaper or an agency without a
    subnet.
    """
    linux = [s for s in inventory.shapers if inventory.device(s.device).platform == Platform.LINUX]
    if len(linux) != 1:
        raise PacketLabError("the packet lab needs exactly one shaper on a linux device")
    shaper = find_shaper(inventory, linux[0].device)
    hosts = []
    for i, a in enumerate(inventory.agencies):
        if not a.subnets:
            raise PacketLabError(f"agency {a.code}: no subnet for its namespace")
        net = a.subnets[0]
        if net.num_addresses < 16:
            raise PacketLabError(f"agency {a.code}: subnet {net} too small (need a /28 or larger)")
        hosts.append(
            AgencyHost(
                code=a.code,
                ns=f"{PREFIX}a{i}",
                subnet=net,
                address=net.network_address + 10,
                gateway=net.network_address + 1,
                port=f"p{i}",
                iperf_port=IPERF_BASE_PORT + i,
            )
        )
    far = {}
    for link in inventory.links:
        for near, other in ((link.a, link.b), (link.b, link.a)):
            if near.device == shaper.device:
                far[near.interface] = (other.device, other.interface)
    inet_host, inet_if = far.get(shaper.wan_interface, ("uplink", "isp0"))
    sw_host, sw_uplink = far.get(shaper.lan_interface, ("agency-switch", "up0"))
    return Layout(
        inet_host=inet_host,
        inet_if=inet_if,
        sw_host=sw_host,
        sw_uplink=sw_uplink,
        core_ns=f"{PREFIX}core",
        inet_ns=f"{PREFIX}inet",
        sw_ns=f"{PREFIX}sw",
        shaper=shaper.device,
        lan=shaper.lan_interface,
        wan=shaper.wan_interface,
        agencies=tuple(hosts),
    )
