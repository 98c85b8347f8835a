"""Cycle writes and the read functions, on SQLite and PostgreSQL (the ``engine`` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from collectors.base import InterfaceCounters, QueueStats
from netops.storage.telemetry import (
    ConfigBackup,
    InterfaceRollup,
    InterfaceSample,
    config_diff,
    config_versions,
    device_status,
    latest_interface_rates,
    latest_neighbors,
    queue_rate_series,
    rate_series,
)
from netops.telemetry import samples
from netops.telemetry.store import Batch, load_counter_state, rollup_and_expire, write_batch

T0 = 1_780_000_000.0  # 2026-05-28


def counters(octets: int, out: int | None) -> list[InterfaceCounters]:
    return [InterfaceCounters("ether1", octets, octets // 2 if out is None else out, 10, 10, 0, 0)]


def cycle(engine: Engine, at: float, octets: int, state: dict, out: int | None = None) -> None:
    rows, new = samples.interface_rows(
        "core1", at, counters(octets, out), {"ether1": 100.0}, None, state
    )
    state.update(new)
    write_batch(engine, Batch(samples=rows, counter_state=samples.state_rows(new)))


def test_rates_are_stored_and_read_back_as_series_and_latest(
    engine: Engine, session: Session
) -> None:
    state: dict = {}
    for i in range(4):
        cycle(engine, T0 + 60 * i, i * 75_000_000, state)  # 75 MB/min = 10 Mbit/s in
    series = rate_series(
        session,
        "core1",
        "ether1",
        datetime.fromtimestamp(T0, UTC),
        datetime.fromtimestamp(T0 + 3600, UTC),
    )
    assert [round(p.in_bps) for p in series] == [10_000_000] * 3
    latest = latest_interface_rates(session)[("core1", "ether1")]
    assert latest.in_bps == pytest.approx(10e6) and latest.out_bps == pytest.approx(5e6)
    assert latest.at == datetime.fromtimestamp(T0 + 180, UTC)


def test_counter_state_survives_a_restart_so_the_next_rate_is_not_lost_or_a_spike(
    engine: Engine,
) -> None:
    state: dict = {}
    cycle(engine, T0, 2**64 - 1000, state, out=1000)  # near the top of a 64-bit counter
    reloaded = load_counter_state(engine)  # a new poller process
    assert reloaded[("core1", "ether1")].octets_in == 2**64 - 1000
    cycle(engine, T0 + 60, 74_999_000, reloaded, out=1000 + 37_500_000)  # wrapped
    with engine.connect() as conn:
        last = conn.execute(
            select(InterfaceSample.in_bps, InterfaceSample.status).order_by(
                InterfaceSample.id.desc()
            )
        ).first()
    assert last is not None and last.status == "ok" and last.in_bps == pytest.approx(10e6)


def test_config_is_stored_on_change_only_masked_with_a_diff(
    engine: Engine, session: Session
) -> None:
    v1 = "# jan/01/2026 by RouterOS 7\n/ppp secret\nadd name=a password=hunter2 service=pptp\n"
    v1_later = v1.replace("jan/01", "jan/02")
    v2 = v1.replace("service=pptp", "service=l2tp")
    for i, text in enumerate((v1, v1_later, v2)):
        write_batch(engine, Batch(configs=[("core1", text, T0 + i)]))
    versions = config_versions(session, "core1")
    assert [v.version for v in versions] == [1, 2]
    assert all("hunter2" not in v.config for v in versions)
    assert "+add name=a password=<masked> service=l2tp" in versions[1].diff
    assert config_diff(session, "core1", 1, 2) == versions[1].diff
    with pytest.raises(KeyError, match="core1 has no configuration version 7"):
        config_diff(session, "core1", 1, 7)
    count = session.execute(select(func.count()).select_from(ConfigBackup)).scalar()
    assert count == 2


def test_status_neighbors_and_queues_read_back(engine: Engine, session: Session) -> None:
    q = QueueStats("diskominfo", "10.10.1.0/24", 1, 60_000_000, 1, 150_000_000, 0, 0)
    qrows, qstate = samples.queue_rows("core1", T0, [q], None, {})
    q2 = QueueStats("diskominfo", "10.10.1.0/24", 1, 60_000_000, 1, 150_000_000, 75_000_000, 0)
    qrows2, _ = samples.queue_rows("core1", T0 + 60, [q2], None, qstate)
    write_batch(
        engine,
        Batch(
            states=[
                {
                    "device": "core1",
                    "reachable": False,
                    "last_poll_s": T0,
                    "last_ok_s": None,
                    "last_error_s": T0,
                    "last_error_kind": "DeviceUnreachable",
                    "last_error": "core1: refused",
                    "last_duration_s": 0.1,
                    "consecutive_failures": 2,
                }
            ],
            neighbors=[
                {
                    "device": "core1",
                    "seen_s": T0,
                    "local_interface": "ether2",
                    "remote_system_name": "dist1",
                    "remote_port": "Gi1/0/1",
                    "remote_address": "",
                    "protocol": "mndp",
                }
            ],
            queues=qrows + qrows2,
        ),
    )
    st = device_status(session)
    assert st[0].device == "core1" and not st[0].reachable and st[0].last_ok_at is None
    nb = latest_neighbors(session)
    assert (nb[0].device, nb[0].remote_system_name) == ("core1", "dist1")
    series = queue_rate_series(
        session,
        "core1",
        "diskominfo",
        datetime.fromtimestamp(T0, UTC),
        datetime.fromtimestamp(T0 + 120, UTC),
    )
    assert series[1].rate_up_bps == pytest.approx(10e6) and series[1].max_limit_down_bps == 150e6


def test_retention_expires_raw_samples_and_older_rates_come_from_rollups(
    engine: Engine, session: Session
) -> None:
    state: dict = {}
    now = T0 + 3 * 86_400
    base = now - 3 * 86_400  # samples from three days ago to now
    octets = 0
    for i in range(0, 3 * 24 * 60, 30):  # every 30 min
        cycle(engine, base + i * 60, octets, state)
        octets += 30 * 75_000_000
    counts = rollup_and_expire(engine, now)
    assert counts["rollups"] > 0 and counts["samples_deleted"] > 0
    with engine.connect() as conn:
        oldest = conn.execute(select(func.min(InterfaceSample.at_s))).scalar()
    assert oldest >= now - 2 * 86_400
    old = rate_series(
        session,
        "core1",
        "ether1",
        datetime.fromtimestamp(base, UTC),
        datetime.fromtimestamp(now, UTC),
    )
    assert old[0].at < datetime.fromtimestamp(now - 2 * 86_400, UTC)  # from rollups
    assert all(p.in_bps == pytest.approx(10e6) for p in old)


def test_hourly_rollup_keeps_min_avg_max_and_p95_of_its_samples(engine: Engine) -> None:
    # One sample every 30 min; the rate alternates 10 and 20 Mbit/s in (5 and 10 out, since
    # ``counters`` sends half the octets out).  T0 is 1,600 s past an hour, so every complete
    # hour holds one 20 Mbit/s sample (at :26:40) and one 10 Mbit/s sample (at :56:40):
    # min 10, avg 15, max 20 and p95 (nearest rank 2 of 2) 20.
    state: dict = {}
    octets = 0
    for k in range(3 * 48 + 1):
        cycle(engine, T0 + k * 1800, octets, state)
        octets += (75_000_000 if k % 2 == 0 else 150_000_000) * 30
    rollup_and_expire(engine, T0 + 3 * 86_400)
    with engine.connect() as conn:
        rows = conn.execute(
            select(InterfaceRollup).where(
                InterfaceRollup.width_s == 3600, InterfaceRollup.count == 2
            )
        ).all()
    assert len(rows) >= 70  # three days of complete hours
    got = {
        (r.in_min_bps, r.in_avg_bps, r.in_max_bps, r.in_p95_bps, r.out_avg_bps, r.out_p95_bps)
        for r in rows
    }
    assert got == {(10e6, 15e6, 20e6, 20e6, 7.5e6, 10e6)}
