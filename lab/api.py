"""Run the device lab from Python: tests, benchmarks and the demo.

Example::

    from lab.api import start_lab
    with start_lab(inventory, secrets=SecretStore({"NETOPS_LAB_PASSWORD": "pw"}, {})) as lab:
        ep = lab.endpoints["dist1"]               # netops.endpoints.Endpoint(host, port)
        lab.fault("dist1", "link-down", interface="GigabitEthernet1/0/1")
        lab.state("dist1").interfaces[...]        # lab.state.DeviceState
        lab.clear_faults()

The asyncio SSH server runs in a background thread; every method here is thread-safe (it hands the
work to the server's event loop and waits for it).  ``shard=(i, n)`` serves only the devices whose
position in the inventory is ``i`` modulo ``n`` (several lab processes for very large inventories).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from lab.faults import (
    FaultKind,
    ServerFaults,
    apply_server_fault,
    apply_state_fault,
    clear_state_faults,
    coerce_params,
    parse_kind,
)
from lab.server import (
    DeviceRuntime,
    LabServer,
    kept_host_key,
    make_runtime,
    new_host_key,
    resolve_passwords,
)
from lab.state import Clock, DeviceState, build_states
from lab.traffic import TrafficModel
from netops.endpoints import Endpoint, require_loopback
from netops.errors import LabError
from netops.inventory.schema import Inventory
from netops.secrets import SecretStore

T = TypeVar("T")
START_TIMEOUT_S = 120.0


class Lab:
    """A running lab.  Build with :func:`start_lab`; stop with :meth:`stop` or a ``with`` block."""

    def __init__(
        self,
        inventory: Inventory,
        *,
        secrets: SecretStore | None = None,
        seed: int = 0,
        host: str = "127.0.0.1",
        clock: Clock = time.time,
        shard: tuple[int, int] = (0, 1),
        ports: dict[str, int] | None = None,
        devices: Iterable[str] | None = None,
        host_key_dir: Path | None = None,
    ) -> None:
        index, count = shard
        if count < 1 or not 0 <= index < count:
            raise LabError(f"shard {index}/{count}: need 0 <= index < count")
        host = require_loopback(host)
        self.inventory = inventory
        self.host = host
        self.seed = seed
        self.traffic = TrafficModel(inventory, seed=seed)
        self.states: dict[str, DeviceState] = build_states(
            inventory, seed=seed, clock=clock, traffic=self.traffic
        )
        served = [d.hostname for i, d in enumerate(inventory.devices) if i % count == index]
        if devices is not None:
            wanted = set(devices)
            unknown = wanted - set(self.states)
            if unknown:
                raise LabError(f"not in the inventory: {', '.join(sorted(unknown))}")
            served = [n for n in served if n in wanted]
        store = secrets if secrets is not None else SecretStore.from_env()
        passwords = resolve_passwords(inventory, store, served)
        self.runtimes: dict[str, DeviceRuntime] = {
            name: make_runtime(
                self.states[name],
                *passwords[name],
                host_key=kept_host_key(host_key_dir, name) if host_key_dir else None,
            )
            for name in served
        }
        self.traffic.bind(
            caps=lambda name: (
                self.runtimes[name].personality.shaping_caps() if name in self.runtimes else []
            ),
        )
        self._server = LabServer(self.runtimes, host)
        self._ports = ports
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="netops-lab", daemon=True
        )
        self._running = False

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> Lab:
        self._thread.start()
        self._running = True
        try:
            self._call(self._server.start(self._ports), timeout=START_TIMEOUT_S)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Close every listener and session, then the event loop; safe to call twice."""
        if not self._running:
            return
        try:
            self._call(self._shutdown(), timeout=30)
        finally:
            self._running = False
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            if not self._thread.is_alive():
                self._loop.close()

    async def _shutdown(self) -> None:
        await self._server.stop()
        current = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def __enter__(self) -> Lab:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _call(self, coro: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        if not self._running:
            coro.close()
            raise LabError("the lab is not running")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    # -- queries ---------------------------------------------------------------------------
    @property
    def endpoints(self) -> dict[str, Endpoint]:
        """hostname -> where its SSH server listens (only devices served by this lab)."""
        return {n: Endpoint(self.host, rt.port) for n, rt in self.runtimes.items()}

    def state(self, hostname: str) -> DeviceState:
        """The live state of ``hostname``; :class:`LabError` listing a few valid names if none."""
        try:
            return self.states[hostname]
        except KeyError:
            some = ", ".join(sorted(self.states)[:10])
            raise LabError(f"no device {hostname!r} in the lab (devices: {some}...)") from None

    def runtime(self, hostname: str) -> DeviceRuntime:
        try:
            return self.runtimes[hostname]
        except KeyError:
            raise LabError(f"device {hostname!r} is not served by this lab") from None

    def active_faults(self) -> dict[str, list[str]]:
        """hostname -> descriptions of its active faults (devices without faults left out)."""
        out: dict[str, list[str]] = {}
        for name, rt in self.runtimes.items():
            found = [k for k, v in vars(rt.faults).items() if v not in (False, 0, 0.0, None)]
            st = rt.state
            found += [f"link-down {i.name}" for i in st.interfaces.values() if i.link_fault]
            found += [
                f"counter-wrap {i.name}" for i in st.interfaces.values() if i.counter_bits == 32
            ]
            if st.lldp_override is not None:
                found.append("lldp-disagree")
            if found:
                out[name] = found
        return out

    # -- faults ----------------------------------------------------------------------------
    def fault(self, hostname: str, kind: str | FaultKind, **params: Any) -> None:
        """Inject a fault (see :mod:`lab.faults` for kinds and params); :class:`LabError` on an
        unknown device, kind or parameter."""
        rt = self.runtime(hostname)
        fkind = parse_kind(str(kind))
        checked = coerce_params(fkind, params)
        self._call(self._apply(rt, fkind, checked))

    async def _apply(self, rt: DeviceRuntime, kind: FaultKind, params: dict[str, Any]) -> None:
        if kind is FaultKind.REBOOT:
            self._server.drop_sessions(rt)
            rt.personality.on_reboot()
        if apply_state_fault(rt.state, kind, params):
            return
        apply_server_fault(rt.faults, kind, params)
        if kind is FaultKind.UNREACHABLE:
            await self._server.close_listener(rt)
            self._server.drop_sessions(rt)
        elif kind is FaultKind.HOST_KEY:
            rt.host_key = new_host_key()
            await self._server.restart_listener(rt)

    def clear_faults(self, hostname: str | None = None) -> None:
        """Undo every fault on ``hostname`` (all devices when None)."""
        names = [hostname] if hostname is not None else list(self.runtimes)
        runtimes = [self.runtime(n) for n in names]
        self._call(self._clear(runtimes))

    async def _clear(self, runtimes: list[DeviceRuntime]) -> None:
        for rt in runtimes:
            clear_state_faults(rt.state)
            was = rt.faults
            rt.faults = ServerFaults()
            if was.host_key_changed or rt.host_key is not rt.original_host_key:
                rt.host_key = rt.original_host_key
                await self._server.restart_listener(rt)
            elif rt.acceptor is None:
                await self._server.listen(rt)


def start_lab(
    inventory: Inventory,
    *,
    secrets: SecretStore | None = None,
    seed: int = 0,
    host: str = "127.0.0.1",
    clock: Clock = time.time,
    shard: tuple[int, int] = (0, 1),
    ports: dict[str, int] | None = None,
    devices: Iterable[str] | None = None,
    host_key_dir: Path | None = None,
) -> Lab:
    """Start serving every device of ``inventory`` (or one shard of them) and return the lab.

    ``secrets`` resolves the credentials' password refs (default: environment and
    ``NETOPS_SECRETS_FILE``); raises :class:`LabError` naming the device when one is missing,
    when a platform has no personality, or when a port cannot be bound.  ``devices`` limits the
    lab to those hostnames (the others still exist as LLDP neighbours and traffic paths).
    ``host_key_dir`` keeps each device's host key across restarts (default: fresh keys).
    """
    return Lab(
        inventory,
        secrets=secrets,
        seed=seed,
        host=host,
        clock=clock,
        shard=shard,
        ports=ports,
        devices=devices,
        host_key_dir=host_key_dir,
    ).start()
