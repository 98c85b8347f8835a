"""Integration over real SSH: unmodified netmiko/napalm against the lab's simulated devices.

A full cycle over the mini inventory stores every kind of data for every device; each lab fault
ends as that device's recorded error (or a dropped sample) while the other devices' data stays
complete.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from collectors.base import InterfaceCounters
from collectors.engine import DeviceResult, Poller
from lab.state import ManualClock
from netops.secrets import SecretStore
from netops.settings import Settings
from netops.storage.telemetry import (
    DevicePoll,
    FactsSnapshot,
    InterfaceSample,
    NeighborObservation,
    QueueSample,
    config_versions,
    device_status,
)
from tests.helpers import send_to

pytestmark = [pytest.mark.lab, pytest.mark.slow]

DEVICES = ("core1", "dist1", "rsud-gw", "ptp-utara")
# A Tuesday, 10:00 WITA (UTC+8): office hours, links busy.
TUESDAY_10_WITA = datetime(2026, 6, 9, 2, 0, tzinfo=UTC).timestamp()
WRAPPING, WRAP_IF, REBOOTING = "ptp-utara", "wlan1", "core1"
STEP_S = 30.0  # lab time between two polls


def make_poller(
    lab: Any, inventory: Any, secrets: SecretStore, sqlite_engine: Engine, tmp: Path, **kw: Any
) -> Poller:
    settings = Settings(data_dir=tmp, loopback_only=True, device_timeout_s=3, poll_workers=8)
    return Poller(
        inventory,
        settings,
        secrets,
        lab.endpoints,
        engine=sqlite_engine,
        retries=1,
        backoff_s=0.1,
        **kw,
    )


def rows(sqlite_engine: Engine, model: Any, device: str) -> list[Any]:
    with sqlite_engine.connect() as conn:
        return list(conn.execute(select(model).where(model.device == device)))


def test_full_cycle_stores_facts_counters_rates_neighbours_configs_and_queues_for_every_device(
    lab_factory: Callable[..., Any],
    mini_inventory: Any,
    lab_secrets: SecretStore,
    sqlite_engine: Engine,
    tmp_path: Path,
) -> None:
    # one hand-moved clock for lab and poller: the second poll is STEP_S of device time later
    clock = ManualClock(TUESDAY_10_WITA)
    mini_lab = lab_factory(mini_inventory, clock=clock)
    secret = lab_secrets.resolve("NETOPS_LAB_PASSWORD").reveal()
    send_to(
        mini_lab,
        "core1",
        secret,
        "/queue simple add name=diskominfo target=10.10.1.0/24 max-limit=60M/150M",
    )
    send_to(
        mini_lab,
        "rsud-gw",
        secret,
        "sudo tc qdisc add dev eth1 root handle 1: htb default 30",
        "sudo tc class add dev eth1 parent 1: classid 1:10 htb rate 60mbit ceil 180mbit",
        "sudo tc filter add dev eth1 parent 1: protocol ip prio 1 u32 "
        "match ip dst 10.10.2.0/24 flowid 1:10",
    )

    poller = make_poller(
        mini_lab, mini_inventory, lab_secrets, sqlite_engine, tmp_path, clock=clock
    )
    try:
        first = poller.poll(["all"])
        clock.advance(STEP_S)
        second = poller.poll(["counters", "queues"])
    finally:
        poller.close()
    assert not first.failed and not second.failed, [r.error for r in first.failed + second.failed]
    with sqlite_engine.connect() as conn:
        session_rows = conn.execute(select(InterfaceSample)).all()
    for name in DEVICES:
        device = mini_inventory.device(name)
        facts = rows(sqlite_engine, FactsSnapshot, name)
        assert len(facts) == 1 and facts[0].uptime_s > 0
        samples = [r for r in session_rows if r.device == name and r.status == "ok"]
        assert {i.name for i in device.interfaces} <= {r.interface for r in samples}
        for r in samples:
            assert 0 <= r.in_bps <= r.speed_mbps * 1e6 and 0 <= r.out_bps <= r.speed_mbps * 1e6
        assert rows(sqlite_engine, NeighborObservation, name), f"{name}: no neighbours"
    from sqlalchemy.orm import Session

    with Session(sqlite_engine) as session:
        for name in DEVICES:
            assert len(config_versions(session, name)) == 1
        assert {s.device for s in device_status(session) if s.reachable} == set(DEVICES)
    core_q = rows(sqlite_engine, QueueSample, "core1")
    assert {q.target for q in core_q} == {"10.10.1.0/24"}
    assert core_q[-1].max_limit_down_bps == 150_000_000
    assert core_q[-1].rate_down_bps is not None
    linux_q = [
        q for q in rows(sqlite_engine, QueueSample, "rsud-gw") if q.queue_name == "eth1/1:10"
    ]
    assert linux_q and linux_q[-1].target == "10.10.2.0/24"
    assert linux_q[-1].max_limit_down_bps == 180_000_000


FAULTS = [
    ("hang", "core1", {"after_commands": 0}, "CommandTimeout"),
    ("garbage", "dist1", {}, "ParseError"),
    ("auth-fail", "ptp-utara", {}, "AuthenticationFailed"),
    ("unreachable", "rsud-gw", {}, "DeviceUnreachable"),
]


@pytest.mark.parametrize(
    ("kind", "victim", "params", "error_kind"), FAULTS, ids=[f[0] for f in FAULTS]
)
def test_fault_ends_as_that_devices_recorded_error_and_the_others_are_complete(
    mini_lab: Any,
    mini_inventory: Any,
    lab_secrets: SecretStore,
    sqlite_engine: Engine,
    tmp_path: Path,
    kind: str,
    victim: str,
    params: dict[str, Any],
    error_kind: str,
) -> None:
    mini_lab.fault(victim, kind, **params)
    poller = make_poller(mini_lab, mini_inventory, lab_secrets, sqlite_engine, tmp_path)
    try:
        report = poller.poll(["facts", "counters"])
    finally:
        poller.close()
    by = {r.device: r for r in report.results}
    assert not by[victim].ok and by[victim].error_kind == error_kind, by[victim].error
    assert victim in (by[victim].error or "")
    for name in DEVICES:
        if name == victim:
            assert rows(sqlite_engine, InterfaceSample, name) == []
            continue
        assert by[name].ok, by[name].error
        assert len(rows(sqlite_engine, InterfaceSample, name)) >= len(
            mini_inventory.device(name).interfaces
        )
    polls = rows(sqlite_engine, DevicePoll, victim)
    assert polls and polls[0].error_kind == error_kind and not polls[0].ok
    if kind == "hang":
        # the others were stored as each finished, before the hung device gave up; the hung
        # device's error came within its one deadline (retries included)
        for name in DEVICES:
            if name != victim:
                assert rows(sqlite_engine, DevicePoll, name)[0].finished_s < polls[0].finished_s
        assert polls[0].duration_s <= poller.deadline_s + 1.0


def test_changed_host_key_is_refused_after_trust_on_first_use(
    mini_lab: Any,
    mini_inventory: Any,
    lab_secrets: SecretStore,
    sqlite_engine: Engine,
    tmp_path: Path,
) -> None:
    poller = make_poller(mini_lab, mini_inventory, lab_secrets, sqlite_engine, tmp_path)
    try:
        assert not poller.poll(["facts"]).failed  # keys recorded
    finally:
        poller.close()
    mini_lab.fault("dist1", "host-key")
    poller = make_poller(mini_lab, mini_inventory, lab_secrets, sqlite_engine, tmp_path)
    try:
        report = poller.poll(["facts"])
    finally:
        poller.close()
    by = {r.device: r for r in report.results}
    assert by["dist1"].error_kind == "HostKeyMismatch" and "host key changed" in (
        by["dist1"].error or ""
    )
    assert all(by[n].ok for n in DEVICES if n != "dist1")


def _device_counters(result: DeviceResult, interface: str) -> InterfaceCounters:
    """The counters of ``interface`` as the device printed them in one poll."""
    return next(c for c in result.data["counters"] if c.name == interface)


def test_reboot_and_counter_wrap_never_store_a_rate_above_interface_speed(
    lab_factory: Callable[..., Any],
    mini_inventory: Any,
    lab_secrets: SecretStore,
    sqlite_engine: Engine,
    tmp_path: Path,
) -> None:
    # Lab and poller share one hand-moved clock: the device's uptime and counters and the
    # poll times (hence the rates' dt) all move by exactly what the test advances, so the
    # wrap and the reboot fall between two given polls by construction, not by sleeping.
    clock = ManualClock(TUESDAY_10_WITA)
    lab = lab_factory(mini_inventory, devices=[WRAPPING, REBOOTING], clock=clock)
    poller = make_poller(
        lab,
        mini_inventory,
        lab_secrets,
        sqlite_engine,
        tmp_path,
        clock=clock,
        devices=[WRAPPING, REBOOTING],
    )
    wlan = lab.state(WRAPPING).interface(WRAP_IF)
    polls: list[dict[str, DeviceResult]] = []
    ledger_octets: list[tuple[float, float]] = []  # wlan1's never-wrapped totals at each poll

    def poll() -> dict[str, DeviceResult]:
        report = poller.poll(["facts", "counters"])
        assert not report.failed, [r.error for r in report.failed]
        # the clock stands still during a poll: the lab's totals now are what the device printed
        ledger_octets.append((wlan.raw["in_octets"], wlan.raw["out_octets"]))
        polls.append({r.device: r for r in report.results})
        return polls[-1]

    try:
        # the 32-bit counters sit 5 s of traffic below 2**32; 30 s later they have wrapped once
        # (300 Mbit/s for 30 s is far less than 2**32 bytes)
        lab.fault(WRAPPING, "counter-wrap", interface=WRAP_IF, seconds_to_wrap=5.0)
        before_wrap = poll()
        clock.advance(STEP_S)
        after_wrap = poll()
        lab.fault(REBOOTING, "reboot")
        clock.advance(STEP_S)
        after_reboot = poll()
        clock.advance(STEP_S)
        poll()
    finally:
        poller.close()

    # device side: the raw counter went down across the wrap, the uptime across the reboot
    c0 = _device_counters(before_wrap[WRAPPING], WRAP_IF)
    c1 = _device_counters(after_wrap[WRAPPING], WRAP_IF)
    assert 2**31 < c0.octets_in < 2**32 and 2**31 < c0.octets_out < 2**32
    assert c1.octets_in < c0.octets_in and c1.octets_out < c0.octets_out
    up_before = after_wrap[REBOOTING].data["facts"].uptime_s
    up_after = after_reboot[REBOOTING].data["facts"].uptime_s
    assert up_after < up_before and up_after <= STEP_S

    # the wrapped interval is stored with the lab's true rate: its never-wrapped totals' delta
    (in0, out0), (in1, out1) = ledger_octets[0], ledger_octets[1]
    true_in_bps = (int(in1) - int(in0)) * 8 / STEP_S
    true_out_bps = (int(out1) - int(out0)) * 8 / STEP_S
    assert true_in_bps > 1e6 and true_out_bps > 1e6  # office hours: the link carries traffic
    ptp = {
        r.at_s: r for r in rows(sqlite_engine, InterfaceSample, WRAPPING) if r.interface == WRAP_IF
    }
    wrapped = ptp[after_wrap[WRAPPING].started_s]
    assert wrapped.status == "ok"
    assert wrapped.in_bps == pytest.approx(true_in_bps, rel=1e-9)
    assert wrapped.out_bps == pytest.approx(true_out_bps, rel=1e-9)

    # the reboot interval is dropped for every core1 interface; the next one is stored again
    core = rows(sqlite_engine, InterfaceSample, REBOOTING)
    at_reboot = [r for r in core if r.at_s == after_reboot[REBOOTING].started_s]
    assert len(at_reboot) == len(mini_inventory.device(REBOOTING).interfaces)
    assert {r.status for r in at_reboot} == {"reboot"}
    assert all(r.in_bps is None and r.out_bps is None for r in at_reboot)
    resumed = [r for r in core if r.at_s == polls[-1][REBOOTING].started_s]
    assert resumed and {r.status for r in resumed} == {"ok"}

    with sqlite_engine.connect() as conn:
        stored = list(
            conn.execute(select(InterfaceSample).where(InterfaceSample.in_bps.is_not(None)))
        )
    assert stored
    for r in stored:
        assert r.in_bps <= r.speed_mbps * 1e6 and r.out_bps <= r.speed_mbps * 1e6
