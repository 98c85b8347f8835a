"""Inventory tables: the database copy of ``inventory.yaml``, with history.

Every row that comes from the inventory carries ``key`` (its natural key, unique across current and
retired rows, e.g. ``core1:ether2`` for an interface) and ``retired_at``: an entry removed from the
YAML is not deleted but retired (``retired_at`` set), so samples, backups and audit rows that point
at it stay valid; re-adding it clears ``retired_at`` on the same row.  Current rows are those with
``retired_at IS NULL`` (see :func:`current`).  Rates are Mbit/s, lengths km, money Rupiah, times
UTC.  Secrets are never stored: :class:`CredentialRef` holds only the *names* of the variables
that hold them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Integer,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netops.storage.base import Base

KEY_LEN = 300
NAME_LEN = 63
TEXT_LEN = 200
IFACE_LEN = 64


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC.

    SQLite has no time zones and returns naive values; this type converts aware datetimes to UTC on
    the way in and returns aware UTC datetimes on the way out, so comparisons behave the same on
    SQLite and PostgreSQL.  Naive datetimes are refused (``ValueError``).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: netops stores aware datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class InventoryRow:
    """Columns shared by every table synced from the inventory."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LEN), unique=True)
    """Natural key used by sync, unique over current and retired rows."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class CredentialRef(InventoryRow, Base):
    """A named login devices use: user name plus the *names* of the environment variables (or
    secrets-file keys) holding the password and enable secret.  Never a secret itself."""

    __tablename__ = "credential_refs"

    name: Mapped[str] = mapped_column(String(NAME_LEN))
    username: Mapped[str] = mapped_column(String(64))
    password_ref: Mapped[str] = mapped_column(String(128))
    enable_ref: Mapped[str | None] = mapped_column(String(128))


class Group(InventoryRow, Base):
    """A level between the uplink and the agencies (e.g. "kecamatan") whose quota its agencies
    share."""

    __tablename__ = "agency_groups"

    name: Mapped[str] = mapped_column(String(NAME_LEN))
    description: Mapped[str | None] = mapped_column(String(TEXT_LEN))

    quota: Mapped[Quota | None] = relationship(
        back_populates="group", foreign_keys="Quota.group_id", uselist=False
    )


class Agency(InventoryRow, Base):
    """An SKPD (dinas, badan, kecamatan office, RSUD...): NetBox's Tenant.  Owns subnets (a JSON
    list of CIDR strings), belongs to one group, holds one quota."""

    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(NAME_LEN))
    name: Mapped[str] = mapped_column(String(TEXT_LEN))
    kind: Mapped[str] = mapped_column(String(32))
    group_id: Mapped[int] = mapped_column(ForeignKey("agency_groups.id"))
    contact_name: Mapped[str | None] = mapped_column(String(TEXT_LEN))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    contact_email: Mapped[str | None] = mapped_column(String(TEXT_LEN))
    subnets: Mapped[list[str]] = mapped_column(JSON, default=list)

    group: Mapped[Group] = relationship()
    quota: Mapped[Quota | None] = relationship(
        back_populates="agency", foreign_keys="Quota.agency_id", uselist=False
    )


class Quota(InventoryRow, Base):
    """HTB rates of one group or one agency: guaranteed = rate, maximum = ceil, priority 1..8.
    ``key`` is ``group:<name>`` or ``agency:<code>``; exactly one owner column is set."""

    __tablename__ = "quotas"
    __table_args__ = (
        CheckConstraint(
            "(group_id IS NULL) <> (agency_id IS NULL)",
            name="one_owner",
        ),
    )

    group_id: Mapped[int | None] = mapped_column(ForeignKey("agency_groups.id"), unique=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), unique=True)
    guaranteed_down_mbps: Mapped[float] = mapped_column(Float)
    maximum_down_mbps: Mapped[float] = mapped_column(Float)
    guaranteed_up_mbps: Mapped[float] = mapped_column(Float)
    maximum_up_mbps: Mapped[float] = mapped_column(Float)
    priority: Mapped[int] = mapped_column(Integer)

    group: Mapped[Group | None] = relationship(back_populates="quota", foreign_keys=[group_id])
    agency: Mapped[Agency | None] = relationship(back_populates="quota", foreign_keys=[agency_id])
    boosts: Mapped[list[Boost]] = relationship(back_populates="quota", order_by="Boost.start_at")


class Boost(InventoryRow, Base):
    """A time-limited raise of a quota's maximum (e.g. PPDB registration week).  ``key`` is
    ``<quota key>@<start in UTC ISO 8601>``."""

    __tablename__ = "boosts"

    quota_id: Mapped[int] = mapped_column(ForeignKey("quotas.id"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    end_at: Mapped[datetime] = mapped_column(UTCDateTime())
    maximum_down_mbps: Mapped[float | None] = mapped_column(Float)
    maximum_up_mbps: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str | None] = mapped_column(String(TEXT_LEN))

    quota: Mapped[Quota] = relationship(back_populates="boosts")


class Site(InventoryRow, Base):
    """A place with equipment: an office building, a tower, the data center (degrees WGS84)."""

    __tablename__ = "sites"

    name: Mapped[str] = mapped_column(String(NAME_LEN))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(String(TEXT_LEN))

    agency: Mapped[Agency | None] = relationship()


class Device(InventoryRow, Base):
    """A router or switch netops polls over SSH; ``platform`` is a netmiko device type."""

    __tablename__ = "devices"

    hostname: Mapped[str] = mapped_column(String(NAME_LEN))
    mgmt_address: Mapped[str] = mapped_column(String(15))
    mgmt_port: Mapped[int] = mapped_column(Integer)
    platform: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(32))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    credential_id: Mapped[int] = mapped_column(ForeignKey("credential_refs.id"))
    model: Mapped[str | None] = mapped_column(String(TEXT_LEN))

    site: Mapped[Site] = relationship()
    credential: Mapped[CredentialRef] = relationship()
    interfaces: Mapped[list[Interface]] = relationship(
        back_populates="device", order_by="Interface.id"
    )


class Interface(InventoryRow, Base):
    """A port on a device; ``agency_id`` marks a LAN port serving that agency.  ``key`` is
    ``<hostname>:<interface name>``."""

    __tablename__ = "interfaces"
    __table_args__ = (UniqueConstraint("device_id", "name"),)

    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"))
    name: Mapped[str] = mapped_column(String(IFACE_LEN))
    speed_mbps: Mapped[float] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(String(TEXT_LEN))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))

    device: Mapped[Device] = relationship(back_populates="interfaces")
    agency: Mapped[Agency | None] = relationship()


class Link(InventoryRow, Base):
    """A cable or radio path between two interfaces (NetBox's Cable).  ``key`` is the two ends
    ``host:iface`` sorted and joined by ``<->``, so swapping a and b is not a new link."""

    __tablename__ = "links"

    a_interface_id: Mapped[int] = mapped_column(ForeignKey("interfaces.id"))
    b_interface_id: Mapped[int] = mapped_column(ForeignKey("interfaces.id"))
    medium: Mapped[str] = mapped_column(String(16))
    length_km: Mapped[float] = mapped_column(Float)
    capacity_mbps: Mapped[float] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(String(TEXT_LEN))

    a_interface: Mapped[Interface] = relationship(foreign_keys=[a_interface_id])
    b_interface: Mapped[Interface] = relationship(foreign_keys=[b_interface_id])


class Uplink(InventoryRow, Base):
    """An internet circuit bought by Diskominfo (NetBox's Circuit), ending on one interface."""

    __tablename__ = "uplinks"

    name: Mapped[str] = mapped_column(String(NAME_LEN))
    provider: Mapped[str] = mapped_column(String(TEXT_LEN))
    down_mbps: Mapped[float] = mapped_column(Float)
    up_mbps: Mapped[float] = mapped_column(Float)
    interface_id: Mapped[int] = mapped_column(ForeignKey("interfaces.id"))
    cost_idr_per_month: Mapped[int] = mapped_column(BigInteger)

    interface: Mapped[Interface] = relationship()


class Shaper(InventoryRow, Base):
    """A router enforcing the bandwidth plan: download shaped on ``lan_interface`` egress, upload on
    ``wan_interface``.  ``groups`` is a JSON list of group names (empty = all).  ``key`` is
    ``<hostname>:<lan interface>``."""

    __tablename__ = "shapers"

    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"))
    lan_interface_id: Mapped[int] = mapped_column(ForeignKey("interfaces.id"))
    wan_interface_id: Mapped[int] = mapped_column(ForeignKey("interfaces.id"))
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    # simple | tree (inventory Shaper.mode); the server default keeps rows synced before 0004 valid
    mode: Mapped[str] = mapped_column(String(8), default="simple", server_default="simple")

    device: Mapped[Device] = relationship()
    lan_interface: Mapped[Interface] = relationship(foreign_keys=[lan_interface_id])
    wan_interface: Mapped[Interface] = relationship(foreign_keys=[wan_interface_id])


class InventoryRevision(Base):
    """One applied sync that changed something: when, from which file (and its SHA-256), by whom,
    and how many rows were added, changed and retired."""

    __tablename__ = "inventory_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    source: Mapped[str] = mapped_column(String(1024))
    sha256: Mapped[str] = mapped_column(String(64))
    region: Mapped[str | None] = mapped_column(String(TEXT_LEN))
    added: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[int] = mapped_column(Integer, default=0)
    applied_by: Mapped[str] = mapped_column(String(128))


INVENTORY_MODELS: tuple[type[InventoryRow], ...] = (
    CredentialRef,
    Group,
    Agency,
    Quota,
    Boost,
    Site,
    Device,
    Interface,
    Uplink,
    Link,
    Shaper,
)
"""Every synced model, parents before children (the order sync applies them in)."""
