"""No input hangs the loader: alias expansion is bounded, the file size is capped, the fast
(libyaml) parser keeps the line numbers errors name."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from netops.errors import InventoryError
from netops.inventory import yamlmap
from netops.inventory.loader import load_inventory, load_inventory_text
from tests.helpers import MINI


def _laughs(levels: int, width: int) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_ten_levels_of_ten_aliases_are_refused_quickly_naming_file_and_line() -> None:
    text = _laughs(10, 10)  # 10^10 nodes if expanded
    assert len(text) < 700
    started = time.monotonic()
    with pytest.raises(InventoryError) as info:
        load_inventory_text(text, "laughs.yaml")
    assert time.monotonic() - started < 30  # generous: today it runs for minutes
    (problem,) = info.value.problems
    assert problem.file == "laughs.yaml" and 1 <= problem.line <= 10
    assert "aliases expand to more than" in problem.message


def test_a_few_aliases_still_expand_as_written() -> None:
    from netops.inventory.yamlmap import parse_yaml_with_lines

    data, lines = parse_yaml_with_lines("x: &q [1, 2]\ny: *q\nz:\n  - *q\n", "t.yaml")
    assert data == {"x": [1, 2], "y": [1, 2], "z": [[1, 2]]}
    assert lines.line(("y",)) == 2 and lines.line(("z", 0)) == 3


def test_file_over_the_size_cap_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "inventory.yaml"
    big.write_text(MINI.read_text())
    monkeypatch.setattr(yamlmap, "MAX_FILE_BYTES", 100)
    with pytest.raises(InventoryError) as info:
        load_inventory(big)
    (problem,) = info.value.problems
    assert problem.file == str(big) and "bytes, more than the 100 allowed" in problem.message


def test_fast_parser_reports_the_same_lines_as_the_pure_python_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = MINI.read_text().replace("mgmt_port: 22", "mgmt_port: 70000", 1)
    if "mgmt_port: 70000" not in text:
        text = MINI.read_text().replace("mgmt_address: 10.255.0.2", "mgmt_address: 10.255.0.999")
    with pytest.raises(InventoryError) as fast:
        load_inventory_text(text, "inv.yaml")
    monkeypatch.setattr(yamlmap, "LIBYAML_MAX_DEPTH", -1)  # forces the pure-Python loader
    with pytest.raises(InventoryError) as slow:
        load_inventory_text(text, "inv.yaml")
    assert [str(p) for p in fast.value.problems] == [str(p) for p in slow.value.problems]
    assert all(p.line > 1 for p in fast.value.problems)


def test_sample_inventory_is_parsed_by_libyaml() -> None:
    loader = yamlmap._loader_for(MINI.read_text())
    try:
        assert yamlmap._CLoader is not None and isinstance(loader, yamlmap._CLoader)
    finally:
        loader.dispose()
