"""The bandwidth manager's operations on real devices: diff, apply (audited), drift, boosts.

Thin orchestration: plan and rendering are pure (other modules); sessions come from
``collectors.connect.open_session`` through the lab connection map when there is one; every
device failure is isolated to that device's result.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from netops.bandwidth import audit
from netops.bandwidth.boosts import boost_window_key
from netops.bandwidth.diff import QueueDiff
from netops.bandwidth.enforce import ApplyResult, NetmikoIO, apply_target, plan_diff, rollback
from netops.bandwidth.entries import (
    ShaperTarget,
    entries_from_json,
    entries_to_json,
    find_shaper,
    shaper_target,
)
from netops.bandwidth.plan import BandwidthPlan, build_plan, require_valid
from netops.endpoints import Endpoint, load_endpoints, resolve_endpoint
from netops.errors import NetopsError, PlanError
from netops.inventory.schema import Inventory
from netops.secrets import SecretStore
from netops.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class BandwidthContext:
    """Everything an operation needs; ``endpoints`` None means: the lab map if it exists."""

    inventory: Inventory
    settings: Settings
    secrets: SecretStore
    engine: Engine | None = None
    endpoints: dict[str, Endpoint] | None = None
    _ios: dict[str, NetmikoIO] = field(default_factory=dict)

    def endpoint_map(self) -> dict[str, Endpoint] | None:
        if self.endpoints is None:
            path = self.settings.resolved_lab_map()
            if path.exists():
                self.endpoints = load_endpoints(path)
        return self.endpoints

    def plan(self, at: datetime | None = None) -> BandwidthPlan:
        return build_plan(self.inventory, at or datetime.now(UTC))

    def target(self, hostname: str, at: datetime | None = None) -> ShaperTarget:
        return shaper_target(self.inventory, self.plan(at), find_shaper(self.inventory, hostname))

    def io(self, hostname: str) -> NetmikoIO:
        """A lazily opened session to ``hostname`` (reused for the whole operation)."""
        if hostname not in self._ios:
            from collectors.connect import open_session

            device = self.inventory.device(hostname)
            cred = next(c for c in self.inventory.credentials if c.name == device.credentials)
            endpoint = resolve_endpoint(device, self.endpoint_map())

            def opener() -> object:
                conn = open_session(device, cred, self.secrets, endpoint, self.settings)
                if cred.enable_ref is None:
                    # no enable secret on record: IOS devices commonly use the login password
                    conn.secret = self.secrets.resolve(cred.password_ref).reveal()
                return conn

            self._ios[hostname] = NetmikoIO(hostname, opener)
        return self._ios[hostname]

    def close(self) -> None:
        for io in self._ios.values():
            io.close()
        self._ios.clear()


def diff_device(ctx: BandwidthContext, hostname: str, at: datetime | None = None) -> QueueDiff:
    """Plan vs what ``hostname`` holds now.  Raises NetopsError subclasses for the device."""
    diff, _ = plan_diff(ctx.io(hostname), ctx.target(hostname, at))
    return diff


def apply_device(
    ctx: BandwidthContext,
    hostname: str,
    *,
    dry_run: bool = True,
    actor: str | None = None,
    at: datetime | None = None,
) -> ApplyResult:
    """Apply the plan to one shaper (dry run by default), audited when ``ctx.engine`` is set.

    A plan with validation errors is refused (:class:`PlanError`) unless ``dry_run``.
    """
    started = datetime.now(UTC)
    plan = ctx.plan(at)
    if not dry_run:
        require_valid(plan)
    target = shaper_target(ctx.inventory, plan, find_shaper(ctx.inventory, hostname))
    result = apply_target(
        ctx.io(hostname),
        target,
        dry_run=dry_run,
        retries=ctx.settings.bandwidth_rollback_retries,
        backoff_s=ctx.settings.bandwidth_rollback_backoff_s,
    )
    if ctx.engine is not None:
        push_id = audit.record_push(
            ctx.engine,
            result,
            actor=audit.current_actor(actor),
            dry_run=dry_run,
            started_at=started,
        )
        if result.result == "rollback-failed":
            audit.record_pending_rollback(
                ctx.engine,
                hostname,
                entries_to_json(result.restore),
                result.error,
                push_id=push_id,
                at=datetime.now(UTC) + timedelta(seconds=ctx.settings.bandwidth_rollback_backoff_s),
            )
        elif result.result == "applied":
            # the device now holds the plan as verified: an older rollback is owed no longer
            for p in audit.pending_rollbacks(ctx.engine, hostname):
                audit.update_pending_rollback(
                    ctx.engine, p.id, done_at=datetime.now(UTC), last_error="superseded by push"
                )
    return result


@dataclass(frozen=True)
class RollbackOutcome:
    """One try of a pending rollback: ``result`` ``rolled-back`` or ``rollback-failed``."""

    device: str
    result: str
    error: str | None = None


def finish_pending_rollbacks(
    ctx: BandwidthContext, now: datetime | None = None, *, due_only: bool = True
) -> list[RollbackOutcome]:
    """Retry every rollback still owed (those whose next try is due, or all with
    ``due_only=False``): restore the stored state, verify, audit each try as a push
    (actor ``scheduler:rollback``).  A failed try waits twice as long as the last one (at most
    ``bandwidth_rollback_max_backoff_s``).  Needs ``ctx.engine``; one device's failure is that
    device's outcome."""
    if ctx.engine is None:
        return []
    when = now or datetime.now(UTC)
    out = []
    for p in audit.pending_rollbacks(ctx.engine):
        if due_only and p.next_attempt_at > when:
            continue
        started = datetime.now(UTC)
        try:
            read_as = ctx.target(p.device, when)
            previous = replace(read_as, entries=tuple(entries_from_json(p.entries_json)))
        except (NetopsError, ValueError) as exc:
            out.append(RollbackOutcome(p.device, "rollback-failed", str(exc)))
            continue
        io = ctx.io(p.device)
        try:
            io.reopen()
            cmds = rollback(io, previous, read_as)
            result = ApplyResult(p.device, "rolled-back", QueueDiff(p.device), (), None, cmds)
            audit.update_pending_rollback(
                ctx.engine, p.id, attempts=p.attempts + 1, done_at=datetime.now(UTC)
            )
        except NetopsError as exc:
            result = ApplyResult(p.device, "rollback-failed", QueueDiff(p.device), (), str(exc))
            wait_s = ctx.settings.bandwidth_rollback_backoff_s * 2 ** min(p.attempts, 20)
            wait_s = min(wait_s, ctx.settings.bandwidth_rollback_max_backoff_s)
            audit.update_pending_rollback(
                ctx.engine,
                p.id,
                attempts=p.attempts + 1,
                last_error=str(exc),
                next_attempt_at=when + timedelta(seconds=wait_s),
            )
        audit.record_push(
            ctx.engine, result, actor="scheduler:rollback", dry_run=False, started_at=started
        )
        out.append(RollbackOutcome(p.device, result.result, result.error))
    return out


