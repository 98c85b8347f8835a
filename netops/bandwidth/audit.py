"""Audit rows for pushes, boost events and drift reports (thin I/O over SQLAlchemy)."""

from __future__ import annotations

import getpass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from netops.bandwidth.diff import QueueDiff
from netops.bandwidth.enforce import ApplyResult
from netops.errors import StorageError
from netops.storage.bandwidth_tables import BandwidthPush, BoostEvent, DriftReport, PendingRollback
from netops.storage.models import utcnow


def current_actor(actor: str | None = None) -> str:
    """``actor`` if given, else the OS user name (``unknown`` if there is none)."""
    if actor:
        return actor[:64]
    try:
        return getpass.getuser()[:64]
    except (OSError, KeyError):
        return "unknown"


def record_push(
    engine: Engine, result: ApplyResult, *, actor: str, dry_run: bool, started_at: datetime
) -> int:
    """Store one push; return its id.  Raises :class:`StorageError`."""
    commands = "\n".join(result.commands)
    if result.rollback_commands:
        commands += "\n# rollback:\n" + "\n".join(result.rollback_commands)
    row = {
        "device": result.device,
        "actor": actor,
        "started_at": started_at,
        "finished_at": utcnow(),
        "dry_run": dry_run,
        "result": result.result,
        "changes": len(result.diff.actionable),
        "diff_text": result.diff.text(),
        "commands_text": commands,
        "error": result.error,
    }
    try:
        with engine.begin() as conn:
            pk = conn.execute(insert(BandwidthPush).values(**row)).inserted_primary_key
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot record the push to {result.device}: {exc}") from None
    return int(pk[0]) if pk else 0


def pushes(engine: Engine, device: str | None = None, limit: int = 50) -> list[BandwidthPush]:
    """Most recent pushes first."""
    stmt = select(BandwidthPush).order_by(BandwidthPush.id.desc()).limit(limit)
    if device:
        stmt = stmt.where(BandwidthPush.device == device)
    with Session(engine) as s:
        return list(s.scalars(stmt))


def record_boost_event(engine: Engine, row: dict[str, object]) -> bool:
    """Insert one boost event; False if that window already has that event (idempotent)."""
    try:
        with engine.begin() as conn:
            conn.execute(insert(BoostEvent).values(**row))
    except IntegrityError:
        return False
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot record boost event: {exc}") from None
    return True


def boost_events(engine: Engine, agency: str | None = None) -> list[BoostEvent]:
    stmt = select(BoostEvent).order_by(BoostEvent.at, BoostEvent.id)
    if agency:
        stmt = stmt.where(BoostEvent.agency_code == agency)
    with Session(engine) as s:
        return list(s.scalars(stmt))


def has_boost_event(engine: Engine, window_key: str, event: str) -> bool:
    stmt = select(BoostEvent.id).where(
        BoostEvent.window_key == window_key, BoostEvent.event == event
    )
    with Session(engine) as s:
        return s.scalars(stmt).first() is not None


def record_drift(engine: Engine, device: str, diff: QueueDiff | None, error: str | None) -> None:
    counts = diff.counts() if diff else {"add": 0, "change": 0, "remove": 0, "foreign": 0}
    row = {
        "device": device,
        "checked_at": utcnow(),
        "in_sync": bool(diff and not diff.changes and not error),
        "missing": counts["add"],
        "extra": counts["remove"] + counts["foreign"],
        "differing": counts["change"],
        "report_text": diff.text() if diff else "",
        "error": error,
    }
    try:
        with engine.begin() as conn:
            conn.execute(insert(DriftReport).values(**row))
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot record drift report of {device}: {exc}") from None


def record_pending_rollback(
    engine: Engine, device: str, entries_json: str, error: str | None, *, push_id: int, at: datetime
) -> int:
    """Store a rollback still owed to ``device``; return its id.  Raises StorageError."""
    row = {
        "device": device,
        "push_id": push_id,
        "created_at": at,
        "entries_json": entries_json,
        "attempts": 1,
        "last_error": error,
        "next_attempt_at": at,
    }
    try:
        with engine.begin() as conn:
            pk = conn.execute(insert(PendingRollback).values(**row)).inserted_primary_key
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot record the pending rollback of {device}: {exc}") from None
    return int(pk[0]) if pk else 0


def pending_rollbacks(engine: Engine, device: str | None = None) -> list[PendingRollback]:
    """Rollbacks not finished yet, oldest first."""
    stmt = (
        select(PendingRollback)
        .where(PendingRollback.done_at.is_(None))
        .order_by(PendingRollback.id)
    )
    if device:
        stmt = stmt.where(PendingRollback.device == device)
    with Session(engine) as s:
        return list(s.scalars(stmt))


def update_pending_rollback(engine: Engine, pk: int, **values: object) -> None:
    """Change one pending rollback (``attempts``, ``last_error``, ``next_attempt_at``,
    ``done_at``).  Raises StorageError."""
    try:
        with engine.begin() as conn:
            conn.execute(update(PendingRollback).where(PendingRollback.id == pk).values(**values))
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot update pending rollback {pk}: {exc}") from None
