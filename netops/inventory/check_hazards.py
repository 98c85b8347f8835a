"""Warnings about values that are valid but almost certainly not meant.

- an agency subnet of ``/0``: its queue would match all traffic;
- a management address that is a broadcast address (255.255.255.255, or the broadcast or
  network address of an agency subnet);
- two devices on one management address and port;
- text with bidirectional-override or line-separator characters (it displays differently from
  what it is, "Trojan Source"), e.g. in an agency name.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from netops.inventory.findings import Findings
from netops.inventory.schema import Inventory
from netops.inventory.yamlmap import PathKey

# LRE..RLO, LRI..PDI, LRM/RLM/ALM, line and paragraph separators
_INVISIBLE_CONTROL = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE_CONTROL |= set("\u200e\u200f\u061c\u2028\u2029")


def check_hazards(inv: Inventory, found: Findings) -> None:
    """Add the warnings above to ``found``."""
    edges: dict[ipaddress.IPv4Address, str] = {}
    for i, agency in enumerate(inv.agencies):
        for j, net in enumerate(agency.subnets):
            if net.prefixlen == 0:
                found.warning(
                    ("agencies", i, "subnets", j),
                    f"subnet {net} of agency '{agency.code}' matches all traffic: its queue "
                    "would shape every address",
                )
            elif net.prefixlen < 31:
                edges[net.broadcast_address] = f"the broadcast address of {net}"
                edges[net.network_address] = f"the network address of {net}"
    seen: dict[tuple[str, int], int] = {}
    for i, device in enumerate(inv.devices):
        addr = ipaddress.IPv4Address(str(device.mgmt_address))
        why = (
            "the limited broadcast address"
            if addr == ipaddress.IPv4Address("255.255.255.255")
            else edges.get(addr)
        )
        if why:
            found.warning(("devices", i, "mgmt_address"), f"management address {addr} is {why}")
        key = (str(addr), device.mgmt_port)
        if key in seen:
            first = seen[key]
            found.warning(
                ("devices", i, "mgmt_address"),
                f"'{device.hostname}' has the same management address and port {addr}:"
                f"{device.mgmt_port} as '{inv.devices[first].hostname}' at "
                f"{found.where(('devices', first))}",
            )
        else:
            seen[key] = i
    _walk(inv.model_dump(), (), found)


def _walk(value: Any, path: PathKey, found: Findings) -> None:
    if isinstance(value, str):
        bad = sorted({f"U+{ord(c):04X}" for c in value if c in _INVISIBLE_CONTROL})
        if bad:
            found.warning(
                path,
                f"text contains bidirectional-control or line-separator characters "
                f"({', '.join(bad)}): it displays differently from what it is",
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(item, (*path, key), found)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _walk(item, (*path, i), found)
