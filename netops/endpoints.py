"""Where to reach each device: through the lab's connection map, or (deliberately) the network.

Two explicit modes, never one falling back to the other:

* **lab mode** (the default): ``netops lab up`` writes a connection map (JSON) naming, for every
  simulated device, the loopback address and port it listens on; every device must resolve
  through it, and a device the map does not name is refused before any packet is sent.
* **real-network mode** (``settings.real_network``, ``--real-network``): the inventory's
  management addresses; no lab map is read.

Example map::

    {"devices": {"core1": {"host": "127.0.0.1", "port": 40001}}}
"""

from __future__ import annotations

import ipaddress
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from netops.errors import DeviceUnreachable, LabError, NetopsError
from netops.inventory.schema import Device


@dataclass(frozen=True)
class Endpoint:
    """An SSH endpoint: IPv4/hostname and TCP port."""

    host: str
    port: int


def inventory_endpoint(device: Device) -> Endpoint:
    return Endpoint(str(device.mgmt_address), device.mgmt_port)


def require_loopback(host: str) -> str:
    """``host`` if it is a literal IPv4 loopback address (127.0.0.0/8); checked with
    :mod:`ipaddress`, never resolved.  Raises :class:`LabError` otherwise."""
    try:
        addr = ipaddress.IPv4Address(host.strip())
    except ValueError:
        addr = None
    if addr is None or not addr.is_loopback:
        raise LabError(
            f"the lab listens on loopback only: {host!r} is not an IPv4 address in 127.0.0.0/8"
        )
    return str(addr)


def load_endpoints(path: Path) -> dict[str, Endpoint]:
    """Read a connection map; raise :class:`NetopsError` naming the file if it is unreadable."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {
            name: Endpoint(str(e["host"]), int(e["port"])) for name, e in raw["devices"].items()
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NetopsError(
            f"{path}: not a readable connection map ({exc.__class__.__name__}: {exc})"
        ) from None


def save_endpoints(path: Path, endpoints: dict[str, Endpoint]) -> None:
    """Write a connection map atomically (write to a temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"devices": {n: {"host": e.host, "port": e.port} for n, e in sorted(endpoints.items())}}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".lab-map-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(body, fh, indent=1)
    os.replace(tmp, path)


def resolve_endpoint(device: Device, lab_map: Mapping[str, Endpoint] | None) -> Endpoint:
    """The lab's endpoint for ``device`` when a lab map is in use, else (real-network mode, map
    ``None``) the inventory's management address.

    With a lab map, a device it does not name raises :class:`DeviceUnreachable`: its management
    address is never used in lab mode.
    """
    if lab_map is None:
        return inventory_endpoint(device)
    try:
        return lab_map[device.hostname]
    except KeyError:
        raise DeviceUnreachable(
            device.hostname,
            "not in the lab connection map (added after `netops lab up`?); lab mode never "
            "contacts management addresses: restart the lab, or poll with --real-network",
        ) from None
