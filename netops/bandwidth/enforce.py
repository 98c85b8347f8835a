"""Enforcement: read back, diff, apply (dry run by default), verify, roll back on failure.

The device is reached through :class:`DeviceIO` (a netmiko session from
``collectors.connect.open_session`` in production, see :class:`NetmikoIO`).  The sequence for one
shaper::

    before = read(device)                     # captured for rollback
    diff   = diff(desired, before)
    if dry run or in sync: stop, report
    send render(diff) ; after = read(device) ; verify diff(desired, after) is empty
    on any failure: reconnect if needed, diff(before, now), send, verify again

Nothing user-supplied reaches a command unvalidated: renderers quote/derive every name
(:mod:`netops.bandwidth.quoting`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from netops.bandwidth.diff import QueueDiff, diff_entries
from netops.bandwidth.drivers import QueueDriver, target_driver
from netops.bandwidth.entries import QueueEntry, ShaperTarget
from netops.errors import CollectorError, EnforcementError, NetopsError
from netops.inventory.schema import Platform

log = logging.getLogger(__name__)


class DeviceIO(Protocol):
    """What enforcement needs from a device session."""

    def show(self, command: str) -> str:
        """Run one read-only command; return its output."""
        ...

    def send(self, commands: list[str], driver: QueueDriver) -> None:
        """Send configuration commands in order; raise :class:`EnforcementError` at the first
        command the device refuses (naming it), or a :class:`CollectorError`."""
        ...

    def reopen(self) -> None:
        """Replace a broken session with a fresh one (used before a rollback)."""
        ...


@dataclass(frozen=True)
class ApplyResult:
    """Outcome of one apply.  ``result``: dry-run, no-change, applied, rolled-back,
    rollback-failed, failed."""

    device: str
    result: str
    diff: QueueDiff
    commands: tuple[str, ...]
    error: str | None = None
    rollback_commands: tuple[str, ...] = ()
    sent: int = 0
    restore: tuple[QueueEntry, ...] = ()  # rollback-failed: the state to restore later

    @property
    def ok(self) -> bool:
        return self.result in ("dry-run", "no-change", "applied")


def read_entries(io: DeviceIO, target: ShaperTarget) -> list[QueueEntry]:
    """The device's queues, parsed into entries (``target`` supplies the name bookkeeping)."""
    driver = target_driver(target)
    outputs = {cmd: io.show(cmd) for cmd in driver.read_commands(target)}
    return driver.parse(outputs, target, target.device)


def diff_for(
    target: ShaperTarget, desired: Iterable[QueueEntry], actual: Iterable[QueueEntry]
) -> QueueDiff:
    """The diff on ``target``'s platform: agency names compared where queues carry them."""
    labels = target.platform == Platform.MIKROTIK_ROUTEROS
    return diff_entries(target.device, desired, actual, labels=labels)


def plan_diff(io: DeviceIO, target: ShaperTarget) -> tuple[QueueDiff, list[QueueEntry]]:
    """(diff desired -> device, what the device holds now)."""
    actual = read_entries(io, target)
    return diff_for(target, target.entries, actual), actual


_LEVEL = {"root": 0, "g": 1, "a": 2}


def _as_target(target: ShaperTarget, entries: list[QueueEntry]) -> ShaperTarget:
    """A target holding ``entries`` (managed ones, parents first) on the same device."""
    mine = [e for e in entries if e.managed]
    mine.sort(key=lambda e: (_LEVEL.get(e.key.partition(":")[0], 3), e.direction))
    return replace(target, entries=tuple(mine))


def _reconcile(io: DeviceIO, want: ShaperTarget, read_as: ShaperTarget) -> tuple[str, ...]:
    driver = target_driver(want)
    now = read_entries(io, read_as)
    diff = diff_for(want, want.entries, now)
    cmds = driver.render_changes(want, diff)
    if cmds:
        io.send(cmds, driver)
    check = diff_for(want, want.entries, read_entries(io, want))
    if not check.in_sync:
        raise EnforcementError(f"{want.device}: still differs after sending:\n{check.text()}")
    return tuple(cmds)


