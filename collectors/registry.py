"""The driver registry: platform name -> factory building a Collector on an open session.

Explicit (a dict on an object); registering a name twice raises; an unknown name lists the
valid ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from collectors.base import Collector
from netops.inventory.schema import Device

Factory = Callable[[Any, Device], Collector]


class DriverRegistry:
    def __init__(self) -> None:
        self._factories: dict[str, Factory] = {}

    def register(self, platform: str, factory: Factory) -> None:
        if platform in self._factories:
            raise ValueError(f"a driver for {platform!r} is already registered")
        self._factories[platform] = factory

    def build(self, platform: str, conn: Any, device: Device) -> Collector:
        try:
            factory = self._factories[platform]
        except KeyError:
            valid = ", ".join(sorted(self._factories))
            raise KeyError(f"no driver for platform {platform!r}; valid: {valid}") from None
        return factory(conn, device)

    def platforms(self) -> list[str]:
        return sorted(self._factories)


def default_registry() -> DriverRegistry:
    """The three shipped drivers (imported here, not at module import)."""
    from collectors.drivers.cisco_ios import IOSCollector
    from collectors.drivers.linux import LinuxCollector
    from collectors.drivers.routeros import RouterOSCollector

    reg = DriverRegistry()
    reg.register("cisco_ios", lambda conn, d: IOSCollector(conn, d.hostname))
    reg.register("mikrotik_routeros", lambda conn, d: RouterOSCollector(conn, d.hostname))
    reg.register(
        "linux", lambda conn, d: LinuxCollector(conn, d.hostname, [i.name for i in d.interfaces])
    )
    return reg
