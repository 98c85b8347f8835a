"""Synthetic inventories for benchmarks: any number of devices, in a tree below one core.

Device 0 is the core (the uplink device); device ``i > 0`` hangs off device ``(i - 1) // 4`` by
its first interface.  Every device with a spare port serves one agency on its last interface
(subnet ``10.x.y.0/24``), so traffic flows through the whole tree.  Platforms rotate through
``platforms``; all devices share the credential ``lab`` (password ref ``NETOPS_LAB_PASSWORD``).
"""

from __future__ import annotations

import ipaddress
import random

from netops.errors import LabError
from netops.inventory.schema import Inventory

FANOUT = 4
PLATFORM_PORT = {
    "cisco_ios": "GigabitEthernet1/0/{n}",
    "mikrotik_routeros": "ether{n}",
    "linux": "eth{m}",
}
MODEL = {"cisco_ios": "WS-C3850-48T", "mikrotik_routeros": "CCR2004-16G-2S+", "linux": None}


def _port(platform: str, n: int) -> str:
    return PLATFORM_PORT[platform].format(n=n, m=n - 1)


def synthetic_inventory(
    n_devices: int,
    interfaces_per_device: int = FANOUT + 2,
    platforms: tuple[str, ...] = ("cisco_ios", "mikrotik_routeros", "linux"),
    seed: int = 0,
) -> Inventory:
    """A valid inventory of ``n_devices`` devices with ``interfaces_per_device`` ports each.

    Raises :class:`LabError` when the numbers cannot make a tree (fewer than 1 device, fewer than
    ``FANOUT + 2`` ports) or a platform is unknown.
    """
    if n_devices < 1:
        raise LabError("a synthetic inventory needs at least one device")
    if interfaces_per_device < FANOUT + 2:
        raise LabError(f"interfaces_per_device must be at least {FANOUT + 2}")
    unknown = [p for p in platforms if p not in PLATFORM_PORT]
    if unknown or not platforms:
        raise LabError(f"unknown platforms {unknown}; valid: {', '.join(PLATFORM_PORT)}")
    rng = random.Random(seed)
    kinds = [platforms[i % len(platforms)] for i in range(n_devices)]
    links: list[dict[str, object]] = []
    used: list[set[int]] = [set() for _ in range(n_devices)]
    for i in range(1, n_devices):
        parent = (i - 1) // FANOUT
        parent_port = 2 + (i - 1) % FANOUT  # ports 2..FANOUT+1 face children; 1 faces the parent
        used[parent].add(parent_port)
        used[i].add(1)
        links.append(
            {
                "a": {"device": f"sw{parent:04d}", "interface": _port(kinds[parent], parent_port)},
                "b": {"device": f"sw{i:04d}", "interface": _port(kinds[i], 1)},
                "medium": "fiber" if rng.random() < 0.8 else "wireless",
                "length_km": round(rng.uniform(0.1, 15.0), 2),
                "capacity_mbps": 1000,
            }
        )
    agencies: list[dict[str, object]] = []
    devices: list[dict[str, object]] = []
    for i, platform in enumerate(kinds):
        name = f"sw{i:04d}"
        interfaces: list[dict[str, object]] = []
        for n in range(1, interfaces_per_device + 1):
            port: dict[str, object] = {"name": _port(platform, n), "speed_mbps": 1000}
            if i == 0 and n == 1:
                port["description"] = "uplink isp"
            elif n == interfaces_per_device and i > 0:
                code = f"a{i:04d}"
                net = ipaddress.IPv4Network(f"10.{64 + i // 256}.{i % 256}.0/24")
                max_down = rng.choice([20, 30, 50, 100])
                agencies.append(
                    {
                        "code": code,
                        "name": f"Agency {i}",
                        "kind": "dinas",
                        "group": "all",
                        "subnets": [str(net)],
                        "quota": {
                            "guaranteed_down_mbps": max_down / 4,
                            "maximum_down_mbps": max_down,
                            "guaranteed_up_mbps": max_down / 8,
                            "maximum_up_mbps": max_down / 2,
                            "priority": rng.randint(1, 8),
                        },
                    }
                )
                port["agency"] = code
            interfaces.append(port)
        devices.append(
            {
                "hostname": name,
                "mgmt_address": str(ipaddress.IPv4Address("10.255.0.0") + i + 1),
                "platform": platform,
                "role": "core" if i == 0 else "access",
                "site": "dc",
                "credentials": "lab",
                "model": MODEL[platform],
                "interfaces": interfaces,
            }
        )
    doc = {
        "region": "Synthetic",
        "credentials": [
            {"name": "lab", "username": "netops", "password_ref": "NETOPS_LAB_PASSWORD"}
        ],
        "uplinks": [
            {
                "name": "isp",
                "provider": "ISP",
                "down_mbps": 1000,
                "up_mbps": 500,
                "device": "sw0000",
                "interface": _port(kinds[0], 1),
            }
        ],
        "groups": [
            {
                "name": "all",
                "quota": {
                    "guaranteed_down_mbps": 500,
                    "maximum_down_mbps": 1000,
                    "guaranteed_up_mbps": 250,
                    "maximum_up_mbps": 500,
                },
            }
        ],
        "agencies": agencies,
        "sites": [{"name": "dc", "latitude": -8.11, "longitude": 115.09}],
        "devices": devices,
        "links": links,
    }
    return Inventory.model_validate(doc)
