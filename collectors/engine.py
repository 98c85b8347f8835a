"""The polling engine: every device concurrently, each in isolation, sessions reused.

* a thread pool (``settings.poll_workers``) runs one job per device; a device's failure becomes
  that device's result and never delays the others beyond its own bounded timeouts;
* SSH sessions are kept open across cycles; before reuse a health check runs, a dead session is
  reopened;
* retryable failures (timeout, truncated/garbage output, dropped session) are retried with
  exponential backoff on a fresh session; authentication and host-key errors are not;
* a per-device circuit breaker skips devices that keep failing;
* every output is validated by the parsers (and counters against the inventory's interfaces),
  so a truncated or empty reply is retried, never stored;
* results of the whole cycle are written in one transaction (:func:`netops.telemetry.store.
  write_batch`).

Example::

    poller = Poller(inventory, settings, SecretStore.from_env(), endpoints, engine=db_engine)
    report = poller.poll(["counters"])
    poller.close()
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
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


@dataclass
class DeviceResult:
    """The outcome of one device in one cycle."""

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


@dataclass
class CycleReport:
    what: tuple[str, ...]
    started_s: float
    duration_s: float
    results: list[DeviceResult]

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
        for d in self.devices:
            self._slots[d.hostname].speeds_mbps = {i.name: i.speed_mbps for i in d.interfaces}

    # -- one device ---------------------------------------------------------------------------

    def _collector(self, device: Device, slot: _Slot) -> Collector:
        if slot.collector is not None and slot.collector.is_alive():
            return slot.collector
        self._drop(slot)
        try:
            credential = self.credentials[device.credentials]
        except KeyError:
            raise SecretError(
                f"{device.hostname}: credential {device.credentials!r} is not defined"
            ) from None
        endpoint = resolve_endpoint(device, self.endpoints)
        conn = self.connect(device, credential, self.secrets, endpoint, self.settings)
        slot.collector = self.registry.build(device.platform.value, conn, device)
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

    def _run_getters(self, device: Device, slot: _Slot, what: Sequence[str]) -> dict[str, Any]:
        collector = self._collector(device, slot)
        data: dict[str, Any] = {}
        for getter in what:
            try:
                value = getattr(collector, f"get_{getter}")()
            except NotImplementedError:
                continue
            self._validate(device, getter, value)
            data[getter] = value
            if isinstance(value, Facts):
                slot.uptime_s = value.uptime_s
            if getter == "interfaces":
                for info in value:
                    assert isinstance(info, InterfaceInfo)
                    if info.speed_mbps:
                        slot.speeds_mbps[info.name] = info.speed_mbps
        return data

    def _poll_device(self, device: Device, what: Sequence[str]) -> DeviceResult:
        name = device.hostname
        slot = self._slots[name]
        started = self.clock()
        t0 = time.monotonic()
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
            )
        attempt = 0
        with slot.lock:
            while True:
                attempt += 1
                try:
                    data = self._run_getters(device, slot, what)
                except NetopsError as exc:
                    retry = not isinstance(exc, NOT_RETRYABLE) and attempt <= self.retries
                    # after a timeout or garbage the session state is unknown: start afresh
                    self._drop(slot)
                    if retry:
                        time.sleep(self.backoff_s * 2 ** (attempt - 1))
                        continue
                    self.breaker.failure(name)
                    reachable = not isinstance(exc, DeviceUnreachable)
                    message = str(exc) if isinstance(exc, CollectorError) else f"{name}: {exc}"
                    return DeviceResult(
                        name,
                        False,
                        started,
                        time.monotonic() - t0,
                        attempt,
                        exc.__class__.__name__,
                        message,
                        reachable=reachable,
                    )
                except Exception as exc:  # a bug in a driver must not stop the cycle
                    self._drop(slot)
                    self.breaker.failure(name)
                    log.exception("%s: unexpected error", name)
                    return DeviceResult(
                        name,
                        False,
                        started,
                        time.monotonic() - t0,
                        attempt,
                        exc.__class__.__name__,
                        f"{name}: internal error: {exc}",
                    )
                self.breaker.success(name)
                return DeviceResult(name, True, started, time.monotonic() - t0, attempt, data=data)

    # -- a cycle ------------------------------------------------------------------------------

    def poll(
        self,
        what: Iterable[str] = ("counters",),
        *,
        store: bool = True,
        progress: Callable[[int, int], None] | None = None,
    ) -> CycleReport:
        """Poll every device for ``what`` (names from :data:`collectors.base.GETTERS`), then
        write the cycle in one transaction when the Poller has a database ``engine``.
        ``progress(done, total)`` is called (in this thread) as each device finishes."""
        getters = tuple(GETTERS if "all" in what else what)
        unknown = [g for g in getters if g not in GETTERS]
        if unknown:
            raise ValueError(f"unknown getter(s) {unknown}; valid: {', '.join(GETTERS)}, all")
        started = self.clock()
        t0 = time.monotonic()
        futures = [self._pool.submit(self._poll_device, d, getters) for d in self.devices]
        if progress is not None:
            for done, _ in enumerate(as_completed(futures), 1):
                progress(done, len(futures))
        results = [f.result() for f in futures]
        report = CycleReport(getters, started, time.monotonic() - t0, results)
        if store and self.engine is not None:
            write_batch(self.engine, self.to_batch(report))
        return report

    def to_batch(self, report: CycleReport) -> Batch:
        """Rows for one cycle (also updates the in-memory counter state)."""
        batch = Batch()
        what = ",".join(report.what)
        for r in report.results:
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
                }
            )
            batch.states.append(self._state_row(r))
            if r.ok:
                self._device_rows(r, batch)
        return batch

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
        """Close every session and the thread pool; never raises."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        for slot in self._slots.values():
            with slot.lock:
                self._drop(slot)