def apply_target(
    io: DeviceIO,
    target: ShaperTarget,
    *,
    dry_run: bool = True,
    retries: int = 1,
    backoff_s: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> ApplyResult:
    """Make ``target.device`` hold ``target.entries``.

    On a failure the device is brought back to what was read before (:func:`rollback`, with
    ``retries``/``backoff_s``); when that cannot reach the device the result is
    ``rollback-failed`` and ``restore`` holds the state still owed (a pending rollback).

    Returns an :class:`ApplyResult`; never raises for a device failure (the result says
    ``failed``/``rolled-back``/``rollback-failed`` with the error), only for programming errors.
    """
    driver = target_driver(target)
    try:
        before = read_entries(io, target)
    except NetopsError as exc:
        empty = QueueDiff(target.device)
        return ApplyResult(target.device, "failed", empty, (), f"reading the device: {exc}")
    diff = diff_for(target, target.entries, before)
    commands = tuple(driver.render_changes(target, diff))
    if diff.in_sync:
        return ApplyResult(target.device, "no-change", diff, ())
    if dry_run:
        return ApplyResult(target.device, "dry-run", diff, commands)
    try:
        io.send(list(commands), driver)
        after = diff_for(target, target.entries, read_entries(io, target))
        if not after.in_sync:
            raise EnforcementError(
                f"{target.device}: verification after applying found:\n{after.text()}"
            )
        return ApplyResult(target.device, "applied", diff, commands, sent=len(commands))
    except NetopsError as exc:
        error = str(exc)
        log.warning("%s: apply failed (%s); rolling back", target.device, error)
    previous = _as_target(target, before)
    try:
        rb = rollback(io, previous, target, retries=retries, backoff_s=backoff_s, sleep=sleep)
    except NetopsError as exc:
        return ApplyResult(
            target.device,
            "rollback-failed",
            diff,
            commands,
            f"{error}; rollback: {exc}",
            restore=previous.entries,
        )
    return ApplyResult(target.device, "rolled-back", diff, commands, error, rb)


def rollback(
    io: DeviceIO,
    previous: ShaperTarget,
    read_as: ShaperTarget,
    *,
    retries: int = 0,
    backoff_s: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[str, ...]:
    """Bring the device back to ``previous`` (read with ``read_as``'s bookkeeping) and verify.

    A broken session is replaced first; a device that does not answer is tried ``retries``
    more times, waiting ``backoff_s``, then twice as long each time.  Returns the commands
    sent; raises the last :class:`NetopsError` when every try failed."""
    wait = backoff_s
    for attempt in range(retries + 1):
        try:
            return _reconcile(io, previous, read_as)
        except CollectorError as exc:
            log.warning("%s: rollback try %d failed: %s", previous.device, attempt + 1, exc)
            if attempt == retries:
                raise
            io.reopen()  # the failure may have killed the session
            if attempt:
                sleep(wait)
                wait *= 2
    raise AssertionError("unreachable")


@dataclass
class NetmikoIO:
    """:class:`DeviceIO` over a netmiko session opened by ``opener`` (``open_session``)."""

    device: str
    opener: Callable[[], Any]
    conn: Any = None
    sent_log: list[str] = field(default_factory=list)

    def _session(self) -> Any:
        if self.conn is None:
            self.conn = self.opener()
        return self.conn

    def show(self, command: str) -> str:
        from collectors.connect import send_command

        return send_command(self._session(), self.device, command)

    def send(self, commands: list[str], driver: QueueDriver) -> None:
        from collectors.connect import send_command, translate_error

        conn = self._session()
        if driver.config_mode:
            from netmiko.exceptions import ConfigInvalidException

            try:
                if not conn.check_enable_mode():
                    conn.enable()
                conn.send_config_set(commands, error_pattern=r"^\s*% ?\S", read_timeout=60)
            except ConfigInvalidException as exc:
                text = str(exc)
                bad = driver.output_error(text) or text.strip().splitlines()[-1:]
                raise EnforcementError(f"{self.device}: the device refused: {bad}") from None
            except BaseException as exc:
                raise translate_error(self.device, exc, during="configuring") from None
            self.sent_log.extend(commands)
            return
        if driver.batch is not None and commands:
            out = send_command(conn, self.device, driver.batch(commands))
            failed = driver.batch_failed_at(out) if driver.batch_failed_at else None
            err = driver.output_error(out)
            if failed is None and err is None:
                self.sent_log.extend(commands)
                return
            n = min(failed or len(commands), len(commands))
            self.sent_log.extend(commands[:n])
            raise EnforcementError(
                f"{self.device}: step {n}/{len(commands)} refused: {commands[n - 1]!r}: {err}"
            )
        for i, cmd in enumerate(commands, 1):
            out = send_command(conn, self.device, cmd)
            self.sent_log.append(cmd)
            err = driver.output_error(out)
            if err:
                raise EnforcementError(
                    f"{self.device}: step {i}/{len(commands)} refused: {cmd!r}: {err}"
                )

    def reopen(self) -> None:
        from collectors.connect import close_session

        if self.conn is not None:
            close_session(self.conn)
        self.conn = None

    def close(self) -> None:
        self.reopen()
