"""The collector contract: what netops reads from every device, typed, with units in the names.

A driver (``collectors.drivers.*``) implements :class:`Collector` for one platform on top of an open
SSH session; parsers (``collectors.parsers.*``) turn command text into these records and are pure.
Every getter raises :class:`~netops.errors.CollectorError` subclasses only:
:class:`~netops.errors.CommandTimeout`, :class:`~netops.errors.DeviceUnreachable` (session lost) or
:class:`~netops.errors.ParseError` (output empty, truncated or not of the expected shape).
"""

from __future__ import annotations

from abc import ABC, abstractmethod

# The records are shared with the telemetry layer, so they live there (docs/architecture.md).
from netops.telemetry.records import (
    COUNTER_32_MAX,
    COUNTER_64_MAX,
    ConfigText,
    Facts,
    InterfaceCounters,
    InterfaceInfo,
    Neighbor,
    QueueStats,
)

__all__ = [
    "COUNTER_32_MAX",
    "COUNTER_64_MAX",
    "GETTERS",
    "Collector",
    "ConfigText",
    "Facts",
    "InterfaceCounters",
    "InterfaceInfo",
    "Neighbor",
    "QueueStats",
]

GETTERS = ("facts", "interfaces", "counters", "neighbors", "config", "queues")
"""Names of the getters, as used by the engine, the scheduler and ``netops poll --what``."""


class Collector(ABC):
    """What a driver provides for one device over one open session.

    Drivers hold no state between cycles except the session itself; the engine reuses the
    collector (and so the session) across cycles and calls :meth:`close` when done.
    """

    platform: str = ""
    deadline_s: float | None = None
    """A ``time.monotonic()`` instant no read may wait past (set by the engine per cycle)."""

    @abstractmethod
    def get_facts(self) -> Facts:
        """Hostname, vendor, model, OS version, serial number, uptime in seconds."""

    @abstractmethod
    def get_interfaces(self) -> list[InterfaceInfo]:
        """Every interface: up/enabled, speed in Mbit/s, MTU in bytes, MAC, description."""

    @abstractmethod
    def get_counters(self) -> list[InterfaceCounters]:
        """Octets/packets/errors in and out per interface (64-bit where the device has them)."""

    @abstractmethod
    def get_neighbors(self) -> list[Neighbor]:
        """LLDP neighbours (MNDP/LLDP from ``/ip neighbor`` on MikroTik)."""

    @abstractmethod
    def get_config(self) -> ConfigText:
        """The running configuration, unmasked (the storage layer masks secrets)."""

    @abstractmethod
    def get_queues(self) -> list[QueueStats]:
        """Shaping queues with targets, limits (bit/s), byte counters and current rates."""

    def is_alive(self) -> bool:
        """Whether the underlying session still looks usable (cheap; never raises)."""
        return True

    def close(self) -> None:  # noqa: B027 - optional hook, most drivers close a session
        """Release the session; never raises."""
