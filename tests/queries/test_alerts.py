"""Alert rules on hand-made series and status records (pure; no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from netops.inventory.schema import Inventory
from netops.queries.agency_rates import AgencyRate, RateWindow
from netops.queries.alerts import (
    DriftRow,
    agencies_at_max,
    changed_configs,
    down_links,
    drifted_shapers,
    hot_links,
    sort_alerts,
    sustained,
    unreachable_devices,
)
from netops.queries.windows import window_stats
from netops.storage.telemetry import DeviceStatusRecord, NeighborRecord
from tests.queries.conftest import NOW, NOW_S

CORE_DIST = "core1:ether2--dist1:GigabitEthernet1/0/1"


def points(
    values: list[float], step_s: float = 60.0, end_s: float = NOW_S
) -> list[tuple[float, float, float]]:
    """(at_s, a, a / 2) ending at ``end_s``, one per ``step_s``."""
    n = len(values)
    return [(end_s - (n - 1 - k) * step_s, v, v / 2) for k, v in enumerate(values)]


def test_sustained_needs_every_sample_above_and_the_whole_window_covered() -> None:
    full = window_stats(points([900e6] * 16))
    assert full is not None
    assert sustained(full.min_a_bps, full.first_s, full.last_s, 800e6, NOW_S)
    dip = window_stats(points([900e6] * 8 + [700e6] + [900e6] * 7))
    assert dip is not None and not sustained(dip.min_a_bps, dip.first_s, dip.last_s, 800e6, NOW_S)
    short = window_stats(points([900e6] * 10))  # only the last 9 minutes
    assert short is not None
    assert not sustained(short.min_a_bps, short.first_s, short.last_s, 800e6, NOW_S)
    stale = window_stats(points([900e6] * 16, end_s=NOW_S - 300))  # poller stopped 5 min ago
    assert stale is not None
    assert not sustained(stale.min_a_bps, stale.first_s, stale.last_s, 800e6, NOW_S)


def test_zero_threshold_never_fires() -> None:
    assert not sustained(0.0, NOW_S - 900, NOW_S, 0.0, NOW_S)


def test_link_hot_after_fifteen_minutes_above_80_percent_of_capacity(mini: Inventory) -> None:
    # core1 ether2 -> dist1 is 1000 Mbit/s: out of core1 at 850 Mbit/s for 16 minutes
    hot = {("core1", "ether2"): window_stats([(t, 10e6, r) for t, r, _ in points([850e6] * 16)])}
    alerts = hot_links(mini, hot, NOW_S)  # type: ignore[arg-type]
    assert [(a.kind, a.subject) for a in alerts] == [("link-hot", CORE_DIST)]
    assert round(alerts[0].values["utilization"], 2) == 0.85
    cool = {("core1", "ether2"): window_stats(points([850e6] * 8 + [500e6] * 8))}
    assert hot_links(mini, cool, NOW_S) == []  # type: ignore[arg-type]


def test_link_hot_reads_the_b_end_when_a_has_no_samples(mini: Inventory) -> None:
    stats = {("dist1", "GigabitEthernet1/0/1"): window_stats(points([990e6] * 16))}
    assert [a.subject for a in hot_links(mini, stats, NOW_S)] == [CORE_DIST]  # type: ignore[arg-type]


def _rate(current: float, low: float, minutes: int = 16) -> RateWindow:
    return RateWindow(current, low, current, NOW_S - (minutes - 1) * 60, NOW_S, minutes)


def test_agency_at_its_maximum_for_fifteen_minutes(mini: Inventory) -> None:
    # rsud maximum down 180 Mbit/s; 95 % is 171
    rates = {"rsud": AgencyRate("rsud", "queue core1", _rate(179e6, 172e6), None)}
    alerts = agencies_at_max(mini, rates, NOW)
    assert [(a.kind, a.subject) for a in alerts] == [("agency-at-max", "rsud")]
    below = {"rsud": AgencyRate("rsud", "queue core1", _rate(179e6, 150e6), None)}
    assert agencies_at_max(mini, below, NOW) == []


def test_an_active_boost_raises_the_maximum_the_alert_compares_with(mini: Inventory) -> None:
    # kec-utara: maximum down 60, boosted to 90 during 1-8 June 2026 (WITA)
    rates = {"kec-utara": AgencyRate("kec-utara", "x", _rate(59e6, 58e6), None)}
    in_boost = datetime(2026, 6, 3, 2, 0, tzinfo=UTC)
    shifted = {
        "kec-utara": AgencyRate(
            "kec-utara",
            "x",
            RateWindow(59e6, 58e6, 59e6, in_boost.timestamp() - 900, in_boost.timestamp(), 16),
            None,
        )
    }
    assert agencies_at_max(mini, rates, NOW) != []  # after the boost: 58 >= 0.95 * 60
    assert agencies_at_max(mini, shifted, in_boost) == []  # during: the maximum is 90


def _status(device: str, reachable: bool) -> DeviceStatusRecord:
    t = NOW - timedelta(minutes=1)
    return DeviceStatusRecord(
        device,
        reachable,
        t,
        None if not reachable else t,
        t if not reachable else None,
        None if reachable else "DeviceUnreachable",
        None if reachable else "connection refused",
        0.3,
        0 if reachable else 3,
    )


def test_unreachable_device_and_the_links_it_takes_down(mini: Inventory) -> None:
    status = {d.hostname: _status(d.hostname, d.hostname != "dist1") for d in mini.devices}
    assert [a.subject for a in unreachable_devices(status.values())] == ["dist1"]
    down = down_links(mini, status, [])
    assert sorted(a.subject for a in down) == [
        CORE_DIST,
        "dist1:GigabitEthernet1/0/2--rsud-gw:eth0",
    ]


def test_a_link_lldp_no_longer_reports_is_down(mini: Inventory) -> None:
    status = {d.hostname: _status(d.hostname, True) for d in mini.devices}
    seen = NOW - timedelta(minutes=5)
    neighbors = [
        NeighborRecord("core1", "ether2", "dist1", "GigabitEthernet1/0/1", seen),
        NeighborRecord("dist1", "GigabitEthernet1/0/1", "core1", "ether2", seen),
        NeighborRecord("dist1", "GigabitEthernet1/0/2", "rsud-gw", "eth0", seen),
        # ptp-utara's wlan1 is polled but reports nothing, core1 ether3 neither
        NeighborRecord("ptp-utara", "ether1", "other", "x", seen),
    ]
    assert [a.subject for a in down_links(mini, status, neighbors)] == [
        "core1:ether3--ptp-utara:wlan1"
    ]


def test_config_change_means_a_new_version_within_a_day() -> None:
    alerts = changed_configs(
        [("core1", 1, NOW_S - 60), ("dist1", 3, NOW_S - 3600), ("rsud-gw", 2, NOW_S - 2 * 86_400)],
        NOW_S,
    )
    assert [(a.subject, a.values["version"]) for a in alerts] == [("dist1", 3.0)]


def test_plan_drift_and_a_failed_drift_check_both_alert() -> None:
    at = NOW - timedelta(minutes=10)
    rows = [
        DriftRow("core1", at, True, 0, 0, 0, None),
        DriftRow("core2", at, False, 2, 1, 0, None),
        DriftRow("core3", at, False, 0, 0, 0, "cannot read queues"),
    ]
    alerts = drifted_shapers(rows)
    assert [a.subject for a in alerts] == ["core2", "core3"]
    assert "2 missing" in alerts[0].message and "cannot read" in alerts[1].message


def test_alerts_sort_critical_first() -> None:
    at = NOW - timedelta(minutes=10)
    drift = drifted_shapers([DriftRow("core2", at, False, 1, 0, 0, None)])
    dead = unreachable_devices([_status("x", False)])
    assert [a.severity for a in sort_alerts(drift + dead)] == ["critical", "warning"]
