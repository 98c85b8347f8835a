"""Write one poll cycle's results to the database in one transaction, and run retention.

Bulk writes go through Core ``insert()`` with many rows per statement.  Rows that have one
owner per device (``device_state``, ``counter_state``, rollups) are upserted with the dialect's
``ON CONFLICT`` so concurrent workers polling *different* devices never read-modify-write the
same row; config versions are guarded by a unique (device, version) constraint.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from netops.errors import StorageError
from netops.storage.telemetry import (
    ConfigBackup,
    CounterState,
    DevicePoll,
    DeviceStateRow,
    FactsSnapshot,
    InterfaceRollup,
    InterfaceSample,
    NeighborObservation,
    QueueSample,
    from_signed64,
)
from netops.telemetry.configs import config_hash, normalize, unified_diff
from netops.telemetry.rates import CounterSample
from netops.telemetry.rollup import RAW_RETENTION_S, TIERS, bucket_start, rollup

CHUNK_ROWS = 20_000


def _t(model: Any) -> Table:
    return cast(Table, model.__table__)


POLL_HISTORY_S = 90 * 86_400


@dataclass
class Batch:
    """Rows from one cycle, ready for bulk insert (dicts keyed by column name)."""

    polls: list[dict[str, Any]] = field(default_factory=list)
    states: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)
    counter_state: list[dict[str, Any]] = field(default_factory=list)
    neighbors: list[dict[str, Any]] = field(default_factory=list)
    queues: list[dict[str, Any]] = field(default_factory=list)
    configs: list[tuple[str, str, float]] = field(default_factory=list)
    """(device, raw running config, taken_s): masked and versioned on write."""

    def extend(self, other: Batch) -> None:
        for name in ("polls", "states", "facts", "samples", "counter_state", "neighbors", "queues"):
            getattr(self, name).extend(getattr(other, name))
        self.configs.extend(other.configs)


def _insert_many(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Core ``insert(table)`` compiled once for the dialect, executed as one DBAPI executemany
    per chunk.  The telemetry columns (numbers, text, booleans) need no bind processing, so rows
    go to the driver as they are; this is what keeps ingestion near raw ``executemany`` speed."""
    if not rows:
        return
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(rows[0]))
    sql = str(compiled)
    order = compiled.positiontup if compiled.positional else None
    for i in range(0, len(rows), CHUNK_ROWS):
        chunk = rows[i : i + CHUNK_ROWS]
        if order is not None:
            conn.exec_driver_sql(sql, [tuple(r[k] for k in order) for r in chunk])
        else:
            conn.exec_driver_sql(sql, list(chunk))


def _upsert(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]
) -> None:
    if not rows:
        return
    dialect = conn.dialect.name
    mod: Any = postgresql if dialect == "postgresql" else sqlite
    if dialect not in ("postgresql", "sqlite"):
        raise StorageError(f"upsert not supported on {dialect}")
    for i in range(0, len(rows), CHUNK_ROWS):
        stmt = mod.insert(table)
        cols = [c for c in rows[0] if c not in keys]
        stmt = stmt.on_conflict_do_update(
            index_elements=list(keys), set_={c: stmt.excluded[c] for c in cols}
        )
        conn.execute(stmt, list(rows[i : i + CHUNK_ROWS]))


def _store_config(conn: Connection, device: str, raw: str, taken_s: float) -> bool:
    """Store a new masked version if it differs from the latest one; True when stored."""
    text = normalize(raw)
    digest = config_hash(text)
    t = _t(ConfigBackup)
    last = conn.execute(
        select(t.c.version, t.c.sha256, t.c.config)
        .where(t.c.device == device)
        .order_by(t.c.version.desc())
        .limit(1)
    ).first()
    if last is not None and last.sha256 == digest:
        return False
    version = 1 if last is None else last.version + 1
    diff = (
        ""
        if last is None
        else unified_diff(last.config, text, f"{device}@{last.version}", f"{device}@{version}")
    )
    conn.execute(
        insert(t),
        [
            {
                "device": device,
                "version": version,
                "taken_s": taken_s,
                "sha256": digest,
                "config": text,
                "diff": diff,
            }
        ],
    )
    return True