@dataclass(frozen=True)
class DriftResult:
    device: str
    diff: QueueDiff | None
    error: str | None = None

    @property
    def drifted(self) -> bool:
        return self.error is not None or (self.diff is not None and bool(self.diff.changes))


def check_drift(ctx: BandwidthContext, at: datetime | None = None) -> list[DriftResult]:
    """Diff every shaper against the plan; one device's failure is that device's result.

    Rollbacks still owed (:func:`finish_pending_rollbacks`) are tried first, due or not.
    Recorded as :class:`DriftReport` rows when ``ctx.engine`` is set.
    """
    # a rollback still owed is finished first, the moment its device answers
    finish_pending_rollbacks(ctx, due_only=False)
    out = []
    for shaper in ctx.inventory.shapers:
        try:
            res = DriftResult(shaper.device, diff_device(ctx, shaper.device, at))
        except NetopsError as exc:
            res = DriftResult(shaper.device, None, str(exc))
        if ctx.engine is not None:
            audit.record_drift(ctx.engine, res.device, res.diff, res.error)
        out.append(res)
    return out


@dataclass(frozen=True)
class BoostChange:
    agency: str
    window_key: str
    event: str  # "applied" or "expired"


def due_boost_events(
    inventory: Inventory, now: datetime, already: set[tuple[str, str]]
) -> list[BoostChange]:
    """Boost windows in force at ``now`` not yet ``applied``, and applied windows that ended by
    ``now`` not yet ``expired`` (``already``: set of (window_key, event)).  A window that ended
    before it was ever applied yields nothing: it never happened on the routers.  Pure."""
    out = []
    for a in inventory.agencies:
        for b in a.quota.boosts:
            key = boost_window_key(a.code, b)
            applied = (key, "applied") in already
            if b.start <= now < b.end and not applied:
                out.append(BoostChange(a.code, key, "applied"))
            # a window that ended without ever being pushed was not applied: nothing to expire
            if b.end <= now and applied and (key, "expired") not in already:
                out.append(BoostChange(a.code, key, "expired"))
    return out


def apply_boosts(
    ctx: BandwidthContext, now: datetime | None = None, *, push: bool = True
) -> list[BoostChange]:
    """Scheduler job: record boost windows that started or ended and push the plan in force to
    every shaper when something changed.  Needs ``ctx.engine``.  Returns the new events."""
    if ctx.engine is None:
        raise PlanError("apply_boosts needs a database to record boost events")
    when = now or datetime.now(UTC)
    keys = [boost_window_key(a.code, b) for a in ctx.inventory.agencies for b in a.quota.boosts]
    already = {
        (key, ev)
        for key in keys
        for ev in ("applied", "expired")
        if audit.has_boost_event(ctx.engine, key, ev)
    }
    fresh = due_boost_events(ctx.inventory, when, already)
    if not fresh:
        return []
    if push:
        failed = []
        for shaper in ctx.inventory.shapers:
            res = apply_device(ctx, shaper.device, dry_run=False, actor="scheduler:boosts", at=when)
            if not res.ok:
                failed.append(shaper.device)
                log.warning("boost push to %s: %s (%s)", shaper.device, res.result, res.error)
        if failed:
            # nothing recorded: the next run tries again while the window lasts
            return []
    recorded = []
    for e in fresh:
        agency = ctx.inventory.agency(e.agency)
        boost = next(
            b for b in agency.quota.boosts if boost_window_key(e.agency, b) == e.window_key
        )
        row = {
            "agency_code": e.agency,
            "window_key": e.window_key,
            "event": e.event,
            "at": when,
            "maximum_down_mbps": boost.maximum_down_mbps,
            "maximum_up_mbps": boost.maximum_up_mbps,
            "reason": boost.reason,
        }
        if audit.record_boost_event(ctx.engine, row):
            recorded.append(e)
    return recorded
