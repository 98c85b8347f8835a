"""Telemetry tables and the read functions the rest of netops uses.

What the collectors store, keyed by the inventory device *hostname* (polling does not need the
inventory to be synced first):

* ``device_polls``: one row per device per poll job: ok or the error, duration (status history);
* ``device_state``: one row per device: last success, last error, reachability (upserted);
* ``facts_snapshots``, ``neighbor_observations``, ``config_backups`` (masked, versioned, sha256,
  unified diff against the previous version, stored on change only);
* ``interface_samples``: raw counters plus the computed rates (``in_bps``/``out_bps`` NULL when
  the sample was dropped: ``status`` says why), ``interface_rollups``: min/avg/max/p95 per bucket;
* ``queue_samples``: shaping queues with limits, byte counters and rates;
* ``counter_state``: last counters per (device, key) so a restarted poller computes the next
  rate instead of a spike.

Times are epoch seconds (``*_s``, float, UTC) for cheap bulk writes; the read functions return
aware datetimes.  64-bit counters are stored in signed BIGINT columns as two's complement
(:func:`to_signed64`/:func:`from_signed64`).  Writes live in :mod:`netops.telemetry.store`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from netops.storage.base import Base

NAME_LEN = 63
IFACE_LEN = 64


def to_signed64(value: int) -> int:
    return value - 2**64 if value >= 2**63 else value


def from_signed64(value: int) -> int:
    return value + 2**64 if value < 0 else value


def _dt(ts_s: float) -> datetime:
    return datetime.fromtimestamp(ts_s, UTC)


def _ts(at: datetime) -> float:
    if at.tzinfo is None:
        raise ValueError(f"naive datetime {at!r}: pass an aware datetime")
    return at.timestamp()


class DevicePoll(Base):
    """One poll job on one device: which getters, when, how long, and the outcome."""

    __tablename__ = "device_polls"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    device: Mapped[str] = mapped_column(String(NAME_LEN))
    what: Mapped[str] = mapped_column(String(100))
    started_s: Mapped[float] = mapped_column(Float)
    duration_s: Mapped[float] = mapped_column(Float)
    ok: Mapped[bool] = mapped_column(Boolean)
    reachable: Mapped[bool] = mapped_column(Boolean)
    error_kind: Mapped[str | None] = mapped_column(String(40), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str | None] = mapped_column(String(8), nullable=True)
    """``ok`` (every getter), ``partial`` (some) or ``failed`` (none); None before 0010."""
    getters_ok: Mapped[str | None] = mapped_column(String(100), nullable=True)
    """Comma-separated getters that succeeded, e.g. ``facts,config``."""
    getter_errors: Mapped[str | None] = mapped_column(Text, nullable=True)
    """JSON object getter -> error message of each getter that failed."""
    finished_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    __table_args__ = (Index("ix_device_polls_device_started", "device", "started_s"),)


class DeviceStateRow(Base):
    """The latest status of a device (upserted by the poll that owns the device)."""

    __tablename__ = "device_state"
    device: Mapped[str] = mapped_column(String(NAME_LEN), primary_key=True)
    reachable: Mapped[bool] = mapped_column(Boolean)
    last_poll_s: Mapped[float] = mapped_column(Float)
    last_ok_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    last_error_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    last_error_kind: Mapped[str | None] = mapped_column(String(40), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_duration_s: Mapped[float] = mapped_column(Float)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str | None] = mapped_column(String(8), nullable=True)


class FactsSnapshot(Base):
    __tablename__ = "facts_snapshots"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    device: Mapped[str] = mapped_column(String(NAME_LEN))
    at_s: Mapped[float] = mapped_column(Float)
    hostname: Mapped[str] = mapped_column(String(200))
    vendor: Mapped[str] = mapped_column(String(100))
    model: Mapped[str] = mapped_column(String(200))
    os_version: Mapped[str] = mapped_column(String(300))
    serial_number: Mapped[str] = mapped_column(String(100))
    uptime_s: Mapped[float] = mapped_column(Float)
    __table_args__ = (Index("ix_facts_snapshots_device_at", "device", "at_s"),)


class InterfaceSample(Base):
    __tablename__ = "interface_samples"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    device: Mapped[str] = mapped_column(String(NAME_LEN))
    interface: Mapped[str] = mapped_column(String(IFACE_LEN))
    at_s: Mapped[float] = mapped_column(Float)
    octets_in: Mapped[int] = mapped_column(BigInteger)
    octets_out: Mapped[int] = mapped_column(BigInteger)
    packets_in: Mapped[int] = mapped_column(BigInteger)
    packets_out: Mapped[int] = mapped_column(BigInteger)
    errors_in: Mapped[int] = mapped_column(BigInteger)
    errors_out: Mapped[int] = mapped_column(BigInteger)
    counter_bits: Mapped[int] = mapped_column(SmallInteger)
    speed_mbps: Mapped[float] = mapped_column(Float)
    in_bps: Mapped[float | None] = mapped_column(Float, nullable=True)
    out_bps: Mapped[float | None] = mapped_column(Float, nullable=True)
    status: Mapped[str] = mapped_column(String(8))
    __table_args__ = (
        Index("ix_interface_samples_dev_if_at", "device", "interface", "at_s"),
        Index("ix_interface_samples_at", "at_s"),  # revision 0011: recent rows of every interface
    )


class InterfaceRollup(Base):
    __tablename__ = "interface_rollups"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    device: Mapped[str] = mapped_column(String(NAME_LEN))
    interface: Mapped[str] = mapped_column(String(IFACE_LEN))
    width_s: Mapped[int] = mapped_column(Integer)
    start_s: Mapped[int] = mapped_column(BigInteger)
    count: Mapped[int] = mapped_column(Integer)
    in_min_bps: Mapped[float] = mapped_column(Float)
    in_avg_bps: Mapped[float] = mapped_column(Float)
    in_max_bps: Mapped[float] = mapped_column(Float)
    in_p95_bps: Mapped[float] = mapped_column(Float)
    out_min_bps: Mapped[float] = mapped_column(Float)
    out_avg_bps: Mapped[float] = mapped_column(Float)
    out_max_bps: Mapped[float] = mapped_column(Float)
    out_p95_bps: Mapped[float] = mapped_column(Float)
    __table_args__ = (
        UniqueConstraint("device", "interface", "width_s", "start_s", name="uq_interface_rollups"),
        Index("ix_interface_rollups_width_start", "width_s", "start_s"),  # revision 0011
    )


class CounterState(Base):
    """Last counters per (device, key): key is an interface name or ``queue:<name>``."""

    __tablename__ = "counter_state"
    device: Mapped[str] = mapped_column(String(NAME_LEN), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    at_s: Mapped[float] = mapped_column(Float)
    octets_in: Mapped[int] = mapped_column(BigInteger)
    octets_out: Mapped[int] = mapped_column(BigInteger)
    counter_bits: Mapped[int] = mapped_column(SmallInteger)
    uptime_s: Mapped[float | None] = mapped_column(Float, nullable=True)


class NeighborObservation(Base):
    __tablename__ = "neighbor_observations"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    device: Mapped[str] = mapped_column(String(NAME_LEN))
    seen_s: Mapped[float] = mapped_column(Float)
    local_interface: Mapped[str] = mapped_column(String(IFACE_LEN))
    remote_system_name: Mapped[str] = mapped_column(String(200))
    remote_port: Mapped[str] = mapped_column(String(200))
    remote_address: Mapped[str] = mapped_column(String(100))
    protocol: Mapped[str] = mapped_column(String(10))
    __table_args__ = (Index("ix_neighbor_observations_device_seen", "device", "seen_s"),)


class ConfigBackup(Base):
    __tablename__ = "config_backups"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    device: Mapped[str] = mapped_column(String(NAME_LEN))
    version: Mapped[int] = mapped_column(Integer)
    taken_s: Mapped[float] = mapped_column(Float)
    sha256: Mapped[str] = mapped_column(String(64))
    config: Mapped[str] = mapped_column(Text)
    diff: Mapped[str] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("device", "version", name="uq_config_backups_version"),)


class QueueSample(Base):
    __tablename__ = "queue_samples"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    device: Mapped[str] = mapped_column(String(NAME_LEN))
    queue_name: Mapped[str] = mapped_column(String(200))
    target: Mapped[str] = mapped_column(String(300))
    parent: Mapped[str] = mapped_column(String(200))
    at_s: Mapped[float] = mapped_column(Float)
    limit_at_up_bps: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    max_limit_up_bps: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    limit_at_down_bps: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    max_limit_down_bps: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    bytes_up: Mapped[int] = mapped_column(BigInteger)
    bytes_down: Mapped[int] = mapped_column(BigInteger)
    rate_up_bps: Mapped[float | None] = mapped_column(Float, nullable=True)
    rate_down_bps: Mapped[float | None] = mapped_column(Float, nullable=True)
    disabled: Mapped[bool] = mapped_column(Boolean)
    __table_args__ = (
        Index("ix_queue_samples_dev_q_at", "device", "queue_name", "at_s"),
        Index("ix_queue_samples_dev_at", "device", "at_s"),  # revision 0011
    )


# ---------------------------------------------------------------------------------------------
# Read functions (plain dataclasses; no Flask, no SSH)


@dataclass(frozen=True, slots=True)
class NeighborRecord:
    device: str
    local_interface: str
    remote_system_name: str
    remote_port: str
    seen_at: datetime
    remote_address: str = ""
    protocol: str = "lldp"


@dataclass(frozen=True, slots=True)
class InterfaceRate:
    in_bps: float
    out_bps: float
    at: datetime


@dataclass(frozen=True, slots=True)
class RatePoint:
    at: datetime
    in_bps: float
    out_bps: float


@dataclass(frozen=True, slots=True)
class QueueRatePoint:
    at: datetime
    rate_up_bps: float | None
    rate_down_bps: float | None
    max_limit_up_bps: int | None
    max_limit_down_bps: int | None
    bytes_up: int
    bytes_down: int


@dataclass(frozen=True, slots=True)
class DeviceStatusRecord:
    device: str
    reachable: bool
    last_poll_at: datetime
    last_ok_at: datetime | None
    last_error_at: datetime | None
    last_error_kind: str | None
    last_error: str | None
    last_duration_s: float
    consecutive_failures: int


@dataclass(frozen=True, slots=True)
class ConfigVersion:
    device: str
    version: int
    taken_at: datetime
    sha256: str
    config: str
    diff: str


def latest_neighbors(session: Session) -> list[NeighborRecord]:
    """Each device's neighbours from its most recent neighbour poll."""
    latest = (
        select(NeighborObservation.device, func.max(NeighborObservation.seen_s).label("seen"))
        .group_by(NeighborObservation.device)
        .subquery()
    )
    rows = session.execute(
        select(NeighborObservation)
        .join(
            latest,
            (NeighborObservation.device == latest.c.device)
            & (NeighborObservation.seen_s == latest.c.seen),
        )
        .order_by(NeighborObservation.device, NeighborObservation.local_interface)
    ).scalars()
    return [
        NeighborRecord(
            r.device,
            r.local_interface,
            r.remote_system_name,
            r.remote_port,
            _dt(r.seen_s),
            r.remote_address,
            r.protocol,
        )
        for r in rows
    ]


