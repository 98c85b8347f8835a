"""The polling engine: every device concurrently, each getter in isolation, sessions reused.

* a thread pool (``settings.poll_workers``) runs one job per device; a device's failure becomes
  that device's result and never delays the others;
* each device has ONE deadline per cycle (``settings.device_deadline_s``, connection and retries
  included): no read waits past it, and getters not reached by then are recorded as timed out;
* facts, interfaces, counters, neighbours, config and queues are attempted one by one: each is
  stored, or recorded as that getter's error; the device's status is ``ok`` (every getter),
  ``partial`` (some) or ``failed`` (none), with the getters that succeeded;
* a refusal (:class:`~netops.errors.CommandRefused`) is that getter's error, never retried;
* retryable failures (timeout, truncated/garbage output, dropped session) are retried with
  exponential backoff on a fresh session, unless the same error repeats identically on the fresh
  session (a device that crashes on a command is not asked again and again); authentication and
  host-key errors are never retried and fail the device;
* a per-device circuit breaker skips devices that keep failing;
* every output is validated by the parsers (and counters against the inventory's interfaces);
* each device's results are written in ONE transaction as soon as that device finishes
  (:func:`netops.telemetry.store.write_batch`), never half a device, never waiting for the cycle;
* a device still busy from an earlier cycle is left out of the next one (``busy``) while the
  healthy devices keep their schedule; :meth:`Poller.abort` ends everything at once (SIGTERM).

Example::

    poller = Poller(inventory, settings, SecretStore.from_env(), endpoints, engine=db_engine)
    report = poller.poll(["counters"])
    poller.close()
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from collectors.base import GETTERS, Collector, Facts, InterfaceInfo
from collectors.breaker import CircuitBreaker
from collectors.connect import open_session
from collectors.registry import DriverRegistry, default_registry
from netops.endpoints import Endpoint, resolve_endpoint
from netops.errors import (
    AuthenticationFailed,
    CollectorError,
    CommandRefused,
    CommandTimeout,
    DeviceUnreachable,
    HostKeyMismatch,
    NetopsError,
    ParseError,
    SecretError,
)
from netops.inventory.schema import Credential, Device, Inventory
from netops.secrets import SecretStore
from netops.settings import Settings
from netops.telemetry import samples as sample_rows
from netops.telemetry.rates import CounterSample
from netops.telemetry.store import Batch, load_counter_state, write_batch

log = logging.getLogger(__name__)

NOT_RETRYABLE = (AuthenticationFailed, HostKeyMismatch, SecretError)
Connector = Callable[[Device, Credential, SecretStore, Endpoint, Settings], Any]


STATUS_OK, STATUS_PARTIAL, STATUS_FAILED = "ok", "partial", "failed"
DEADLINE_GRACE_S = 0.5
"""How long past its deadline a device's job waits for a read to give up before leaving it."""


@dataclass
class DeviceResult:
    """The outcome of one device in one cycle.

    ``data`` holds what each successful getter returned, ``getter_errors`` the error of each
    getter that failed (``"facts": "core1: 'show version' refused: ..."``); ``status`` is ``ok``
    when every getter succeeded, ``partial`` when some did, ``failed`` when none did.
    ``error_kind``/``error`` describe the first failure (None when ok).
    """

    device: str
    ok: bool
    started_s: float
    duration_s: float
    attempts: int = 0
    error_kind: str | None = None
    error: str | None = None
    reachable: bool = True
    skipped: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    getter_errors: dict[str, str] = field(default_factory=dict)
    finished_s: float = 0.0

    @property
    def status(self) -> str:
        if not self.getter_errors and self.ok:
            return STATUS_OK
        return STATUS_PARTIAL if self.data else STATUS_FAILED


@dataclass
class CycleReport:
    what: tuple[str, ...]
    started_s: float
    duration_s: float
    results: list[DeviceResult]
    busy: list[str] = field(default_factory=list)
    """Devices left out because their job from an earlier cycle was still running."""

    @property
    def failed(self) -> list[DeviceResult]:
        return [r for r in self.results if not r.ok]


class _Slot:
    """One device's reusable session and collector, with a lock so jobs never share it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.collector: Collector | None = None
        self.uptime_s: float | None = None
        self.speeds_mbps: dict[str, float] = {}
        self.job: Future[DeviceResult] | None = None
        self.halt = threading.Event()
        """Set when the device's deadline passed: its worker starts no further command."""


