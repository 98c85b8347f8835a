"""The shape of ``inventory.yaml``: the source of truth for the intranet.

Each class below is one kind of entry; ``docs/inventory.md`` has an example of every key.  These
models check one entry at a time (types, ranges, units); cross-entry rules (unknown references,
duplicates, overlapping subnets, guarantees above the uplink) live in ``netops.inventory.checks``.
Rates are Mbit/s (``_mbps``), lengths kilometres (``_km``), money Rupiah (``_idr``).
"""

from __future__ import annotations

import ipaddress
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

# Names that end up in device commands, file names and URLs: letters, digits, dot, dash, underscore.
Name = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=63, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
    ),
]
# Free text a person reads (agency names, addresses): any printable text, no control characters.
Text = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$"
    ),
]
InterfaceName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9./:_-]*$",
    ),
]
Mbps = Annotated[float, Field(ge=0, le=1_000_000)]


class Platform(StrEnum):
    """Device platforms netops can poll; the values are netmiko device types."""

    CISCO_IOS = "cisco_ios"
    MIKROTIK_ROUTEROS = "mikrotik_routeros"
    LINUX = "linux"


class Role(StrEnum):
    CORE = "core"
    DISTRIBUTION = "distribution"
    ACCESS = "access"
    WIRELESS_PTP = "wireless-ptp"


class Medium(StrEnum):
    FIBER = "fiber"
    WIRELESS = "wireless"
    COPPER = "copper"


class AgencyKind(StrEnum):
    SEKRETARIAT = "sekretariat"
    DPRD = "dprd"
    DINAS = "dinas"
    BADAN = "badan"
    INSPEKTORAT = "inspektorat"
    KANTOR = "kantor"
    SATPOL = "satpol"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    RSUD = "rsud"
    PUSKESMAS = "puskesmas"
    UPT = "upt"
    LAINNYA = "lainnya"


def _numeric(annotation: object) -> bool:
    if annotation in (int, float):
        return True
    return any(arg in (int, float) for arg in getattr(annotation, "__args__", ()))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _no_booleans_as_numbers(cls, data: object) -> object:
        # pydantic would quietly turn `mgmt_port: true` into 1.
        if isinstance(data, dict):
            for name, field in cls.model_fields.items():
                value = data.get(name)
                if isinstance(value, bool) and _numeric(field.annotation):
                    raise ValueError(f"{name}: {value!r} is a boolean, not a number")
        return data


class Credential(_Strict):
    """A named login used by devices.  Secrets are *references*: an environment variable name or a
    key in the secrets file (``NETOPS_SECRETS_FILE``), never the secret itself."""

    name: Name
    username: Annotated[
        str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._@-]+$")
    ]
    password_ref: Annotated[str, StringConstraints(max_length=128, pattern=r"^[A-Z][A-Z0-9_]*$")]
    enable_ref: (
        Annotated[str, StringConstraints(max_length=128, pattern=r"^[A-Z][A-Z0-9_]*$")] | None
    ) = None


class Boost(_Strict):
    """A time-limited raise of an agency's maximum (e.g. PPDB registration week)."""

    start: datetime
    end: datetime
    maximum_down_mbps: Mbps | None = None
    maximum_up_mbps: Mbps | None = None
    reason: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Boost:
        # the time zone first: a naive and an aware time cannot even be compared
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("boost start and end need a time zone, e.g. 2026-06-01T00:00:00+08:00")
        if self.end <= self.start:
            raise ValueError(
                f"boost ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})"
            )
        if self.maximum_down_mbps is None and self.maximum_up_mbps is None:
            raise ValueError("a boost raises maximum_down_mbps, maximum_up_mbps or both")
        return self


class Quota(_Strict):
    """HTB semantics: guaranteed = rate, maximum = ceil, priority 1 (highest) .. 8 (lowest)."""

    guaranteed_down_mbps: Mbps
    maximum_down_mbps: Mbps
    guaranteed_up_mbps: Mbps
    maximum_up_mbps: Mbps
    priority: Annotated[int, Field(ge=1, le=8)] = 4
    boosts: tuple[Boost, ...] = ()

    @model_validator(mode="after")
    def _guaranteed_within_maximum(self) -> Quota:
        for direction in ("down", "up"):
            g = getattr(self, f"guaranteed_{direction}_mbps")
            m = getattr(self, f"maximum_{direction}_mbps")
            if g > m:
                raise ValueError(
                    f"guaranteed_{direction}_mbps {g:g} is above maximum_{direction}_mbps {m:g}"
                )
        return self


