"""Round-trip edits of the sample inventory.yaml (netops.inventory.edit): only the edited lines
change, every comment is kept, stale and invalid edits leave the file byte-identical, the file
mode is kept, and ``netops bandwidth boost add`` goes through the same code."""

from __future__ import annotations

import difflib
import os
import shutil
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from netops.cli.main import cli
from netops.errors import InventoryError
from netops.inventory.edit import (
    StaleInventoryError,
    add_boost,
    inventory_sha256,
    remove_boost,
    set_quota,
)
from netops.inventory.loader import load_inventory

SAMPLE = Path(__file__).resolve().parents[2] / "inventory.yaml"
WITA = timezone(timedelta(hours=8))
DINSOS_FLOW = (
    "    quota: {guaranteed_down_mbps: 30, maximum_down_mbps: 100, guaranteed_up_mbps: 15,"
    " maximum_up_mbps: 50, priority: 3}\n"
)
DINSOS_BLOCK = (
    "    quota:\n      guaranteed_down_mbps: 30\n      maximum_down_mbps: 100\n"
    "      guaranteed_up_mbps: 15\n      maximum_up_mbps: 50\n      priority: 3  # bansos\n"
)


@pytest.fixture
def inv(tmp_path: Path) -> Path:
    path = tmp_path / "inventory.yaml"
    shutil.copy(SAMPLE, path)
    path.chmod(0o644)
    return path


