"""Cross-checks on numbers and addresses: subnets, guarantees against uplinks and groups,
agency maximums against the group, boosts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from netops.errors import InventoryError

if TYPE_CHECKING:
    from tests.inventory.conftest import Doc


def test_overlapping_subnets_of_two_agencies(doc: Doc) -> None:
    doc.edit("subnets: [10.20.1.0/24]", "subnets: [10.10.2.128/25]")
    assert doc.problems() == [
        f"{doc.at('10.10.2.128/25')} agencies[2].subnets[0]: subnet 10.10.2.128/25 overlaps "
        f"10.10.2.0/24 of agency 'rsud' (at agencies[1].subnets[0] "
        f"(line {doc.line('subnets: [10.10.2.0/24]')}))"
    ]


def test_overlap_is_reported_on_the_later_entry_even_when_it_is_the_larger(doc: Doc) -> None:
    doc.edit("subnets: [10.10.1.0/24]", "subnets: [10.10.1.64/26]")
    doc.edit("subnets: [10.20.1.0/24]", "subnets: [10.10.0.0/16]")
    assert doc.problems() == [
        f"{doc.at('10.10.0.0/16')} agencies[2].subnets[0]: subnet 10.10.0.0/16 overlaps "
        f"10.10.1.64/26 of agency 'diskominfo' (at agencies[0].subnets[0] "
        f"(line {doc.line('10.10.1.64/26')}))",
        f"{doc.at('10.10.0.0/16')} agencies[2].subnets[0]: subnet 10.10.0.0/16 overlaps "
        f"10.10.2.0/24 of agency 'rsud' (at agencies[1].subnets[0] "
        f"(line {doc.line('10.10.2.0/24')}))",
    ]


def test_overlapping_subnets_within_one_agency(doc: Doc) -> None:
    doc.edit("subnets: [10.20.1.0/24]", "subnets: [10.20.1.0/24, 10.20.1.16/28]")
    assert doc.problems() == [
        f"{doc.at('10.20.1.16/28')} agencies[2].subnets[1]: subnet 10.20.1.16/28 overlaps "
        f"10.20.1.0/24 of the same agency (at agencies[2].subnets[0] "
        f"(line {doc.line('10.20.1.16/28')}))"
    ]


def test_adjacent_subnets_do_not_overlap(doc: Doc) -> None:
    doc.edit("subnets: [10.10.1.0/24]", "subnets: [10.10.0.0/24, 10.10.1.0/25, 10.10.1.128/25]")
    doc.edit("subnets: [10.20.1.0/24]", "subnets: [10.10.3.0/24]")
    assert doc.problems() == []


def test_agency_guarantees_above_uplink_warn_with_numbers(doc: Doc) -> None:
    doc.edit("    down_mbps: 200\n", "    down_mbps: 125\n")
    problems = doc.problems()
    assert problems == [
        f"{doc.at('- name: opd')} groups: warning: guaranteed download of the groups adds up to "
        "160 Mbit/s (opd 120, kecamatan 40), above the uplinks' 125 Mbit/s (isp-a 125)",
        f"{doc.at('- code: diskominfo')} agencies: warning: "
        "guaranteed download of all 3 agencies adds up to 130 Mbit/s, above the uplinks' "
        "125 Mbit/s (isp-a 125): not every guarantee can be met at once",
    ]
    # A warning leaves the inventory valid ...
    assert doc.load().inventory.uplinks[0].down_mbps == 125
    # ... and --strict makes it an error.
    with pytest.raises(InventoryError) as info:
        doc.load(strict=True)
    assert [str(p) for p in info.value.problems] == problems


def test_guarantees_exactly_at_uplink_capacity_are_fine(doc: Doc) -> None:
    doc.edit("    down_mbps: 200\n", "    down_mbps: 160\n")
    assert doc.problems(strict=True) == []


def test_upload_guarantees_are_checked_against_uplink_upload(doc: Doc) -> None:
    doc.edit("    up_mbps: 100\n", "    up_mbps: 55\n")
    assert doc.problems() == [
        f"{doc.at('- name: opd')} groups: warning: guaranteed upload of the groups adds up to "
        "80 Mbit/s (opd 60, kecamatan 20), above the uplinks' 55 Mbit/s (isp-a 55)",
        f"{doc.at('- code: diskominfo')} agencies: warning: "
        "guaranteed upload of all 3 agencies adds up to 60 Mbit/s, above the uplinks' "
        "55 Mbit/s (isp-a 55): not every guarantee can be met at once",
    ]


def test_agency_guarantees_above_their_group_guarantee_warn(doc: Doc) -> None:
    doc.edit(
        "quota: {guaranteed_down_mbps: 60, maximum_down_mbps: 180,",
        "quota: {guaranteed_down_mbps: 80, maximum_down_mbps: 180,",
    )
    assert doc.problems() == [
        f"{doc.at('guaranteed_down_mbps: 120')} groups[0].quota.guaranteed_down_mbps: "
        "warning: agencies in group 'opd' are guaranteed 130 Mbit/s download in total "
        "(diskominfo 50, rsud 80), above the group's guaranteed_down_mbps 120"
    ]


def test_agency_maximum_above_group_maximum_is_an_error(doc: Doc) -> None:
    doc.edit("      maximum_down_mbps: 60\n", "      maximum_down_mbps: 150\n")
    with pytest.raises(InventoryError) as info:
        doc.load()
    assert [str(p) for p in info.value.problems] == [
        f"{doc.at('      maximum_down_mbps: 150')} agencies[2].quota.maximum_down_mbps: "
        "maximum_down_mbps 150 is above the maximum_down_mbps 100 of group 'kecamatan'"
    ]


def test_agency_upload_maximum_above_group_maximum_is_an_error(doc: Doc) -> None:
    doc.edit("      maximum_up_mbps: 30\n", "      maximum_up_mbps: 50.5\n")
    assert doc.problems() == [
        f"{doc.at('      maximum_up_mbps: 50.5')} agencies[2].quota.maximum_up_mbps: "
        "maximum_up_mbps 50.5 is above the maximum_up_mbps 50 of group 'kecamatan'"
    ]


def test_boost_above_group_maximum_warns_that_the_group_caps_it(doc: Doc) -> None:
    doc.edit("maximum_down_mbps: 90, reason: PPDB", "maximum_down_mbps: 120, reason: PPDB")
    assert doc.problems() == [
        f"{doc.at('reason: PPDB')} agencies[2].quota.boosts[0].maximum_down_mbps: warning: "
        "boost maximum_down_mbps 120 is above the maximum_down_mbps 100 of group 'kecamatan': "
        "the group limit caps it"
    ]


def test_overlapping_boosts_are_an_error(doc: Doc) -> None:
    doc.edit(
        "maximum_down_mbps: 90, reason: PPDB}\n",
        "maximum_down_mbps: 90, reason: PPDB}\n"
        '        - {start: "2026-06-07T00:00:00+08:00", end: "2026-06-09T00:00:00+08:00",'
        " maximum_up_mbps: 40, reason: Ujian}\n",
    )
    assert doc.problems() == [
        f"{doc.at('reason: Ujian')} agencies[2].quota.boosts[1]: boost from "
        "2026-06-07T00:00:00+08:00 overlaps the boost from 2026-06-01T00:00:00+08:00 to "
        "2026-06-08T00:00:00+08:00 (at agencies[2].quota.boosts[0] "
        f"(line {doc.line('reason: PPDB')}))"
    ]


def test_back_to_back_boosts_do_not_overlap(doc: Doc) -> None:
    doc.edit(
        "maximum_down_mbps: 90, reason: PPDB}\n",
        "maximum_down_mbps: 90, reason: PPDB}\n"
        '        - {start: "2026-06-08T00:00:00+08:00", end: "2026-06-09T00:00:00+08:00",'
        " maximum_up_mbps: 40, reason: Ujian}\n",
    )
    assert doc.problems() == []