class Contact(_Strict):
    name: Text
    phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ()-]{6,20}$")] | None = None
    email: (
        Annotated[str, StringConstraints(max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
        | None
    ) = None


class Group(_Strict):
    """A level between the uplink and the agencies (e.g. "Kecamatan", "Layanan publik"), with its
    own guaranteed/maximum rates that its agencies share."""

    name: Name
    description: Text | None = None
    quota: Quota


class Agency(_Strict):
    """An SKPD (dinas, badan, kecamatan office, hospital, ...): NetBox's Tenant.  It owns subnets,
    sits at one or more sites, and holds a bandwidth quota inside a group."""

    code: Name
    name: Text
    kind: AgencyKind
    group: Name
    contact: Contact | None = None
    subnets: tuple[ipaddress.IPv4Network, ...] = ()
    quota: Quota

    @field_validator("subnets", mode="before")
    @classmethod
    def _strict_networks(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            out = []
            for item in value:
                try:
                    out.append(ipaddress.IPv4Network(str(item), strict=True))
                except ValueError as exc:
                    raise ValueError(
                        f"subnet {item!r} is not an IPv4 network in CIDR form: {exc}"
                    ) from None
            return tuple(out)
        return value


class Site(_Strict):
    """A place with equipment: an office building, a tower, the data center."""

    name: Name
    agency: Name | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]
    address: Text | None = None


class Interface(_Strict):
    """A port on a device.  ``agency`` marks a LAN port that serves that agency's subnets."""

    name: InterfaceName
    speed_mbps: Mbps = 1000
    description: Text | None = None
    agency: Name | None = None


class Device(_Strict):
    """A router or switch netops polls over SSH."""

    hostname: Name
    mgmt_address: ipaddress.IPv4Address
    mgmt_port: Annotated[int, Field(ge=1, le=65535)] = 22
    platform: Platform
    role: Role
    site: Name
    credentials: Name
    model: Text | None = None
    interfaces: tuple[Interface, ...] = ()


class LinkEnd(_Strict):
    device: Name
    interface: InterfaceName


class Link(_Strict):
    """A cable or radio path between two device interfaces (NetBox's Cable)."""

    a: LinkEnd
    b: LinkEnd
    medium: Medium
    length_km: Annotated[float, Field(ge=0, le=500)]
    capacity_mbps: Annotated[float, Field(gt=0, le=1_000_000)]
    description: Text | None = None


class Uplink(_Strict):
    """An internet circuit bought by Diskominfo (NetBox's Circuit)."""

    name: Name
    provider: Text
    down_mbps: Annotated[float, Field(gt=0, le=1_000_000)]
    up_mbps: Annotated[float, Field(gt=0, le=1_000_000)]
    device: Name
    interface: InterfaceName
    # stored as BIGINT: every value check accepts, every backend stores
    cost_idr_per_month: Annotated[int, Field(ge=0, le=2**63 - 1)] = 0


class ShaperMode(StrEnum):
    """How a shaper enforces the plan: MikroTik ``simple`` queues (any platform's native form) or
    ``tree`` (MikroTik queue tree fed by firewall mangle marks)."""

    SIMPLE = "simple"
    TREE = "tree"


class Shaper(_Strict):
    """A router that enforces the bandwidth plan for agency subnets.

    ``lan_interface`` faces the agencies (download is shaped on its egress), ``wan_interface``
    faces the uplink (upload is shaped there).  ``groups`` limits it to some groups (default: all).
    ``mode`` picks the MikroTik rendering: ``simple`` queues (default) or ``tree`` (queue tree +
    mangle); other platforms have one rendering and accept only ``simple``.
    """

    device: Name
    lan_interface: InterfaceName
    wan_interface: InterfaceName
    groups: tuple[Name, ...] = ()
    mode: ShaperMode = ShaperMode.SIMPLE


class Inventory(_Strict):
    """The whole document."""

    version: Annotated[int, Field(ge=1, le=1)] = 1
    region: Text
    credentials: tuple[Credential, ...] = ()
    uplinks: tuple[Uplink, ...] = ()
    groups: tuple[Group, ...] = ()
    agencies: tuple[Agency, ...] = ()
    sites: tuple[Site, ...] = ()
    devices: tuple[Device, ...] = ()
    links: tuple[Link, ...] = ()
    shapers: tuple[Shaper, ...] = ()

    def device(self, hostname: str) -> Device:
        for d in self.devices:
            if d.hostname == hostname:
                return d
        raise KeyError(hostname)

    def agency(self, code: str) -> Agency:
        for a in self.agencies:
            if a.code == code:
                return a
        raise KeyError(code)

    def uplink_capacity_mbps(self) -> tuple[float, float]:
        """(down, up) Mbit/s summed over all uplinks."""
        return (sum(u.down_mbps for u in self.uplinks), sum(u.up_mbps for u in self.uplinks))
