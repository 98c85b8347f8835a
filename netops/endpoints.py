"""Where to reach each device: the management address from the inventory, or the lab's override.

``netops lab up`` writes a connection map (JSON) naming, for every simulated device, the loopback
address and port it listens on; collectors read it with :func:`load_endpoints` and use it instead of
the inventory's management address.  Example file::

    {"devices": {"core1": {"host": "127.0.0.1", "port": 40001}}}
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from netops.errors import NetopsError
from netops.inventory.schema import Device


@dataclass(frozen=True)
class Endpoint:
    """An SSH endpoint: IPv4/hostname and TCP port."""

    host: str
    port: int


def inventory_endpoint(device: Device) -> Endpoint:
    return Endpoint(str(device.mgmt_address), device.mgmt_port)


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


def resolve_endpoint(device: Device, overrides: dict[str, Endpoint] | None) -> Endpoint:
    """The lab's endpoint for ``device`` when a map is given and names it, else the inventory's."""
    if overrides and device.hostname in overrides:
        return overrides[device.hostname]
    return inventory_endpoint(device)
