"""What netops reads from every device, typed, with units in the names: the records of the
collector contract (:mod:`collectors.base`).

They live here, in the telemetry layer, because two layers share them: the collectors produce them
and :mod:`netops.telemetry` turns them into stored samples; a record type that two layers share
lives in the lower one (docs/architecture.md).  :mod:`collectors.base` re-exports every name, so
``from collectors.base import QueueStats`` keeps working.  Plain frozen dataclasses; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

COUNTER_32_MAX = 2**32
COUNTER_64_MAX = 2**64


@dataclass(frozen=True, slots=True)
class Facts:
    """Identity of a device, e.g. ``Facts("core1", "MikroTik", "CCR2004-16G-2S+", "7.12.1",
    "HE108KXXXXX", 93784.0, ("ether1", "ether2"))``.  ``uptime_s`` is seconds since boot."""

    hostname: str
    vendor: str
    model: str
    os_version: str
    serial_number: str
    uptime_s: float
    interface_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InterfaceInfo:
    """One interface's state, e.g. ``InterfaceInfo("ether1", True, True, 1000.0, 1500,
    "64:D1:54:00:00:01", "uplink isp-a")``.  ``speed_mbps`` is Mbit/s; None when the device does
    not say (the inventory's ``speed_mbps`` is then used); ``mtu_bytes`` None likewise."""

    name: str
    is_up: bool
    is_enabled: bool
    speed_mbps: float | None
    mtu_bytes: int | None
    mac_address: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class InterfaceCounters:
    """Monotonic counters since boot, e.g. ``InterfaceCounters("ether1", 205149015, 147887338,
    158132, 150015, 0, 0, 64)``: octets (bytes) and packets in/out, input/output errors.
    ``counter_bits`` is 64 when the device keeps 64-bit counters, 32 when they wrap at 2**32."""

    name: str
    octets_in: int
    octets_out: int
    packets_in: int
    packets_out: int
    errors_in: int
    errors_out: int
    counter_bits: int = 64


@dataclass(frozen=True, slots=True)
class Neighbor:
    """A neighbour seen on a local interface (LLDP, CDP, or MikroTik MNDP), e.g.
    ``Neighbor("ether2", "dist1", "GigabitEthernet1/0/1", "10.255.0.2", "lldp")``."""

    local_interface: str
    remote_system_name: str
    remote_port: str
    remote_address: str = ""
    protocol: str = "lldp"


@dataclass(frozen=True, slots=True)
class ConfigText:
    """The running configuration as text, as the device printed it (masking happens later)."""

    running: str


@dataclass(frozen=True, slots=True)
class QueueStats:
    """One shaping queue, normalised across platforms.

    ``target`` is what the queue shapes (a subnet such as ``"10.10.1.0/24"``, an interface, or a
    class/ACL name on Cisco).  Directions are seen from the target (MikroTik's "upload/download"):
    ``up`` is traffic *from* the agency, ``down`` traffic *to* it.  Limits and rates are bits per
    second (None when not set); ``bytes_*`` are octet counters since the queue was created.
    Example: ``QueueStats("diskominfo", "10.10.1.0/24", 20_000_000, 60_000_000, 8_000_000,
    20_000_000, 123456, 7890123, 1_200_000.0, 15_000_000.0)``.
    """

    name: str
    target: str
    limit_at_up_bps: int | None
    max_limit_up_bps: int | None
    limit_at_down_bps: int | None
    max_limit_down_bps: int | None
    bytes_up: int
    bytes_down: int
    rate_up_bps: float | None = None
    rate_down_bps: float | None = None
    parent: str = ""
    disabled: bool = False
    extra: dict[str, str] = field(default_factory=dict, compare=False)