def latest_interface_rates(session: Session) -> dict[tuple[str, str], InterfaceRate]:
    """The most recent stored (not dropped) rate of every (device, interface)."""
    latest = (
        select(
            InterfaceSample.device,
            InterfaceSample.interface,
            func.max(InterfaceSample.at_s).label("at"),
        )
        .where(InterfaceSample.in_bps.is_not(None))
        .group_by(InterfaceSample.device, InterfaceSample.interface)
        .subquery()
    )
    rows = session.execute(
        select(
            InterfaceSample.device,
            InterfaceSample.interface,
            InterfaceSample.in_bps,
            InterfaceSample.out_bps,
            InterfaceSample.at_s,
        ).join(
            latest,
            (InterfaceSample.device == latest.c.device)
            & (InterfaceSample.interface == latest.c.interface)
            & (InterfaceSample.at_s == latest.c.at),
        )
    )
    return {
        (d, i): InterfaceRate(float(a or 0.0), float(b or 0.0), _dt(t)) for d, i, a, b, t in rows
    }


def rate_series(
    session: Session, device: str, interface: str, since: datetime, until: datetime
) -> list[RatePoint]:
    """Stored rates of one interface in ``[since, until)``, oldest first (raw samples, then
    5-min and 1-h rollup averages for periods whose raw samples have been expired)."""
    lo, hi = _ts(since), _ts(until)
    raw = session.execute(
        select(InterfaceSample.at_s, InterfaceSample.in_bps, InterfaceSample.out_bps)
        .where(
            InterfaceSample.device == device,
            InterfaceSample.interface == interface,
            InterfaceSample.at_s >= lo,
            InterfaceSample.at_s < hi,
            InterfaceSample.in_bps.is_not(None),
        )
        .order_by(InterfaceSample.at_s)
    ).all()
    points = [RatePoint(_dt(t), float(a or 0.0), float(b or 0.0)) for t, a, b in raw]
    first_raw = raw[0][0] if raw else hi
    if first_raw > lo:
        for width in (300, 3600):
            rolled = session.execute(
                select(
                    InterfaceRollup.start_s, InterfaceRollup.in_avg_bps, InterfaceRollup.out_avg_bps
                )
                .where(
                    InterfaceRollup.device == device,
                    InterfaceRollup.interface == interface,
                    InterfaceRollup.width_s == width,
                    InterfaceRollup.start_s >= lo,
                    InterfaceRollup.start_s + width <= first_raw,
                )
                .order_by(InterfaceRollup.start_s)
            ).all()
            if rolled:
                older = [RatePoint(_dt(s), float(a), float(b)) for s, a, b in rolled]
                return older + points
    return points


