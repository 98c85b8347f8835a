"""RouterOS queue tree statistics over real SSH: a tree-mode shaper on the lab MikroTik, polled by
the engine, stored, and read back per agency by the bandwidth usage side."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from lab.state import ManualClock
from netops.bandwidth.names import tree_name
from netops.bandwidth.plan import DIRECTIONS
from netops.storage.telemetry import QueueSample

pytestmark = [pytest.mark.lab]
PEAK_S = datetime(2026, 1, 15, 2, 30, tzinfo=UTC).timestamp()  # 10:30 WITA, office peak


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Engine]:
    from netops.storage.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'netops.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


def test_tree_mode_agency_queues_are_polled_and_give_usage_the_lab_ledger_rates(
    lab_factory: Any, mini_inventory: Any, lab_secrets: Any, db: Engine, tmp_path: Path
) -> None:
    from collectors.engine import Poller
    from netops.bandwidth.measured import measured_series
    from netops.bandwidth.service import apply_device
    from netops.settings import Settings
    from tests.bandwidth.labkit import context, tree_shaper

    inv = tree_shaper(mini_inventory)
    clock = ManualClock(PEAK_S)
    lab = lab_factory(inv, clock=clock)
    ctx = context(inv, lab, lab_secrets, tmp_path, engine=db)
    try:
        result = apply_device(ctx, "core1", dry_run=False)
        plan = ctx.plan()
    finally:
        ctx.close()
    assert result.result == "applied", result.error
    settings = Settings(data_dir=tmp_path, loopback_only=True, device_timeout_s=5, poll_workers=2)
    poller = Poller(inv, settings, lab_secrets, lab.endpoints, engine=db, retries=1)
    state = lab.runtime("core1").state
    ledger: list[dict[tuple[str, str], float]] = []
    agencies = [a for a in plan.agencies if a.subnets]
    try:
        for _ in range(2):
            res = poller.poll(["queues"])
            assert not res.failed, [r.error for r in res.failed]
            # the clock stands still during a poll: the ledger's rate now is what core1 printed
            ledger.append(
                {
                    (a.code, d): float(sum(int(state.subnet_rate_bps(s, d)) for s in a.subnets))
                    for a in agencies
                    for d in DIRECTIONS
                }
            )
            clock.advance(60)
    finally:
        poller.close()
    assert any(v > 1e6 for v in ledger[0].values()), "no traffic at the office peak"

    with Session(db) as session:
        rows = session.scalars(
            select(QueueSample).where(QueueSample.device == "core1").order_by(QueueSample.id)
        ).all()
        measured = measured_series(
            session, inv, plan, datetime(2000, 1, 1, tzinfo=UTC), datetime.now(UTC)
        )
    by_name: dict[str, list[QueueSample]] = {}
    for r in rows:
        by_name.setdefault(r.queue_name, []).append(r)
    # only tree queues are on the router: every stored name is a tree name, both directions
    assert all(name.endswith(("-down", "-up")) for name in by_name), sorted(by_name)
    for a in agencies:
        for d in DIRECTIONS:
            samples = by_name[tree_name(f"a:{a.code}", d)]
            assert len(samples) == 2, (a.code, d)
            nets = ",".join(str(ipaddress.IPv4Network(s)) for s in a.subnets)
            ceil = round(a.maximum_mbps(d) * 1000) * 1000
            for s in samples:
                assert s.target == nets and s.parent == tree_name(a.parent or "", d)
                if d == "down":
                    assert (s.max_limit_down_bps, s.max_limit_up_bps, s.bytes_up) == (ceil, None, 0)
                else:
                    assert (s.max_limit_up_bps, s.max_limit_down_bps, s.bytes_down) == (
                        ceil,
                        None,
                        0,
                    )
        m = measured[a.code]
        assert m.source == "queue core1", a.code
        for d in DIRECTIONS:
            assert [v for _, v in m.of(d)] == [poll[(a.code, d)] for poll in ledger], (a.code, d)
