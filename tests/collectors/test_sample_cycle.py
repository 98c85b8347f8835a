"""Issue 4's full cycle over the sample inventory (``inventory.yaml``, 72 devices, all three
platforms) against the lab, over real SSH with unmodified netmiko/napalm.

Every credential ref gets its own random password; the bandwidth plan is pushed to the shaper
(core-dc) first; two polls five minutes of lab time apart (on the lab's ManualClock) give rates.
Everything is then checked from the database: facts, interfaces, counters and rates (never above
the interface speed), neighbours matching the inventory links from both ends, one configuration
backup each, and the shaper's agency queues.
"""

from __future__ import annotations

import secrets as _secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from collectors.engine import Poller
from lab.ios.names import resolve_interface
from lab.state import ManualClock
from netops.bandwidth.mikrotik import queue_name
from netops.bandwidth.service import BandwidthContext, apply_device
from netops.inventory.loader import load_inventory
from netops.inventory.schema import Inventory, Platform
from netops.secrets import SecretStore
from netops.settings import Settings
from netops.storage.telemetry import (
    FactsSnapshot,
    InterfaceSample,
    NeighborObservation,
    QueueSample,
    config_versions,
)
from tests.helpers import SAMPLE

pytestmark = [pytest.mark.lab, pytest.mark.slow]

SHAPER = "core-dc"
# A Tuesday, 10:00 WITA (UTC+8): the office-hours peak, when core-dc's two uplink ports are
# busiest (each must stay within its speed, or its sample would be dropped as a reset).  A fixed
# lab time makes the test deterministic whatever the wall clock says.
TUESDAY_10_WITA = datetime(2026, 6, 9, 2, 0, tzinfo=UTC).timestamp()
POLL_INTERVAL_S = 300.0  # lab time between the two polls, a deployment's usual interval


@pytest.fixture
def sample() -> Inventory:
    return load_inventory(SAMPLE).inventory


@pytest.fixture
def sample_secrets(sample: Inventory, monkeypatch: pytest.MonkeyPatch) -> SecretStore:
    """A distinct random password for every ref the inventory names (and nothing else)."""
    monkeypatch.setenv("NETOPS_LOOPBACK_ONLY", "1")
    refs = {c.password_ref for c in sample.credentials}
    refs |= {c.enable_ref for c in sample.credentials if c.enable_ref}
    return SecretStore({ref: "lab-" + _secrets.token_urlsafe(12) for ref in refs}, {})


def _canonical(device: str, interface: str, inventory: Inventory) -> str:
    """The inventory's spelling of an interface name a device reported (IOS abbreviates)."""
    names = [i.name for i in inventory.device(device).interfaces]
    return resolve_interface(interface, names) or interface


def test_full_cycle_over_the_sample_inventory_stores_everything_for_every_device(
    sample: Inventory,
    sample_secrets: SecretStore,
    lab_factory: Callable[..., Any],
    sqlite_engine: Engine,
    tmp_path: Path,
) -> None:
    # Lab and poller share one hand-moved clock, so the second poll is exactly
    # POLL_INTERVAL_S of device time after the first (rates exist without sleeping).
    clock = ManualClock(TUESDAY_10_WITA)
    lab = lab_factory(sample, secrets=sample_secrets, clock=clock)
    assert set(lab.endpoints) == {d.hostname for d in sample.devices}
    assert all(ep.host.startswith("127.") for ep in lab.endpoints.values())
    settings = Settings(
        data_dir=tmp_path,
        loopback_only=True,
        device_timeout_s=15,
        poll_workers=24,
        known_hosts=tmp_path / "known_hosts",
    )
    ctx = BandwidthContext(
        sample, settings, sample_secrets, engine=sqlite_engine, endpoints=lab.endpoints
    )
    pushed = apply_device(ctx, SHAPER, dry_run=False, actor="test")
    assert pushed.ok, pushed

    poller = Poller(
        sample,
        settings,
        sample_secrets,
        lab.endpoints,
        engine=sqlite_engine,
        retries=1,
        clock=clock,
    )
    try:
        first = poller.poll(["all"])
        clock.advance(POLL_INTERVAL_S)
        second = poller.poll(["counters", "queues"])
    finally:
        poller.close()
    failed = [(r.device, r.error) for r in first.failed + second.failed]
    assert not failed, failed

    devices = {d.hostname: d for d in sample.devices}
    assert len(devices) == 72 and {d.platform for d in devices.values()} == set(Platform)
    with sqlite_engine.connect() as conn:
        facts = {r.device: r for r in conn.execute(select(FactsSnapshot))}
        samples = list(conn.execute(select(InterfaceSample)))
        neighbours = list(conn.execute(select(NeighborObservation)))
        queues = list(conn.execute(select(QueueSample).where(QueueSample.device == SHAPER)))

    # facts
    assert set(facts) == set(devices)
    assert all(f.uptime_s > 0 for f in facts.values())

    # interfaces, counters and rates: every inventory interface, twice; rates on the second poll
    assert sorted({s.at_s for s in samples}) == [first.started_s, second.started_s]
    last = {(s.device, s.interface): s for s in samples if s.at_s == second.started_s}
    for name, device in devices.items():
        for iface in device.interfaces:
            s = last.get((name, iface.name))
            assert s is not None, f"{name} {iface.name}: no counter sample"
            assert s.status == "ok" and s.in_bps is not None and s.out_bps is not None, (
                name,
                iface.name,
                s.status,
            )
    over = [
        (s.device, s.interface, s.in_bps, s.out_bps, s.speed_mbps)
        for s in samples
        if max(s.in_bps or 0, s.out_bps or 0) > s.speed_mbps * 1e6
    ]
    assert not over, over

    # neighbours: each inventory link seen from both ends
    seen = {
        (n.device, _canonical(n.device, n.local_interface, sample), n.remote_system_name)
        for n in neighbours
    }
    missing = []
    assert len(sample.links) > 60
    for link in sample.links:
        for here, there in ((link.a, link.b), (link.b, link.a)):
            if (here.device, here.interface, there.device) not in seen:
                missing.append(f"{here.device} {here.interface} -> {there.device}")
    assert not missing, missing

    # configuration backups
    with Session(sqlite_engine) as session:
        no_backup = [n for n in devices if len(config_versions(session, n)) != 1]
    assert not no_backup, no_backup

    # the shaper's queues: one per agency of the plan, with limits and, after two polls, rates
    plan = ctx.plan()
    expected = {queue_name(a.key): a for a in plan.agencies if a.subnets}
    latest = {q.queue_name: q for q in queues}
    assert len(expected) > 30 and set(expected) <= set(latest)
    for name, agency in expected.items():
        q = latest[name]
        assert q.target == ",".join(str(s) for s in agency.subnets)
        assert q.max_limit_down_bps == round(agency.maximum_mbps("down") * 1000) * 1000
        assert q.rate_down_bps is not None and q.rate_up_bps is not None, name
        assert 0 <= q.rate_down_bps <= q.max_limit_down_bps
