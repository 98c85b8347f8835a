"""Bandwidth tables: the audit of every queue push, boost events and drift reports.

* :class:`BandwidthPush` - one ``netops bandwidth apply`` on one shaper device: who (OS user or
  ``--actor``), when, the diff as text, the commands sent, the result and the error if any.
  Results: ``dry-run``, ``no-change``, ``applied``, ``rolled-back`` (a step failed and the
  previous configuration was restored and verified), ``rollback-failed``, ``failed`` (nothing
  was changed, e.g. the device could not be read).
* :class:`BoostEvent` - a boost window being applied or expired, recorded once per window.
* :class:`DriftReport` - one scheduled drift check of one shaper device.
* :class:`PendingRollback` - a rollback that could not reach its device yet (``rollback-failed``
  pushes), retried with backoff and finished by the drift job.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from netops.storage.base import Base
from netops.storage.models import UTCDateTime, utcnow


class BandwidthPush(Base):
    """One push (or dry run) of the bandwidth plan to one shaper device."""

    __tablename__ = "bandwidth_pushes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device: Mapped[str] = mapped_column(String(63), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=True)
    result: Mapped[str] = mapped_column(String(16))
    changes: Mapped[int] = mapped_column(Integer, default=0)
    diff_text: Mapped[str] = mapped_column(Text, default="")
    commands_text: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str | None] = mapped_column(Text, default=None)


class BoostEvent(Base):
    """A boost window applied or expired (``event``), once per window and event."""

    __tablename__ = "bandwidth_boost_events"
    __table_args__ = (UniqueConstraint("window_key", "event"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(63), index=True)
    window_key: Mapped[str] = mapped_column(String(200))
    event: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    maximum_down_mbps: Mapped[float | None] = mapped_column(Float, default=None)
    maximum_up_mbps: Mapped[float | None] = mapped_column(Float, default=None)
    reason: Mapped[str | None] = mapped_column(String(200), default=None)


class DriftReport(Base):
    """One drift check of one shaper device: counts and the report text."""

    __tablename__ = "bandwidth_drift_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device: Mapped[str] = mapped_column(String(63), index=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    in_sync: Mapped[bool] = mapped_column(Boolean)
    missing: Mapped[int] = mapped_column(Integer, default=0)
    extra: Mapped[int] = mapped_column(Integer, default=0)
    differing: Mapped[int] = mapped_column(Integer, default=0)
    report_text: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str | None] = mapped_column(Text, default=None)


class PendingRollback(Base):
    """A rollback still owed: a push failed half-way and the device could not be reached to
    restore ``entries_json`` (the queue state read before the push).  Retried with backoff
    (``next_attempt_at``); the drift job finishes it as soon as the device answers
    (``done_at``)."""

    __tablename__ = "bandwidth_pending_rollbacks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device: Mapped[str] = mapped_column(String(63), index=True)
    push_id: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    entries_json: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