class _DeviceFailed(Exception):
    """Internal: the device as a whole failed (no session, refused credentials)."""

    def __init__(self, exc: NetopsError, attempts: int) -> None:
        self.exc = exc
        self.attempts = attempts


class Poller:
    """Polls an inventory's devices; reuse one Poller across cycles (it keeps the sessions)."""

    def __init__(
        self,
        inventory: Inventory,
        settings: Settings,
        secrets: SecretStore,
        endpoints: Mapping[str, Endpoint] | None = None,
        *,
        engine: Engine | None = None,
        registry: DriverRegistry | None = None,
        connect: Connector = open_session,
        breaker: CircuitBreaker | None = None,
        retries: int = 2,
        backoff_s: float = 0.5,
        devices: Iterable[str] | None = None,
        clock: Callable[[], float] = time.time,
        deadline_s: float | None = None,
    ) -> None:
        self.inventory = inventory
        self.settings = settings
        self.secrets = secrets
        # None: real-network mode (management addresses); a mapping: lab mode, every device in it.
        self.endpoints = dict(endpoints) if endpoints is not None else None
        self.engine = engine
        self.registry = registry or default_registry()
        self.connect = connect
        self.breaker = breaker or CircuitBreaker()
        self.retries = retries
        self.backoff_s = backoff_s
        self.clock = clock
        self.deadline_s = float(
            deadline_s if deadline_s is not None else settings.device_deadline_s
        )
        wanted = set(devices) if devices is not None else None
        self.devices = [d for d in inventory.devices if wanted is None or d.hostname in wanted]
        self.credentials = {c.name: c for c in inventory.credentials}
        self._slots = {d.hostname: _Slot() for d in self.devices}
        self._pool = ThreadPoolExecutor(
            max_workers=max(1, settings.poll_workers), thread_name_prefix="netops-poll"
        )
        self._state: dict[tuple[str, str], CounterSample] = (
            load_counter_state(engine) if engine is not None else {}
        )
        self._state_lock = threading.Lock()
        self._stopping = threading.Event()
        for d in self.devices:
            self._slots[d.hostname].speeds_mbps = {i.name: i.speed_mbps for i in d.interfaces}

    # -- one device ---------------------------------------------------------------------------

    def _collector(self, device: Device, slot: _Slot, deadline: float) -> Collector:
        if slot.collector is not None and slot.collector.is_alive():
            slot.collector.deadline_s = deadline
            return slot.collector
        self._drop(slot)
        try:
            credential = self.credentials[device.credentials]
        except KeyError:
            raise SecretError(
                f"{device.hostname}: credential {device.credentials!r} is not defined"
            ) from None
        left_s = deadline - time.monotonic()
        if left_s <= 0.05:
            raise CommandTimeout(
                device.hostname, "the device's deadline for this cycle passed before connecting"
            )
        endpoint = resolve_endpoint(device, self.endpoints)
        settings = self.settings
        if left_s < settings.device_timeout_s:
            settings = settings.model_copy(update={"device_timeout_s": left_s})
        conn = self.connect(device, credential, self.secrets, endpoint, settings)
        slot.collector = self.registry.build(device.platform.value, conn, device)
        slot.collector.deadline_s = deadline
        return slot.collector

    @staticmethod
    def _drop(slot: _Slot) -> None:
        if slot.collector is not None:
            slot.collector.close()
            slot.collector = None

    def _validate(self, device: Device, getter: str, value: Any) -> None:
        expected = {i.name for i in device.interfaces}
        if getter in ("counters", "interfaces") and expected:
            got = {item.name for item in value}
            missing = sorted(expected - got)
            if missing:
                raise ParseError(
                    device.hostname,
                    f"{getter}: no data for inventory interface(s) {', '.join(missing)} "
                    "(truncated output?)",
                )

    def _sleep(self, seconds: float, deadline: float) -> None:
        self._stopping.wait(max(0.0, min(seconds, deadline - time.monotonic())))

    def _connect(self, device: Device, slot: _Slot, deadline: float, attempts: list[int]) -> Any:
        """The device's collector, reconnecting with backoff; :class:`_DeviceFailed` when no
        session can be had (the same error twice on a fresh try ends the retries)."""
        last: str | None = None
        tries = 0
        while True:
            tries += 1
            attempts[0] += 1
            try:
                return self._collector(device, slot, deadline)
            except NetopsError as exc:
                self._drop(slot)
                same = f"{exc.__class__.__name__}: {exc}" == last
                last = f"{exc.__class__.__name__}: {exc}"
                if (
                    isinstance(exc, NOT_RETRYABLE)
                    or same
                    or tries > self.retries
                    or time.monotonic() >= deadline
                    or self._halted(slot)
                ):
                    raise _DeviceFailed(exc, attempts[0]) from None
                self._sleep(self.backoff_s * 2 ** (tries - 1), deadline)

    def _one_getter(
        self, device: Device, slot: _Slot, getter: str, deadline: float, attempts: list[int]
    ) -> Any:
        """One getter's value, retried on a fresh session while that may help; raises its
        final :class:`CollectorError` (or :class:`_DeviceFailed`)."""
        last: str | None = None
        tries = 0
        while True:
            tries += 1
            collector = self._connect(device, slot, deadline, attempts)
            try:
                value = getattr(collector, f"get_{getter}")()
                self._validate(device, getter, value)
                return value
            except CommandRefused:
                raise  # the device said no: asking again gives the same answer
            except NOT_RETRYABLE as exc:
                self._drop(slot)
                raise _DeviceFailed(exc, attempts[0]) from None
            except CollectorError as exc:
                # after a timeout or garbage the session state is unknown: start afresh
                self._drop(slot)
                signature = f"{exc.__class__.__name__}: {exc}"
                repeated = signature == last
                last = signature
                if (
                    repeated
                    or tries > self.retries
                    or time.monotonic() >= deadline
                    or self._halted(slot)
                ):
                    raise
                self._sleep(self.backoff_s * 2 ** (tries - 1), deadline)

    def _halted(self, slot: _Slot) -> bool:
        return slot.halt.is_set() or self._stopping.is_set()

    def _run_getters(
        self,
        device: Device,
        slot: _Slot,
        what: Sequence[str],
        deadline: float,
        data: dict[str, Any],
        errors: dict[str, CollectorError],
        attempts: list[int],
    ) -> None:
        """Fill ``data``/``errors`` getter by getter (read by the job even if this never ends
        in time); raises :class:`_DeviceFailed` when the device as a whole fails first."""
        for n, getter in enumerate(what):
            if self._halted(slot):
                errors[getter] = CommandTimeout(
                    device.hostname,
                    f"{getter}: not attempted, the device's {self.deadline_s:g} s deadline passed",
                )
                continue
            try:
                value = self._one_getter(device, slot, getter, deadline, attempts)
            except NotImplementedError:
                continue
            except _DeviceFailed as failed:
                if not data:
                    raise
                # the session is gone for good: this and the later getters share its error
                exc = failed.exc
                err = (
                    exc
                    if isinstance(exc, CollectorError)
                    else CollectorError(device.hostname, str(exc))
                )
                for rest in what[n:]:
                    errors[rest] = err
                break
            except CollectorError as exc:
                errors[getter] = exc
                continue
            data[getter] = value
            if isinstance(value, Facts):
                slot.uptime_s = value.uptime_s
            if getter == "interfaces":
                for info in value:
                    assert isinstance(info, InterfaceInfo)
                    if info.speed_mbps:
                        slot.speeds_mbps[info.name] = info.speed_mbps

    def _poll_device(self, device: Device, what: Sequence[str]) -> DeviceResult:
        name = device.hostname
        slot = self._slots[name]
        started = self.clock()
        t0 = time.monotonic()
        deadline = t0 + self.deadline_s
        if not self.breaker.allow(name):
            return DeviceResult(
                name,
                False,
                started,
                0.0,
                0,
                "CircuitOpen",
                f"{name}: skipped, circuit open after repeated failures "
                f"(next try in {self.breaker.retry_in_s(name):.0f} s)",
                reachable=False,
                skipped=True,
                finished_s=self.clock(),
            )
        if not slot.lock.acquire(blocking=False):
            # the worker of an earlier cycle is still in a blocking read past its deadline
            return DeviceResult(
                name,
                False,
                started,
                0.0,
                0,
                "Busy",
                f"{name}: skipped, the previous poll is still waiting for the device",
                skipped=True,
                finished_s=self.clock(),
            )
        slot.halt = threading.Event()
        data: dict[str, Any] = {}
        errors: dict[str, CollectorError] = {}
        attempts = [0]
        outcome: list[BaseException] = []
        finished = threading.Event()

        def work() -> None:
            try:
                self._run_getters(device, slot, what, deadline, data, errors, attempts)
            except BaseException as exc:  # handed to the job below
                outcome.append(exc)
            finally:
                if slot.halt.is_set():
                    self._drop(slot)  # abandoned mid-read: the session state is unknown
                slot.lock.release()
                finished.set()

        # The getters run in their own thread so that the job returns at the deadline even when
        # a read inside netmiko/paramiko (a login step) overruns it; the abandoned worker starts
        # nothing more and releases the device when its read gives up.
        threading.Thread(target=work, name=f"netops-dev-{name}", daemon=True).start()
        if not finished.wait(max(0.0, deadline - time.monotonic()) + DEADLINE_GRACE_S):
            slot.halt.set()
            late = CommandTimeout(
                name, f"no answer within the device's {self.deadline_s:g} s deadline"
            )
            data = dict(data)
            errors = {**errors, **{g: late for g in what if g not in data and g not in errors}}
        elif outcome:
            exc = outcome[0]
            if isinstance(exc, _DeviceFailed):
                self.breaker.failure(name)
                err = exc.exc
                message = str(err) if isinstance(err, CollectorError) else f"{name}: {err}"
                return DeviceResult(
                    name,
                    False,
                    started,
                    time.monotonic() - t0,
                    exc.attempts,
                    err.__class__.__name__,
                    message,
                    reachable=not isinstance(err, DeviceUnreachable),
                    getter_errors={g: message for g in what},
                    finished_s=self.clock(),
                )
            self.breaker.failure(name)  # a bug in a driver must not stop the cycle
            log.error("%s: unexpected error", name, exc_info=exc)
            return DeviceResult(
                name,
                False,
                started,
                time.monotonic() - t0,
                1,
                exc.__class__.__name__,
                f"{name}: internal error: {exc}",
                getter_errors={g: f"{name}: internal error: {exc}" for g in what},
                finished_s=self.clock(),
            )
        attempts[0] = max(1, attempts[0])
        duration = time.monotonic() - t0
        if not errors:
            self.breaker.success(name)
            return DeviceResult(
                name, True, started, duration, attempts[0], data=data, finished_s=self.clock()
            )
        if data:
            self.breaker.success(name)  # it answers: keep polling it
        else:
            self.breaker.failure(name)
        first = errors[next(g for g in what if g in errors)]
        return DeviceResult(
            name,
            False,
            started,
            duration,
            attempts[0],
            first.__class__.__name__,
            str(first),
            reachable=bool(data) or not isinstance(first, DeviceUnreachable),
            data=data,
            getter_errors={g: str(e) for g, e in errors.items()},
            finished_s=self.clock(),
        )

    def _job(self, device: Device, what: Sequence[str], store: bool) -> DeviceResult:
        """One device's cycle, its results written in one transaction as soon as it ends."""
        result = self._poll_device(device, what)
        if store and self.engine is not None and not self._stopping.is_set():
            batch = Batch()
            self._result_rows(result, ",".join(what), batch)
            write_batch(self.engine, batch)
        return result

    # -- a cycle ------------------------------------------------------------------------------

    def poll(
        self,
        what: Iterable[str] = ("counters",),
        *,
        store: bool = True,
        wait_s: float | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> CycleReport:
        """Poll every device for ``what`` (names from :data:`collectors.base.GETTERS`); each
        device's results are written in one transaction when it finishes (with a database
        ``engine``).  A device whose job from an earlier cycle is still running is left out
        (``report.busy``).  ``wait_s`` bounds how long this call waits: devices not finished
        by then are left out of the report and still write their results when they end.
        ``progress(done, total)`` is called (in this thread) as devices finish."""
        getters = tuple(GETTERS if "all" in what else what)
        unknown = [g for g in getters if g not in GETTERS]
        if unknown:
            raise ValueError(f"unknown getter(s) {unknown}; valid: {', '.join(GETTERS)}, all")
        started = self.clock()
        t0 = time.monotonic()
        jobs: list[Future[DeviceResult]] = []
        busy: list[str] = []
        for d in self.devices:
            slot = self._slots[d.hostname]
            if slot.job is not None and not slot.job.done():
                busy.append(d.hostname)
                continue
            slot.job = self._pool.submit(self._job, d, getters, store)
            jobs.append(slot.job)
        limit = wait_s
        reported = 0
        while True:
            step = 0.2 if limit is None else max(0.0, min(0.2, limit - (time.monotonic() - t0)))
            done, pending = wait_futures(jobs, timeout=step)
            if progress is not None and len(done) != reported:
                reported = len(done)
                progress(reported, len(jobs))
            if not pending or self._stopping.is_set():
                break
            if limit is not None and time.monotonic() - t0 >= limit:
                break
        results = [f.result() for f in jobs if f.done() and not f.cancelled()]
        return CycleReport(getters, started, time.monotonic() - t0, results, busy)

    def to_batch(self, report: CycleReport) -> Batch:
        """Rows for one cycle (also updates the in-memory counter state)."""
        batch = Batch()
        what = ",".join(report.what)
        for r in report.results:
            self._result_rows(r, what, batch)
        return batch

    def _result_rows(self, r: DeviceResult, what: str, batch: Batch) -> None:
        batch.polls.append(
            {
                "device": r.device,
                "what": what[:100],
                "started_s": r.started_s,
                "duration_s": r.duration_s,
                "ok": r.ok,
                "reachable": r.reachable,
                "error_kind": r.error_kind,
                "error": r.error,
                "status": r.status,
                "getters_ok": ",".join(r.data)[:100],
                "getter_errors": json.dumps(r.getter_errors, sort_keys=True)
                if r.getter_errors
                else None,
                "finished_s": r.finished_s or None,
            }
        )
        batch.states.append(self._state_row(r))
        if r.data:
            self._device_rows(r, batch)

    def _state_row(self, r: DeviceResult) -> dict[str, Any]:
        # consecutive failures come from the breaker's view, no read of the existing row
        return {
            "device": r.device,
            "reachable": r.reachable,
            "last_poll_s": r.started_s,
            "last_ok_s": r.started_s if r.ok else None,
            "last_error_s": None if r.ok else r.started_s,
            "last_error_kind": r.error_kind,
            "last_error": r.error,
            "last_duration_s": r.duration_s,
            "consecutive_failures": 0 if r.ok else self._failures(r.device),
            "status": r.status,
        }

    def _failures(self, device: str) -> int:
        return max(1, self.breaker.failures(device))

    def _device_rows(self, r: DeviceResult, batch: Batch) -> None:
        slot = self._slots[r.device]
        at = r.started_s
        facts = r.data.get("facts")
        if facts is not None:
            batch.facts.append(
                {
                    "device": r.device,
                    "at_s": at,
                    "hostname": facts.hostname[:200],
                    "vendor": facts.vendor[:100],
                    "model": facts.model[:200],
                    "os_version": facts.os_version[:300],
                    "serial_number": facts.serial_number[:100],
                    "uptime_s": facts.uptime_s,
                }
            )
        with self._state_lock:
            if "counters" in r.data:
                rows, new = sample_rows.interface_rows(
                    r.device, at, r.data["counters"], slot.speeds_mbps, slot.uptime_s, self._state
                )
                batch.samples.extend(rows)
                self._state.update(new)
                batch.counter_state.extend(sample_rows.state_rows(new))
            if "queues" in r.data:
                rows, new = sample_rows.queue_rows(
                    r.device, at, r.data["queues"], slot.uptime_s, self._state
                )
                batch.queues.extend(rows)
                self._state.update(new)
                batch.counter_state.extend(sample_rows.state_rows(new))
        for n in r.data.get("neighbors", []):
            batch.neighbors.append(
                {
                    "device": r.device,
                    "seen_s": at,
                    "local_interface": n.local_interface[:64],
                    "remote_system_name": n.remote_system_name[:200],
                    "remote_port": n.remote_port[:200],
                    "remote_address": n.remote_address[:100],
                    "protocol": n.protocol[:10],
                }
            )
        if "config" in r.data:
            batch.configs.append((r.device, r.data["config"].running, at))

    def close(self) -> None:
        """Close every session and the thread pool (waiting for running jobs, each bounded by
        its deadline); never raises."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        for slot in self._slots.values():
            if slot.lock.acquire(timeout=DEADLINE_GRACE_S):
                try:
                    self._drop(slot)
                finally:
                    slot.lock.release()
            else:  # a worker abandoned at its deadline: close the session under it
                slot.halt.set()
                collector = slot.collector
                if collector is not None:
                    collector.close()

    def abort(self) -> None:
        """Stop now (SIGTERM): no new getter or retry starts, queued jobs are cancelled, open
        sessions are closed under the running jobs (their reads fail at once); results not yet
        written are dropped whole.  Never raises, never waits for a device."""
        self._stopping.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
        for slot in self._slots.values():
            collector = slot.collector
            if collector is not None:
                try:
                    collector.close()
                except Exception:
                    pass
