"""Engine logic with fake drivers: isolation, retries, validation, circuit breaker.

The transport is faked here on purpose (unit tests of the engine's logic); the same behaviours
are shown over real SSH against the lab in test_lab_integration.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from collectors.base import (
    Collector,
    ConfigText,
    Facts,
    InterfaceCounters,
    InterfaceInfo,
    Neighbor,
    QueueStats,
)
from collectors.breaker import CircuitBreaker
from collectors.engine import Poller
from collectors.registry import DriverRegistry
from netops.endpoints import Endpoint
from netops.errors import AuthenticationFailed, CommandTimeout
from netops.inventory.loader import load_inventory
from netops.secrets import SecretStore
from netops.settings import Settings
from netops.storage.telemetry import InterfaceSample
from tests.helpers import MINI


class FakeDevice(Collector):
    """Counters grow 1 MB per call; ``behaviour`` scripts failures per call number."""

    def __init__(
        self,
        name: str,
        ifaces: list[str],
        script: list[str],
        hang: Callable[[], None] | None = None,
    ) -> None:
        self.name, self.ifaces, self.script = name, ifaces, script
        self.hang = hang or (lambda: time.sleep(1.0))
        self.calls = 0
        self.answered = 0  # get_counters calls that returned data
        self.closed = False

    def _step(self) -> str:
        self.calls += 1
        return self.script.pop(0) if self.script else "ok"

    def get_counters(self) -> list[InterfaceCounters]:
        step = self._step()
        if step == "timeout":
            raise CommandTimeout(self.name, "no prompt")
        if step == "hang":
            self.hang()
            raise CommandTimeout(self.name, "no prompt while running '/interface print'")
        if step == "timeout-hang":
            self.hang()
            raise CommandTimeout(self.name, f"no prompt (call {self.calls})")
        if step == "auth":
            raise AuthenticationFailed(self.name, "refused")
        names = self.ifaces[:-1] if step == "truncated" else self.ifaces
        self.answered += 1
        return [InterfaceCounters(n, self.calls * 10**6, 0, 1, 1, 0, 0) for n in names]

    def get_facts(self) -> Facts:
        return Facts(self.name, "x", "x", "1", "s", 100.0)

    def get_interfaces(self) -> list[InterfaceInfo]:
        return [InterfaceInfo(n, True, True, None, 1500, "") for n in self.ifaces]

    def get_neighbors(self) -> list[Neighbor]:
        return []

    def get_config(self) -> ConfigText:
        return ConfigText("x")

    def get_queues(self) -> list[QueueStats]:
        return []

    def close(self) -> None:
        self.closed = True


def make_poller(
    tmp_path: Path,
    scripts: dict[str, list[str]],
    hang: Callable[[], None] | None = None,
    **kw: Any,
) -> tuple[Poller, dict]:
    inv = load_inventory(MINI).inventory
    fakes: dict[str, FakeDevice] = {}
    connects: dict[str, int] = {}

    def connect(device: Any, *_: Any) -> str:
        connects[device.hostname] = connects.get(device.hostname, 0) + 1
        return device.hostname

    reg = DriverRegistry()
    for platform in ("cisco_ios", "mikrotik_routeros", "linux"):

        def build(conn: Any, d: Any) -> Collector:
            fake = FakeDevice(
                d.hostname, [i.name for i in d.interfaces], scripts.get(d.hostname, []), hang
            )
            fakes[d.hostname] = fake
            return fake

        reg.register(platform, build)
    settings = Settings(data_dir=tmp_path, loopback_only=True, poll_workers=8)
    poller = Poller(
        inv,
        settings,
        SecretStore({}, {}),
        {d.hostname: Endpoint("127.0.0.1", 22) for d in inv.devices},
        registry=reg,
        connect=connect,
        backoff_s=0.01,
        **kw,
    )
    return poller, {"fakes": fakes, "connects": connects}


def test_one_hanging_device_does_not_delay_the_others(tmp_path: Path, sqlite_engine: Any) -> None:
    # core1 hangs until every other device's results are IN THE DATABASE (or 10 s pass): they can
    # only be there meanwhile if the engine polls them while core1 is stuck and writes each
    # device as it finishes, not at the end of the cycle.  No clock is compared.
    others = {"dist1", "rsud-gw", "ptp-utara"}
    stored_while_hanging: list[set[str]] = []

    def stored() -> set[str]:
        with sqlite_engine.connect() as conn:
            return {
                d for (d,) in conn.execute(select(InterfaceSample.device).distinct()) if d in others
            }

    def hang() -> None:
        deadline = time.monotonic() + 10
        while stored() != others and time.monotonic() < deadline:
            time.sleep(0.01)
        stored_while_hanging.append(stored())

    script = ["hang", "hang", "hang"]
    poller, seen = make_poller(tmp_path, {"core1": script}, hang=hang, engine=sqlite_engine)
    report = poller.poll(["counters"])
    by = {r.device: r for r in report.results}
    assert not by["core1"].ok and by["core1"].error_kind == "CommandTimeout"
    assert stored_while_hanging and stored_while_hanging[0] == others
    # the hang repeated identically on the fresh session: not asked a third time
    assert len(script) == 1
    for name in others:
        assert by[name].ok, by[name].error
        assert by[name].finished_s <= by["core1"].finished_s
    poller.close()


def test_a_getter_that_fails_leaves_the_other_getters_data_and_says_partial(
    tmp_path: Path,
) -> None:
    poller, _ = make_poller(tmp_path, {"dist1": ["truncated"] * 3})
    r = next(r for r in poller.poll(["facts", "counters", "config"]).results if r.device == "dist1")
    assert r.status == "partial" and not r.ok
    assert set(r.data) == {"facts", "config"} and set(r.getter_errors) == {"counters"}
    assert "GigabitEthernet1/0/2" in r.getter_errors["counters"]
    poller.close()


def test_the_device_deadline_bounds_every_retry(tmp_path: Path) -> None:
    # each call hangs 0.4 s then times out with a different message; 2 retries allowed, but
    # the device's deadline (0.5 s) stops the retries after the second try
    script = ["timeout-hang"] * 5
    poller, _ = make_poller(
        tmp_path, {"core1": script}, hang=lambda: time.sleep(0.4), deadline_s=0.5
    )
    r = next(r for r in poller.poll(["counters"]).results if r.device == "core1")
    assert r.error_kind == "CommandTimeout" and len(script) == 3  # two calls, not three
    poller.close()


def test_truncated_output_is_retried_on_a_fresh_session_and_never_returned(tmp_path: Path) -> None:
    poller, seen = make_poller(tmp_path, {"dist1": ["truncated"]})
    report = poller.poll(["counters"])
    r = next(r for r in report.results if r.device == "dist1")
    assert r.ok and r.attempts == 2
    assert {c.name for c in r.data["counters"]} == {"GigabitEthernet1/0/1", "GigabitEthernet1/0/2"}
    assert seen["connects"]["dist1"] == 2  # reconnected after the bad output
    poller.close()


def test_output_truncated_every_time_ends_as_parse_error_not_data(tmp_path: Path) -> None:
    poller, _ = make_poller(tmp_path, {"dist1": ["truncated"] * 3})
    r = next(r for r in poller.poll(["counters"]).results if r.device == "dist1")
    assert not r.ok and r.error_kind == "ParseError" and "GigabitEthernet1/0/2" in (r.error or "")
    assert r.data == {}
    poller.close()


def test_authentication_failure_is_not_retried(tmp_path: Path) -> None:
    poller, _ = make_poller(tmp_path, {"core1": ["auth", "ok"]})
    r = next(r for r in poller.poll(["counters"]).results if r.device == "core1")
    assert not r.ok and r.attempts == 1 and r.error_kind == "AuthenticationFailed"
    poller.close()


def test_sessions_are_reused_across_cycles(tmp_path: Path) -> None:
    poller, seen = make_poller(tmp_path, {})
    for _ in range(3):
        assert not poller.poll(["counters"]).failed
    assert set(seen["connects"].values()) == {1}
    poller.close()
    assert all(f.closed for f in seen["fakes"].values())


def test_circuit_breaker_skips_a_device_that_keeps_failing(tmp_path: Path) -> None:
    breaker = CircuitBreaker(threshold=2, cooldown_s=3600)
    poller, seen = make_poller(tmp_path, {"core1": ["timeout"] * 20}, breaker=breaker, retries=0)
    poller.poll(["counters"])
    poller.poll(["counters"])
    calls = seen["fakes"]["core1"].calls
    r = next(r for r in poller.poll(["counters"]).results if r.device == "core1")
    assert r.skipped and r.error_kind == "CircuitOpen"
    assert seen["fakes"]["core1"].calls == calls  # not contacted
    poller.close()


def test_unknown_getter_is_refused_with_the_valid_names(tmp_path: Path) -> None:
    poller, _ = make_poller(tmp_path, {})
    with pytest.raises(ValueError, match="valid: facts, interfaces, counters"):
        poller.poll(["bogus"])
    poller.close()
