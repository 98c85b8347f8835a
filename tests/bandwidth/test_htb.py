"""The HTB model against hand-worked examples and HTB's sharing properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netops.bandwidth.htb import (
    HtbGroup,
    HtbLeaf,
    allocate,
    default_quantum_bytes,
    waterfill_level,
)
from netops.bandwidth.plan import BandwidthPlan
from netops.bandwidth.shares import fair_shares

INF = 1e9


def test_mini_plan_full_contention_by_hand(mini_plan: BandwidthPlan) -> None:
    # Uplink 200 down.  Guarantees: diskominfo 50, rsud 60, kec-utara 20 (130).
    # Level 1: group opd lends its unused 120-110 = 10 to rsud (prio 1 before prio 2);
    #          group kecamatan lends 40-20 = 20 to kec-utara (-> 40).
    # Level 2: the root lends the remaining 200-160 = 40 to rsud (prio 1): 70 + 40 = 110.
    table = fair_shares(mini_plan, "down")
    got = {r.code: r.full_contention_mbps for r in table.rows}
    assert got == pytest.approx({"diskominfo": 50, "rsud": 110, "kec-utara": 40})
    assert table.total_now_mbps == pytest.approx(200)


def test_mini_plan_getting_now_with_idle_hospital(mini_plan: BandwidthPlan) -> None:
    # rsud wants only 10: diskominfo (prio 2) then gets opd's spare 120-60 = 60 at level 1 (110),
    # kec-utara 40 from its group; the root lends 200-160 = 40 more: diskominfo is at its ceil
    # 150 after 40, so it takes all 40 (prio 2 before kec-utara's prio 4).
    table = fair_shares(mini_plan, "down", {"diskominfo": 500, "rsud": 10, "kec-utara": 500})
    got = {r.code: r.getting_now_mbps for r in table.rows}
    assert got == pytest.approx({"diskominfo": 150, "rsud": 10, "kec-utara": 40})


def test_equal_prio_spare_is_split_in_proportion_to_quantum() -> None:
    # rates 0.8 and 1.6 Mbit/s -> quantum 10,000 and 20,000 bytes (r2q 10): spare 7.6 splits 1:2.
    res = allocate(
        10,
        [HtbGroup("g", 2.4, 10)],
        [HtbLeaf("a", "g", 0.8, 10, 3, INF), HtbLeaf("b", "g", 1.6, 10, 3, INF)],
    )
    assert res.leaves_mbps == pytest.approx({"a": 0.8 + 7.6 / 3, "b": 1.6 + 2 * 7.6 / 3})


def test_quantum_clamp_makes_large_classes_share_spare_equally() -> None:
    assert default_quantum_bytes(20) == default_quantum_bytes(40) == 200_000
    assert default_quantum_bytes(0.01) == 1000
    res = allocate(
        100,
        [HtbGroup("g", 60, 100)],
        [HtbLeaf("a", "g", 20, 100, 3, INF), HtbLeaf("b", "g", 40, 100, 3, INF)],
    )
    assert res.leaves_mbps == pytest.approx({"a": 40, "b": 60})


def test_lower_prio_number_takes_spare_strictly_first() -> None:
    res = allocate(
        100,
        [HtbGroup("g", 20, 100)],
        [HtbLeaf("hi", "g", 10, 50, 1, INF), HtbLeaf("lo", "g", 10, 100, 5, INF)],
    )
    # hi is served up to its ceil 50 before lo gets anything beyond its guarantee.
    assert res.leaves_mbps == pytest.approx({"hi": 50, "lo": 50})


def test_guarantees_are_not_capped_by_the_parent_like_the_kernel() -> None:
    # LAB-NOTES: children whose rates add up to more than the parent push the total past it.
    res = allocate(
        100,
        [HtbGroup("g", 10, 10)],
        [HtbLeaf("a", "g", 8, 8, 1, INF), HtbLeaf("b", "g", 8, 8, 1, INF)],
    )
    assert res.groups_mbps["g"] == pytest.approx(16)


def test_group_lends_to_its_own_children_before_the_root_lends() -> None:
    # g1 has unused guarantee 30 which only its child may use; g2's child (better prio) can
    # only borrow what the root has left: 100 - 10 - 40 - 10 = 40.
    res = allocate(
        100,
        [HtbGroup("g1", 40, 100), HtbGroup("g2", 20, 100)],
        [HtbLeaf("a", "g1", 10, 100, 8, INF), HtbLeaf("b", "g2", 10, 100, 1, INF)],
    )
    assert res.leaves_mbps == pytest.approx({"a": 40, "b": 60})


def test_group_ceil_caps_its_children_and_the_rest_goes_elsewhere() -> None:
    res = allocate(
        100,
        [HtbGroup("g1", 10, 30), HtbGroup("g2", 10, 100)],
        [
            HtbLeaf("a", "g1", 5, 100, 1, INF),
            HtbLeaf("a2", "g1", 5, 100, 1, INF),
            HtbLeaf("b", "g2", 10, 100, 8, INF),
        ],
    )
    assert res.groups_mbps == pytest.approx({"g1": 30, "g2": 70})
    assert res.leaves_mbps["a"] == pytest.approx(15)


def test_guarantees_above_the_uplink_are_cut_to_the_uplink_and_flagged() -> None:
    res = allocate(
        10,
        [HtbGroup("g", 20, 20)],
        [HtbLeaf("a", "g", 10, 10, 1, INF), HtbLeaf("b", "g", 10, 10, 1, INF)],
    )
    assert res.oversubscribed
    assert res.total_mbps == pytest.approx(10)


def test_waterfill_level_hits_the_amount() -> None:
    t = waterfill_level([1, 5, 10], [1, 1, 2], 8)
    assert sum(min(c, w * t) for c, w in zip([1, 5, 10], [1, 1, 2], strict=True)) == (
        pytest.approx(8)
    )
    assert math.isinf(waterfill_level([1, 2], [1, 1], 5))


def test_unknown_group_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown group 'nope'"):
        allocate(10, [], [HtbLeaf("a", "nope", 1, 2, 1, 1)])


# ---- properties ------------------------------------------------------------------------------

mbps = st.floats(min_value=0, max_value=500, allow_nan=False, allow_infinity=False)


@st.composite
def trees(draw: st.DrawFn) -> tuple[float, list[HtbGroup], list[HtbLeaf]]:
    capacity = draw(st.floats(min_value=1, max_value=1000))
    n_groups = draw(st.integers(1, 4))
    groups = []
    for gi in range(n_groups):
        rate = draw(mbps)
        groups.append(HtbGroup(f"g{gi}", rate, rate + draw(mbps)))
    leaves = []
    for li in range(draw(st.integers(1, 12))):
        rate = draw(st.floats(min_value=0, max_value=100))
        leaves.append(
            HtbLeaf(
                f"a{li}",
                f"g{draw(st.integers(0, n_groups - 1))}",
                rate,
                rate + draw(mbps),
                draw(st.integers(1, 8)),
                draw(st.one_of(mbps, st.just(INF))),
            )
        )
    return capacity, groups, leaves


EPS = 1e-6


@settings(max_examples=300, deadline=None)
@given(trees())
def test_no_leaf_gets_more_than_its_ceil_or_its_demand(tree: tuple) -> None:
    capacity, groups, leaves = tree
    res = allocate(capacity, groups, leaves)
    for leaf in leaves:
        got = res.leaves_mbps[leaf.key]
        assert -EPS <= got <= min(leaf.ceil_mbps, leaf.demand_mbps) + EPS


@settings(max_examples=300, deadline=None)
@given(trees())
def test_total_never_exceeds_the_uplink(tree: tuple) -> None:
    capacity, groups, leaves = tree
    assert allocate(capacity, groups, leaves).total_mbps <= capacity + EPS


@settings(max_examples=300, deadline=None)
@given(trees())
def test_guarantees_are_met_when_they_fit_the_uplink(tree: tuple) -> None:
    capacity, groups, leaves = tree
    if sum(leaf.rate_mbps for leaf in leaves) > capacity:
        return
    res = allocate(capacity, groups, leaves)
    for leaf in leaves:
        assert res.leaves_mbps[leaf.key] >= min(leaf.demand_mbps, leaf.rate_mbps) - EPS


@settings(max_examples=300, deadline=None)
@given(trees())
def test_work_conserving_spare_is_not_wasted_while_someone_can_use_it(tree: tuple) -> None:
    capacity, groups, leaves = tree
    res = allocate(capacity, groups, leaves)
    if res.total_mbps >= capacity - 1e-5:
        return  # the uplink is full
    ceil = {g.key: g.ceil_mbps for g in groups}
    for leaf in leaves:
        unmet = min(leaf.demand_mbps, leaf.ceil_mbps) - res.leaves_mbps[leaf.key]
        if unmet > 1e-5:
            # the only thing allowed to hold it back is its group's ceil
            assert res.groups_mbps[leaf.group] >= ceil[leaf.group] - 1e-5, leaf
