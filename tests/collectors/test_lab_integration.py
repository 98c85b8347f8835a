"""Integration over real SSH: unmodified netmiko/napalm against the lab's simulated devices.

A full cycle over the mini inventory stores every kind of data for every device; each lab fault
ends as that device's recorded error (or a dropped sample) while the other devices' data stays
complete.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from collectors.engine import Poller
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


def make_poller(
    lab: Any, inventory: Any, secrets: SecretStore, sqlite_engine: Engine, tmp: Path
) -> Poller:
    settings = Settings(data_dir=tmp, loopback_only=True, device_timeout_s=3, poll_workers=8)
    return Poller(
        inventory, settings, secrets, lab.endpoints, engine=sqlite_engine, retries=1, backoff_s=0.1
    )


def rows(sqlite_engine: Engine, model: Any, device: str) -> list[Any]:
    with sqlite_engine.connect() as conn:
        return list(conn.execute(select(model).where(model.device == device)))


def test_full_cycle_stores_facts_counters_rates_neighbours_configs_and_queues_for_every_device(
    mini_lab: Any,
    mini_inventory: Any,
    lab_secrets: SecretStore,
    sqlite_engine: Engine,
    tmp_path: Path,
) -> None:
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

    poller = make_poller(mini_lab, mini_inventory, lab_secrets, sqlite_engine, tmp_path)
    try:
        first = poller.poll(["all"])
        time.sleep(1.5)
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
    assert by["dist1"].error_kind == "HostKeyMismatch" and "host key changed" in by["dist1"].error
    assert all(by[n].ok for n in DEVICES if n != "dist1")


def test_reboot_and_counter_wrap_never_store_a_rate_above_interface_speed(
    mini_lab: Any,
    mini_inventory: Any,
    lab_secrets: SecretStore,
    sqlite_engine: Engine,
    tmp_path: Path,
) -> None:
    poller = make_poller(mini_lab, mini_inventory, lab_secrets, sqlite_engine, tmp_path)
    try:
        poller.poll(["facts", "counters"])
        mini_lab.fault("ptp-utara", "counter-wrap", interface="wlan1", seconds_to_wrap=0.5)
        time.sleep(1.0)
        poller.poll(["facts", "counters"])
        mini_lab.fault("core1", "reboot")
        time.sleep(1.0)
        report = poller.poll(["facts", "counters"])
        time.sleep(1.0)
        after = poller.poll(["facts", "counters"])
    finally:
        poller.close()
    assert not report.failed and not after.failed, [r.error for r in report.failed]
    core = rows(sqlite_engine, InterfaceSample, "core1")
    at_reboot = [r for r in core if r.at_s == max(x.at_s for x in core if x.status != "ok")]
    assert {r.status for r in at_reboot} == {"reboot"}
    assert all(r.in_bps is None for r in at_reboot)
    assert [r for r in core if r.at_s == core[-1].at_s][0].status == "ok"  # resumes after
    with sqlite_engine.connect() as conn:
        stored = conn.execute(select(InterfaceSample).where(InterfaceSample.in_bps.is_not(None)))
        for r in stored:
            assert r.in_bps <= r.speed_mbps * 1e6 and r.out_bps <= r.speed_mbps * 1e6