def queue_rate_series(
    session: Session, device: str, queue_name: str, since: datetime, until: datetime
) -> list[QueueRatePoint]:
    """Samples of one queue in ``[since, until)``, oldest first."""
    rows = session.execute(
        select(QueueSample)
        .where(
            QueueSample.device == device,
            QueueSample.queue_name == queue_name,
            QueueSample.at_s >= _ts(since),
            QueueSample.at_s < _ts(until),
        )
        .order_by(QueueSample.at_s)
    ).scalars()
    return [
        QueueRatePoint(
            _dt(r.at_s),
            r.rate_up_bps,
            r.rate_down_bps,
            r.max_limit_up_bps,
            r.max_limit_down_bps,
            from_signed64(r.bytes_up),
            from_signed64(r.bytes_down),
        )
        for r in rows
    ]


def device_status(session: Session) -> list[DeviceStatusRecord]:
    """Latest status of every polled device, by name."""
    rows = session.execute(select(DeviceStateRow).order_by(DeviceStateRow.device)).scalars()
    return [
        DeviceStatusRecord(
            r.device,
            r.reachable,
            _dt(r.last_poll_s),
            _dt(r.last_ok_s) if r.last_ok_s is not None else None,
            _dt(r.last_error_s) if r.last_error_s is not None else None,
            r.last_error_kind,
            r.last_error,
            r.last_duration_s,
            r.consecutive_failures,
        )
        for r in rows
    ]


def config_versions(session: Session, device: str) -> list[ConfigVersion]:
    """Stored configuration versions of ``device``, oldest first (masked text)."""
    rows = session.execute(
        select(ConfigBackup).where(ConfigBackup.device == device).order_by(ConfigBackup.version)
    ).scalars()
    return [
        ConfigVersion(r.device, r.version, _dt(r.taken_s), r.sha256, r.config, r.diff) for r in rows
    ]


def config_diff(session: Session, device: str, a: int, b: int) -> str:
    """Unified diff from version ``a`` to version ``b`` of ``device``'s configuration.

    Raises KeyError naming the missing version.
    """
    from netops.storage.textdiff import unified_diff

    found = {
        r.version: r.config
        for r in session.execute(
            select(ConfigBackup).where(
                ConfigBackup.device == device, ConfigBackup.version.in_((a, b))
            )
        ).scalars()
    }
    for v in (a, b):
        if v not in found:
            raise KeyError(f"{device} has no configuration version {v}")
    return unified_diff(found[a], found[b], f"{device}@{a}", f"{device}@{b}")
