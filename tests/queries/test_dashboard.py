"""The dashboard read model over a database filled by the poller's own batch code (SQLite and
PostgreSQL), and its constant query count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from collectors.base import Neighbor
from netops.inventory.loader import load_inventory
from netops.inventory.schema import Inventory
from netops.queries.dashboard import SnapshotCache, dashboard
from netops.storage.bandwidth_tables import DriftReport
from netops.telemetry.store import rollup_and_expire
from tests.helpers import SAMPLE
from tests.queries.conftest import NOW, NOW_S, QueryCounter
from tests.queries.feed import Feed, QueueFeed

RSUD_QUEUE = QueueFeed("nx-a-rsud", "10.10.2.0/24", 10e6, 175e6)
BUSY = {
    ("core1", "ether1"): (150e6, 40e6),  # uplink: 150 of 200 down, 40 of 100 up
    ("core1", "ether2"): (5e6, 900e6),  # to dist1: 90 % out of core1 (hot)
    ("ptp-utara", "ether1"): (3e6, 30e6),  # kec-utara's LAN port: 30 Mbit/s down
}
NEIGHBORS = {
    "core1": [
        Neighbor("ether2", "dist1", "GigabitEthernet1/0/1", "10.255.0.2", "lldp"),
        Neighbor("ether3", "ptp-utara", "wlan1", "10.255.0.4", "mndp"),
    ],
    "dist1": [Neighbor("GigabitEthernet1/0/1", "core1", "ether2", "10.255.0.1", "lldp")],
}


def _fill(feed: Feed) -> None:
    feed.steady(
        NOW_S - 3 * 3600,
        NOW_S - 1200,
        300.0,
        rates=BUSY,
        queues={"core1": [RSUD_QUEUE]},
        neighbors=NEIGHBORS,
        configs={"core1": "/system identity set name=core1\n"},
    )
    rollup_and_expire(feed.engine, NOW_S - 1200)
    feed.steady(
        NOW_S - 1140,
        NOW_S,
        60.0,
        rates=BUSY,
        queues={"core1": [RSUD_QUEUE]},
        neighbors=NEIGHBORS,
        down={"rsud-gw"},
        configs={"core1": "/system identity set name=core1\n/ip dns set servers=10.0.0.53\n"},
    )


def test_uplink_now_and_over_the_day_against_capacity(feed: Feed, session: Session) -> None:
    _fill(feed)
    d = dashboard(session, feed.inventory, NOW)
    (up,) = d.uplinks
    assert (up.name, up.down_mbps, up.up_mbps) == ("isp-a", 200, 100)
    assert up.current_down_bps == pytest.approx(150e6, rel=1e-3)
    assert up.utilization_down == pytest.approx(0.75, rel=1e-3)
    assert up.utilization_up == pytest.approx(0.40, rel=1e-3)
    # 5-minute averages for the first hours, raw samples after the last rollup
    assert up.series[0].at_s >= NOW_S - 86_400
    assert [p.at_s for p in up.series] == sorted(p.at_s for p in up.series)
    assert up.series[-1].at_s == NOW_S
    assert len(up.series) > 20
    assert all(p.down_bps == pytest.approx(150e6, rel=1e-3) for p in up.series)


def test_agency_bars_promised_and_used_from_queues_or_lan_ports(
    feed: Feed, session: Session
) -> None:
    _fill(feed)
    bars = {b.code: b for b in dashboard(session, feed.inventory, NOW).agencies.items}
    rsud = bars["rsud"]
    assert (rsud.guaranteed_down_mbps, rsud.maximum_down_mbps) == (60, 180)
    assert rsud.current_down_mbps == pytest.approx(175, rel=1e-3)
    assert rsud.source == "queue core1"
    utara = bars["kec-utara"]
    assert utara.current_down_mbps == pytest.approx(30, rel=1e-3)
    assert utara.source == "interface ptp-utara ether1"
    assert not utara.boosted and utara.maximum_down_mbps == 60
    # busiest against its maximum first
    assert [b.code for b in dashboard(session, feed.inventory, NOW).agencies.items][0] == "rsud"


def test_alerts_down_devices_and_links(feed: Feed, session: Session) -> None:
    _fill(feed)
    session.add(
        DriftReport(
            device="core1",
            checked_at=NOW,
            in_sync=False,
            missing=1,
            extra=0,
            differing=2,
            report_text="",
        )
    )
    session.commit()
    d = dashboard(session, feed.inventory, NOW)
    kinds = {(a.kind, a.subject) for a in d.alerts}
    assert ("device-unreachable", "rsud-gw") in kinds
    assert ("link-down", "dist1:GigabitEthernet1/0/2--rsud-gw:eth0") in kinds
    assert ("link-hot", "core1:ether2--dist1:GigabitEthernet1/0/1") in kinds
    assert ("agency-at-max", "rsud") in kinds  # 175 of 180 for 19 minutes
    assert ("config-changed", "core1") in kinds
    assert ("plan-drift", "core1") in kinds
    assert ("agency-at-max", "kec-utara") not in kinds
    assert d.devices_down == ("rsud-gw",)
    assert d.links_down == ("dist1:GigabitEthernet1/0/2--rsud-gw:eth0",)
    assert (d.devices_total, d.links_total) == (4, 3)
    assert d.alerts[0].severity == "critical"


def test_weak_points_rank_by_guaranteed_mbps_at_stake(feed: Feed, session: Session) -> None:
    d = dashboard(session, feed.inventory, NOW)
    top = d.weak_points[0]
    # dist1 carries rsud (60) alone; core1 carries everyone but is the uplink device
    assert {w.name for w in d.weak_points} >= {"dist1", "core1:ether2--dist1:GigabitEthernet1/0/1"}
    assert top.guaranteed_down_mbps >= 60
    assert all(
        a.guaranteed_down_mbps >= b.guaranteed_down_mbps
        for a, b in zip(d.weak_points, d.weak_points[1:], strict=False)
    )


def test_an_agency_view_holds_only_that_agency(feed: Feed, session: Session) -> None:
    _fill(feed)
    d = dashboard(session, feed.inventory, NOW, agency="kec-utara")
    assert [b.code for b in d.agencies.items] == ["kec-utara"]
    assert all(a.subject == "kec-utara" for a in d.alerts)
    assert all("kec-utara" in w.cut_off for w in d.weak_points)
    assert d.devices_down == () and d.links_down == ()  # rsud-gw is down: not theirs to see


def test_snapshot_cache_reuses_until_a_new_poll_is_stored(
    feed: Feed, engine: Engine, session: Session
) -> None:
    _fill(feed)
    cache = SnapshotCache(max_age_s=60)
    first = cache.get(session, feed.inventory, NOW)
    with QueryCounter(engine) as hit:
        again = cache.get(session, feed.inventory, NOW + timedelta(seconds=30))
    assert again is first and hit.count == 1
    assert cache.get(session, feed.inventory, NOW + timedelta(seconds=61)) is not first  # too old
    newer = cache.get(session, feed.inventory, NOW)
    feed.cycle(NOW_S + 60, rates=BUSY)  # the poller stored a new cycle
    session.rollback()  # a new request: SQLite's transactional sessions read a fresh snapshot
    fresh = cache.get(session, feed.inventory, NOW + timedelta(seconds=60))
    assert fresh is not newer and fresh.at == NOW + timedelta(seconds=60)
    assert "rsud-gw" not in fresh.devices_down  # it answered this time


def test_empty_database_gives_an_empty_dashboard(mini: Inventory, session: Session) -> None:
    d = dashboard(session, mini, NOW)
    assert d.uplinks[0].current_down_bps is None and d.uplinks[0].series == ()
    assert d.alerts == () and d.devices_down == ()
    assert all(b.current_down_mbps is None for b in d.agencies.items)


def test_dashboard_query_count_is_the_same_for_4_and_72_devices(
    feed: Feed, engine: Engine, session: Session
) -> None:
    _fill(feed)
    with QueryCounter(engine) as small:
        dashboard(session, feed.inventory, NOW)
    sample = load_inventory(SAMPLE).inventory
    big = Feed(sample, engine)
    try:
        rates = {(d.hostname, i.name): (1e6, 2e6) for d in sample.devices for i in d.interfaces}
        big.steady(NOW_S - 900, NOW_S, 60.0, rates=rates)
    finally:
        big.close()
    with QueryCounter(engine) as large:
        d = dashboard(session, sample, NOW)
    assert len(d.uplinks) == 2 and d.agencies.total == 41
    assert small.count == large.count
    assert small.count <= 15


def test_now_defaults_to_the_current_time(mini: Inventory, session: Session) -> None:
    assert dashboard(session, mini).at <= datetime.now(UTC)
