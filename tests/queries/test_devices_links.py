"""Devices and links read models: inventory with facts and status, interfaces with rates and
errors, configuration history (masked) with side-by-side diffs, link utilization and history."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from netops.inventory.loader import load_inventory
from netops.queries.devices import (
    compare_configs,
    config_text,
    device_detail,
    device_list,
    side_by_side,
)
from netops.queries.links import link_detail, link_list
from netops.telemetry.store import rollup_and_expire
from tests.helpers import SAMPLE
from tests.queries.conftest import NOW, NOW_S, QueryCounter
from tests.queries.feed import Feed

CONFIG_1 = "/system identity set name=core1\n/user add name=ops password=Sup3rSecret!\n"
CONFIG_2 = (
    "/system identity set name=core1\n/user add name=ops password=Other$ecret\n"
    "/ip dns set servers=10.0.0.53\n"
)
RATES = {("core1", "ether2"): (4e6, 400e6), ("dist1", "GigabitEthernet1/0/2"): (1e6, 2e6)}


def _fill(feed: Feed) -> None:
    feed.steady(NOW_S - 2400, NOW_S - 1200, 300.0, rates=RATES, configs={"core1": CONFIG_1})
    rollup_and_expire(feed.engine, NOW_S - 900)
    feed.steady(
        NOW_S - 900,
        NOW_S - 60,
        60.0,
        rates=RATES,
        configs={"core1": CONFIG_2},
        errors={("core1", "ether2"): 7},
    )
    feed.cycle(NOW_S, rates=RATES, down={"ptp-utara"})  # the last poll of ptp-utara failed


def test_device_list_has_facts_status_and_pages(feed: Feed, session: Session) -> None:
    _fill(feed)
    page = device_list(session, feed.inventory, page=1, per_page=3)
    assert [r.hostname for r in page.items] == ["core1", "dist1", "ptp-utara"]
    assert (page.total, page.pages, page.has_next) == (4, 2, True)
    core = page.items[0]
    assert core.facts is not None and core.facts.serial_number == "SN-core1"
    assert core.state == "up"
    assert page.items[2].state == "down"
    assert page.items[2].status is not None
    assert "connection refused" in (page.items[2].status.last_error or "")
    assert [r.hostname for r in device_list(session, feed.inventory, state="down").items] == [
        "ptp-utara"
    ]
    assert [r.hostname for r in device_list(session, feed.inventory, q="cisco").items] == ["dist1"]


def test_device_detail_interfaces_rates_errors_polls_and_configs(
    feed: Feed, session: Session
) -> None:
    _fill(feed)
    d = device_detail(session, feed.inventory, "core1", NOW)
    ether2 = next(i for i in d.interfaces if i.name == "ether2")
    assert ether2.out_bps == pytest.approx(400e6, rel=1e-3)
    assert ether2.utilization == pytest.approx(0.4, rel=1e-3)
    assert ether2.errors_in == 7 * 14  # 7 more at each of the 15 polls up to NOW - 60 s
    assert next(i for i in d.interfaces if i.name == "ether4").agency == "diskominfo"
    assert d.polls[0].ok and len(d.polls) <= 50
    assert [c.version for c in d.configs] == [2, 1]
    with pytest.raises(KeyError):
        device_detail(session, feed.inventory, "nope", NOW)


def test_config_history_stays_masked_and_diffs_side_by_side(feed: Feed, session: Session) -> None:
    _fill(feed)
    assert "Sup3rSecret" not in config_text(session, "core1", 1)
    cmp = compare_configs(session, "core1", 1, 2)
    text = repr(cmp)
    assert "Sup3rSecret" not in text and "Other$ecret" not in text
    added = [r for r in cmp.rows if r.op == "insert"]
    assert [r.right for r in added] == ["/ip dns set servers=10.0.0.53"]
    assert added[0].right_no == 3 and added[0].left_no is None
    assert "+/ip dns set servers=10.0.0.53" in cmp.unified
    with pytest.raises(KeyError, match="version 9"):
        compare_configs(session, "core1", 1, 9)


def test_side_by_side_pairs_replacements_and_marks_gaps() -> None:
    old = "\n".join(f"line {i}" for i in range(1, 21))
    new = old.replace("line 10", "line ten").replace("line 20", "line 20\nline 21")
    rows = side_by_side(old, new, context=1)
    ops = [r.op for r in rows]
    assert ops == ["skip", "equal", "replace", "equal", "skip", "equal", "insert"]
    rep = rows[2]
    assert (rep.left_no, rep.left, rep.right_no, rep.right) == (10, "line 10", 10, "line ten")
    assert rows[-1].right == "line 21" and rows[-1].left_no is None
    full = side_by_side(old, new, context=None)
    assert len([r for r in full if r.op == "equal"]) == 19


def test_link_list_utilization_and_status(feed: Feed, session: Session) -> None:
    _fill(feed)
    rows = {r.id: r for r in link_list(session, feed.inventory, NOW).items}
    core = rows["core1:ether2--dist1:GigabitEthernet1/0/1"]
    assert core.a_to_b_bps == pytest.approx(400e6, rel=1e-3)
    assert core.utilization == pytest.approx(0.4, rel=1e-3)
    assert core.status == "up"
    assert rows["core1:ether3--ptp-utara:wlan1"].status == "down"


def test_link_detail_history_from_rollups_then_raw_and_status_changes(
    feed: Feed, session: Session
) -> None:
    _fill(feed)
    d = link_detail(session, feed.inventory, "core1:ether3--ptp-utara:wlan1", NOW, hours=1)
    assert [(c.device, c.reachable) for c in d.status_history][-1] == ("ptp-utara", False)
    core = link_detail(session, feed.inventory, "core1:ether2--dist1:GigabitEthernet1/0/1", NOW)
    ats = [p.at for p in core.series]
    assert ats == sorted(ats) and len(ats) >= 15
    assert all(p.a_to_b_bps == pytest.approx(400e6, rel=1e-3) for p in core.series)
    with pytest.raises(KeyError):
        link_detail(session, feed.inventory, "a:b--c:d", NOW)


def test_list_pages_cost_the_same_queries_for_4_and_72_devices(
    feed: Feed, engine: Engine, session: Session
) -> None:
    _fill(feed)
    with QueryCounter(engine) as small_dev:
        device_list(session, feed.inventory)
    with QueryCounter(engine) as small_link:
        link_list(session, feed.inventory, NOW)
    sample = load_inventory(SAMPLE).inventory
    big = Feed(sample, engine)
    try:
        rates = {(d.hostname, i.name): (1e6, 2e6) for d in sample.devices for i in d.interfaces}
        big.steady(NOW_S - 600, NOW_S, 60.0, rates=rates)
    finally:
        big.close()
    with QueryCounter(engine) as large_dev:
        assert device_list(session, sample).total == 72
    with QueryCounter(engine) as large_link:
        assert link_list(session, sample, NOW).total == len(sample.links)
    assert small_dev.count == large_dev.count == 2
    assert small_link.count == large_link.count == 4
