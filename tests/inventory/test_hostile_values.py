"""No raw traceback from bad values, and YAML 1.1's quiet coercions refused with file:line."""

from __future__ import annotations

import pytest

from netops.errors import InventoryError
from netops.inventory.loader import load_inventory_text
from tests.helpers import MINI

QUOTA = "quota: {guaranteed_down_mbps: 50, maximum_down_mbps: 150, guaranteed_up_mbps: 20, maximum_up_mbps: 60, priority: 2}"  # noqa: E501


def _edited(old: str, new: str) -> str:
    text = MINI.read_text()
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _with_boost(start: str, end: str) -> str:
    boost = (
        "quota:\n      guaranteed_down_mbps: 50\n      maximum_down_mbps: 150\n"
        "      guaranteed_up_mbps: 20\n      maximum_up_mbps: 60\n      priority: 2\n"
        f"      boosts:\n        - start: {start}\n          end: {end}\n"
        "          maximum_down_mbps: 100\n"
    )
    return _edited(f"    {QUOTA}", "    " + boost)


CASES = {
    "port-true": (
        _edited("mgmt_address: 10.255.0.1", "mgmt_address: 10.255.0.1\n    mgmt_port: true"),
        "boolean, not a number",
    ),
    "port-sexagesimal": (
        _edited("mgmt_address: 10.255.0.1", "mgmt_address: 10.255.0.1\n    mgmt_port: 22:22"),
        "'22:22'",
    ),
    "port-yes": (
        _edited("mgmt_address: 10.255.0.1", "mgmt_address: 10.255.0.1\n    mgmt_port: yes"),
        "'yes'",
    ),
    "int-5000-digits": (
        _edited("cost_idr_per_month: 10000000", "cost_idr_per_month: " + "9" * 5000),
        "4300 digits",
    ),
    "boost-naive-and-aware": (
        _with_boost("2026-06-01T00:00:00", "2026-06-08T00:00:00+08:00"),
        "time zone",
    ),
    "boost-date-only": (_with_boost("2026-06-01", "2026-06-08T00:00:00+08:00"), "start"),
}


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_bad_value_is_one_clean_inventory_error_naming_file_and_line(
    text: str, expected: str
) -> None:
    with pytest.raises(InventoryError) as info:
        load_inventory_text(text, "inventory.yaml")
    problems = info.value.problems
    assert problems and all(p.file == "inventory.yaml" and p.line > 1 for p in problems)
    assert any(expected in f"{p.path}: {p.message}" for p in problems), [str(p) for p in problems]


def test_yaml_1_2_numbers_and_booleans_still_load() -> None:
    from netops.inventory.yamlmap import parse_yaml_with_lines

    data, _ = parse_yaml_with_lines("a: 22\nb: 1.5\nc: true\nd: on\ne: 0x1F\nf: 1_000\n", "t")
    assert data == {"a": 22, "b": 1.5, "c": True, "d": "on", "e": 31, "f": 1000}