def write_batch(engine: Engine, batch: Batch) -> None:
    """Write a whole cycle in one transaction. Raises :class:`StorageError` on failure, in
    which case nothing of the cycle is stored."""
    try:
        with engine.begin() as conn:
            _insert_many(conn, _t(DevicePoll), batch.polls)
            _insert_many(conn, _t(FactsSnapshot), batch.facts)
            _insert_many(conn, _t(InterfaceSample), batch.samples)
            _insert_many(conn, _t(NeighborObservation), batch.neighbors)
            _insert_many(conn, _t(QueueSample), batch.queues)
            _upsert(conn, _t(DeviceStateRow), batch.states, ["device"])
            _upsert(conn, _t(CounterState), batch.counter_state, ["device", "key"])
            for device, raw, taken_s in batch.configs:
                _store_config(conn, device, raw, taken_s)
    except SQLAlchemyError as exc:
        url = engine.url.render_as_string(hide_password=True)
        raise StorageError(
            f"cannot write poll results to {url}: {exc.__class__.__name__}: "
            f"{str(exc).splitlines()[0][:200]}"
        ) from None


def load_counter_state(engine: Engine) -> dict[tuple[str, str], CounterSample]:
    """Last counters per (device, key), for a poller that just started."""
    t = _t(CounterState)
    with engine.connect() as conn:
        return {
            (r.device, r.key): CounterSample(
                r.at_s,
                from_signed64(r.octets_in),
                from_signed64(r.octets_out),
                r.counter_bits,
                r.uptime_s,
            )
            for r in conn.execute(select(t))
        }


def rollup_and_expire(engine: Engine, now_s: float | None = None) -> dict[str, int]:
    """Roll raw rates up into every tier (idempotent upserts of complete buckets not rolled yet)
    and delete raw samples, rollups and poll history past their retention. Returns counts."""
    now = time.time() if now_s is None else now_s
    s = _t(InterfaceSample)
    r = _t(InterfaceRollup)
    counts = {"rollups": 0, "samples_deleted": 0, "rollups_deleted": 0}
    with engine.begin() as conn:
        for tier in TIERS:
            done = conn.execute(
                select(func.max(r.c.start_s)).where(r.c.width_s == tier.width_s)
            ).scalar()
            if done is None:  # first run: from the oldest raw sample still kept
                done = conn.execute(select(func.min(s.c.at_s))).scalar()
            start = bucket_start(done, tier.width_s) if done is not None else int(now)
            end = bucket_start(now, tier.width_s)
            rows = conn.execute(
                select(s.c.device, s.c.interface, s.c.at_s, s.c.in_bps, s.c.out_bps)
                .where(s.c.at_s >= start, s.c.at_s < end, s.c.in_bps.is_not(None))
                .order_by(s.c.device, s.c.interface)
            ).all()
            groups: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
            for row in rows:
                groups.setdefault((row.device, row.interface), []).append(
                    (row.at_s, row.in_bps, row.out_bps or 0.0)
                )
            out = [
                {
                    "device": d,
                    "interface": i,
                    "width_s": b.width_s,
                    "start_s": b.start_s,
                    "count": b.in_bps.count,
                    "in_min_bps": b.in_bps.min,
                    "in_avg_bps": b.in_bps.avg,
                    "in_max_bps": b.in_bps.max,
                    "in_p95_bps": b.in_bps.p95,
                    "out_min_bps": b.out_bps.min,
                    "out_avg_bps": b.out_bps.avg,
                    "out_max_bps": b.out_bps.max,
                    "out_p95_bps": b.out_bps.p95,
                }
                for (d, i), pts in groups.items()
                for b in rollup(pts, tier.width_s)
            ]
            _upsert(conn, r, out, ["device", "interface", "width_s", "start_s"])
            counts["rollups"] += len(out)
            res = conn.execute(
                delete(r).where(r.c.width_s == tier.width_s, r.c.start_s < now - tier.retention_s)
            )
            counts["rollups_deleted"] += res.rowcount or 0
        res = conn.execute(delete(s).where(s.c.at_s < now - RAW_RETENTION_S))
        counts["samples_deleted"] = res.rowcount or 0
        q = _t(QueueSample)
        conn.execute(delete(q).where(q.c.at_s < now - RAW_RETENTION_S * 15))
        p = _t(DevicePoll)
        conn.execute(delete(p).where(p.c.started_s < now - POLL_HISTORY_S))
    return counts


def device_names_with_state(engine: Engine) -> Iterable[str]:
    with engine.connect() as conn:
        return [row[0] for row in conn.execute(select(_t(DeviceStateRow).c.device))]
