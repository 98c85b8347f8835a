"""Valid but almost certainly unmeant values are warned about, at file:line path."""

from __future__ import annotations

import pytest

from netops.inventory.loader import load_inventory_text
from tests.helpers import MINI


def _warnings(old: str, new: str) -> list[str]:
    text = MINI.read_text()
    assert text.count(old) == 1, old
    loaded = load_inventory_text(text.replace(old, new), "inventory.yaml")
    return [str(p) for p in loaded.warnings]


def test_the_unedited_fixture_has_none_of_these_warnings() -> None:
    assert load_inventory_text(MINI.read_text(), "inventory.yaml").warnings == ()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("mgmt_address: 10.255.0.2", "mgmt_address: 10.255.0.1", "same management address and port 10.255.0.1:22 as 'core1'"),  # noqa: E501
        ("mgmt_address: 10.255.0.2", "mgmt_address: 255.255.255.255", "255.255.255.255 is the limited broadcast address"),  # noqa: E501
        ("mgmt_address: 10.255.0.2", "mgmt_address: 10.10.1.255", "is the broadcast address of 10.10.1.0/24"),  # noqa: E501
        ("name: RSUD Kabupaten Contoh", "name: \"RSUD \\u202eKabupaten\"", "U+202E"),
        ("name: RSUD Kabupaten Contoh", "name: \"RSUD\\u2028Kabupaten\"", "U+2028"),
    ],
    ids=["same-address-port", "limited-broadcast", "subnet-broadcast", "bidi-override", "line-separator"],  # noqa: E501
)  # fmt: skip
def test_hazard_is_a_warning_naming_the_line(old: str, new: str, expected: str) -> None:
    found = _warnings(old, new)
    assert any(expected in w and w.startswith("inventory.yaml:") for w in found), found


def test_agency_subnet_matching_all_traffic_is_warned_about() -> None:
    text = MINI.read_text().replace("subnets: [10.10.1.0/24]", "subnets: [0.0.0.0/0]")
    for other in ("subnets: [10.10.2.0/24]", "subnets: [10.20.1.0/24]"):
        text = text.replace(other, "subnets: []")
    found = [str(p) for p in load_inventory_text(text, "inventory.yaml").warnings]
    assert any(
        w.startswith(
            "inventory.yaml:27 agencies[0].subnets[0]: warning: subnet 0.0.0.0/0 of "
            "agency 'diskominfo' matches all traffic"
        )
        for w in found
    ), found