def _diff(before: str, after: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines) of a line diff."""
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def _comments(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.lstrip().startswith("#")]


def test_set_quota_on_a_flow_quota_changes_only_that_line_and_keeps_it_flow(inv: Path) -> None:
    before = inv.read_text()
    result = set_quota(inv, "rsud", maximum_down_mbps=550, priority=1)
    after = inv.read_text()
    removed, added = _diff(before, after)
    assert removed == [
        "    quota: {guaranteed_down_mbps: 200, maximum_down_mbps: 500, guaranteed_up_mbps: 100,"
        " maximum_up_mbps: 300, priority: 1}"
    ]
    assert added == [
        "    quota: {guaranteed_down_mbps: 200, maximum_down_mbps: 550, guaranteed_up_mbps: 100,"
        " maximum_up_mbps: 300, priority: 1}"
    ]
    assert _comments(after) == _comments(before)
    assert result.changed_lines == 1
    assert result.sha256_after == inventory_sha256(inv) != result.sha256_before
    assert load_inventory(inv).inventory.agency("rsud").quota.maximum_down_mbps == 550


def test_set_quota_on_a_block_quota_changes_only_the_edited_keys(inv: Path) -> None:
    before = inv.read_text()
    result = set_quota(inv, "disdukcapil", maximum_down_mbps=320.5, priority=3)
    removed, added = _diff(before, inv.read_text())
    assert removed == ["      maximum_down_mbps: 300", "      priority: 2"]
    assert added == ["      maximum_down_mbps: 320.5", "      priority: 3"]
    assert result.changed_lines == 2
    assert _comments(inv.read_text()) == _comments(before)


def test_add_boost_to_a_flow_quota_stays_on_the_quota_line(inv: Path) -> None:
    before = inv.read_text()
    add_boost(
        inv,
        "rsud",
        start=datetime(2026, 7, 1, tzinfo=WITA),
        end=datetime(2026, 7, 8, tzinfo=WITA),
        maximum_down_mbps=700,
        maximum_up_mbps=None,
        reason='Akreditasi "KARS": #1',
    )
    removed, added = _diff(before, inv.read_text())
    assert len(removed) == len(added) == 1
    assert added[0].endswith(
        'priority: 1, boosts: [{start: "2026-07-01T00:00:00+08:00", end: '
        '"2026-07-08T00:00:00+08:00", maximum_down_mbps: 700, '
        'reason: "Akreditasi \\"KARS\\": #1"}]}'
    )
    boost = load_inventory(inv).inventory.agency("rsud").quota.boosts[0]
    assert boost.reason == 'Akreditasi "KARS": #1' and boost.maximum_down_mbps == 700


def test_add_boost_appends_a_block_item_after_the_existing_ones(inv: Path) -> None:
    before = inv.read_text()
    result = add_boost(
        inv,
        "disdik",
        start=datetime(2026, 7, 13, 7, tzinfo=WITA),
        end=datetime(2026, 7, 14, 17, tzinfo=WITA),
        maximum_down_mbps=None,
        maximum_up_mbps=150,
        reason=None,
    )
    after = inv.read_text()
    removed, added = _diff(before, after)
    assert removed == []
    assert added == [
        '        - start: "2026-07-13T07:00:00+08:00"',
        '          end: "2026-07-14T17:00:00+08:00"',
        "          maximum_up_mbps: 150",
    ]
    lines = after.splitlines()
    old_last = lines.index(
        '          reason: "PPDB/SPMB registration week (new-pupil admissions online)"'
    )
    assert lines[old_last + 1] == added[0]
    assert result.changed_lines == 3
    assert len(load_inventory(inv).inventory.agency("disdik").quota.boosts) == 2


def test_first_boost_of_a_block_quota_goes_above_the_next_section_comment(inv: Path) -> None:
    # dinsos is the last agency of its group: a blank line and "# --- pemerintahan" follow it.
    assert inv.read_text().count(DINSOS_FLOW) == 1
    inv.write_text(inv.read_text().replace(DINSOS_FLOW, DINSOS_BLOCK))
    before = inv.read_text()
    add_boost(
        inv,
        "dinsos",
        start=datetime(2026, 9, 1, tzinfo=WITA),
        end=datetime(2026, 9, 5, tzinfo=WITA),
        maximum_down_mbps=90,
        maximum_up_mbps=None,
        reason="Penyaluran bansos",
    )
    after = inv.read_text()
    removed, added = _diff(before, after)
    assert removed == []
    assert added == [
        "      boosts:",
        '        - start: "2026-09-01T00:00:00+08:00"',
        '          end: "2026-09-05T00:00:00+08:00"',
        "          maximum_down_mbps: 90",
        '          reason: "Penyaluran bansos"',
    ]
    lines = after.splitlines()
    i = lines.index("      priority: 3  # bansos")
    assert lines[i + 1 : i + 6] == added
    assert lines[i + 6 : i + 8] == [
        "",
        "  # --- pemerintahan: government offices (guaranteed 345 down / 148 up)",
    ]
    assert _comments(after) == _comments(before)


def test_remove_boost_deletes_only_its_lines_and_add_then_remove_is_byte_identical(
    inv: Path,
) -> None:
    inv.write_text(inv.read_text().replace(DINSOS_FLOW, DINSOS_BLOCK))
    original = inv.read_bytes()
    kwargs = {"maximum_down_mbps": 90.0, "maximum_up_mbps": None, "reason": None}
    add_boost(
        inv,
        "dinsos",
        start=datetime(2026, 9, 1, tzinfo=WITA),
        end=datetime(2026, 9, 5, tzinfo=WITA),
        **kwargs,  # type: ignore[arg-type]
    )
    two = add_boost(
        inv,
        "dinsos",
        start=datetime(2026, 10, 1, tzinfo=WITA),
        end=datetime(2026, 10, 5, tzinfo=WITA),
        **kwargs,  # type: ignore[arg-type]
    )
    with_two = inv.read_text()
    removed_first = remove_boost(inv, "dinsos", 0, expected_sha256=two.sha256_after)
    removed, added = _diff(with_two, inv.read_text())
    assert added == [] and removed == [
        '        - start: "2026-09-01T00:00:00+08:00"',
        '          end: "2026-09-05T00:00:00+08:00"',
        "          maximum_down_mbps: 90",
    ]
    assert removed_first.changed_lines == 3
    remove_boost(inv, "dinsos", 0)  # the last one: "boosts:" goes too
    assert inv.read_bytes() == original


def test_removing_a_boost_keeps_the_comments_around_it(inv: Path) -> None:
    text = inv.read_text()
    anchor = '        - start: "2026-06-15T00:00:00+08:00"\n'
    assert text.count(anchor) == 1
    comment = "        # approved by the Sekda, letter 027/2026\n"
    inv.write_text(text.replace(anchor, comment + anchor))
    before = inv.read_text()
    remove_boost(inv, "disdik", 0)
    removed, added = _diff(before, inv.read_text())
    assert added == []
    assert removed[0] == "      boosts:" and len(removed) == 6
    assert _comments(inv.read_text()) == _comments(before)


def test_a_stale_sha256_is_refused_naming_the_file_and_nothing_is_written(inv: Path) -> None:
    shown = inventory_sha256(inv)
    set_quota(inv, "rsud", maximum_up_mbps=310)  # someone else saved meanwhile
    current = inv.read_bytes()
    with pytest.raises(StaleInventoryError) as caught:
        set_quota(inv, "rsud", maximum_up_mbps=320, expected_sha256=shown)
    assert str(inv) in str(caught.value) and "changed since it was read" in str(caught.value)
    assert isinstance(caught.value, InventoryError)
    assert inv.read_bytes() == current
    assert not [p for p in inv.parent.iterdir() if p.name != inv.name]  # no temporary left


def test_the_current_sha256_is_accepted(inv: Path) -> None:
    result = set_quota(inv, "rsud", maximum_up_mbps=310, expected_sha256=inventory_sha256(inv))
    assert result.sha256_before != result.sha256_after == inventory_sha256(inv)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda p: set_quota(p, "rsud", guaranteed_down_mbps=900),
            "guaranteed_down_mbps 900 is above maximum_down_mbps 500",
        ),
        (
            lambda p: add_boost(
                p,
                "disdik",
                start=datetime(2026, 7, 8, tzinfo=WITA),
                end=datetime(2026, 7, 1, tzinfo=WITA),
                maximum_down_mbps=300,
                maximum_up_mbps=None,
                reason=None,
            ),
            "before it starts",
        ),
        (lambda p: set_quota(p, "rsud", priority=9), "priority"),
    ],
)
def test_an_invalid_edit_names_file_and_line_and_leaves_the_file_byte_identical(
    inv: Path, edit: object, message: str
) -> None:
    before = inv.read_bytes()
    with pytest.raises(InventoryError) as caught:
        edit(inv)  # type: ignore[operator]
    assert message in str(caught.value)
    assert any(p.file == str(inv) and p.line > 0 for p in caught.value.problems)
    assert inv.read_bytes() == before
    assert not [p for p in inv.parent.iterdir() if p.name != inv.name]


def test_unknown_agency_field_and_boost_index_are_refused(inv: Path) -> None:
    before = inv.read_bytes()
    with pytest.raises(InventoryError, match="no agency 'rsudd'.*did you mean 'rsud'"):
        set_quota(inv, "rsudd", priority=2)
    with pytest.raises(InventoryError, match="unknown quota field 'burst_mbps'"):
        set_quota(inv, "rsud", burst_mbps=5)
    with pytest.raises(InventoryError, match="disdik has no boost number 1 \\(it has 1\\)"):
        remove_boost(inv, "disdik", 1)
    assert inv.read_bytes() == before


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664])
def test_the_file_mode_is_kept(inv: Path, mode: int) -> None:
    inv.chmod(mode)
    add_boost(
        inv,
        "rsud",
        start=datetime(2026, 7, 1, tzinfo=WITA),
        end=datetime(2026, 7, 2, tzinfo=WITA),
        maximum_down_mbps=600,
        maximum_up_mbps=None,
        reason=None,
    )
    assert stat.S_IMODE(os.stat(inv).st_mode) == mode


def test_cli_boost_add_edits_the_sample_keeping_comments_and_mode(inv: Path) -> None:
    before = inv.read_text()
    res = CliRunner().invoke(
        cli,
        [
            "bandwidth",
            "boost",
            "add",
            "disdukcapil",
            "-i",
            str(inv),
            "--start",
            "2026-09-01T07:00:00+0800",
            "--end",
            "2026-09-02T17:00:00+0800",
            "--max-down",
            "400",
            "--reason",
            "Pelayanan keliling",
        ],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    after = inv.read_text()
    removed, added = _diff(before, after)
    assert removed == [] and added == [
        '        - start: "2026-09-01T07:00:00+08:00"',
        '          end: "2026-09-02T17:00:00+08:00"',
        "          maximum_down_mbps: 400",
        '          reason: "Pelayanan keliling"',
    ]
    assert _comments(after) == _comments(before)
    assert stat.S_IMODE(os.stat(inv).st_mode) == 0o644
