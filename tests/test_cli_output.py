"""CLI output: one table renderer (plain for pipes, fitted and wrapped on a terminal), ``--json``
on the commands that print tables, and progress on stderr only on a terminal, never in CI or with
``--json``.  Terminal cases run the real ``netops`` in a pseudo-terminal."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from netops.cli.main import cli
from netops.endpoints import save_endpoints
from netops.tables import render_table
from tests.helpers import MINI, SAMPLE

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
LONG_CELL = ", ".join(f"agency-{i:04d}" for i in range(200))  # 2,398 characters


def _in_terminal(args: list[str], *, columns: int, env: dict[str, str] | None = None) -> str:
    """Run ``netops ARGS`` with stdin/stdout/stderr on a pseudo-terminal ``columns`` wide; the
    text it printed (escape sequences removed, ``\\r`` dropped)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    base = {k: v for k, v in os.environ.items() if k not in ("CI", "COLUMNS", "LINES")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "netops.cli.main", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**base, "TERM": "xterm", **(env or {})},
        close_fds=True,
    )
    os.close(slave)
    out = b""
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 120)
            if not ready:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
    finally:
        proc.wait(timeout=120)
        os.close(master)
    assert proc.returncode == 0, out.decode(errors="replace")
    return out.decode()


def _plain_text(raw: str) -> list[str]:
    return ANSI.sub("", raw).replace("\r", "").split("\n")


def test_plain_table_keeps_one_row_per_line_however_long_the_cell() -> None:
    lines = render_table(["device", "agencies", "cut off"], [["core-dc", "41", LONG_CELL]])
    assert lines == [
        "device   agencies  cut off",
        f"core-dc  41        {LONG_CELL}",
    ]
    ruled = render_table(["a", "bb"], [["xxx", "y"]], rule=True)
    assert ruled == ["a    bb", "---  --", "xxx  y"]


def test_fitted_table_wraps_a_2000_character_cell_within_the_width() -> None:
    lines = render_table(
        ["device", "agencies", "cut off"], [["core-dc", "41", LONG_CELL]], width=100
    )
    assert max(len(line) for line in lines) <= 100
    assert len(lines) > 20  # the cell wrapped over many lines
    assert lines[2].startswith("core-dc") and "41" in lines[2]  # short columns stay whole
    col = lines[0].index("cut off")
    words = " ".join(line[col:] for line in lines[2:]).split()
    assert [w.rstrip(",") for w in words] == [f"agency-{i:04d}" for i in range(200)]


def test_fitted_table_prints_markup_in_cells_as_written() -> None:
    lines = render_table(["reason"], [["[bold]PPDB[/bold] week"]], width=80)
    assert "[bold]PPDB[/bold] week" in "\n".join(lines)


def test_a_row_with_the_wrong_number_of_cells_is_refused() -> None:
    with pytest.raises(ValueError, match="has 1 cells for 2 columns"):
        render_table(["a", "b"], [["only one"]])


def test_spof_fits_the_terminal_and_stays_one_row_per_line_in_a_pipe() -> None:
    piped = subprocess.run(
        [sys.executable, "-m", "netops.cli.main", "topology", "spof", "-i", str(SAMPLE)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert piped.returncode == 0, piped.stderr
    core_piped = next(ln for ln in piped.stdout.splitlines() if ln.startswith("core-dc  "))
    assert len(core_piped) > 200  # plain: the whole row on one line, whatever COLUMNS says
    shown = _plain_text(_in_terminal(["topology", "spof", "-i", str(SAMPLE)], columns=100))
    start = next(i for i, ln in enumerate(shown) if ln.startswith("Devices whose loss cuts"))
    table = shown[start + 1 : shown.index("", start)]
    assert max(len(line) for line in table) <= 100
    cut_off = core_piped.split("  ")[-1].split(", ")
    core_at = next(i for i, ln in enumerate(table) if ln.startswith("core-dc "))
    wrapped = " ".join(table[core_at:])
    assert all(code in wrapped for code in cut_off)


def test_progress_shows_on_a_terminal_only_and_never_with_json_or_in_ci() -> None:
    args = ["topology", "plan", "-i", str(SAMPLE), "--routes", str(SAMPLE.parent / "routes.yaml")]
    assert "planning redundancy" in _in_terminal(args, columns=120)
    assert "planning redundancy" not in _in_terminal(args, columns=120, env={"CI": "true"})
    as_json = _in_terminal([*args, "--json"], columns=120)
    assert "planning redundancy" not in as_json
    assert json.loads(ANSI.sub("", as_json))["method"]
    piped = subprocess.run(
        [sys.executable, "-m", "netops.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.returncode == 0 and piped.stderr == ""


@pytest.mark.lab
def test_poll_once_json_reports_every_device_and_prints_nothing_else(
    mini_lab: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lab_map = tmp_path / "lab-map.json"
    save_endpoints(lab_map, mini_lab.endpoints)
    monkeypatch.setenv("NETOPS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NETOPS_LOOPBACK_ONLY", "1")
    monkeypatch.setenv("NETOPS_DEVICE_TIMEOUT_S", "3")
    mini_lab.fault("ptp-utara", "unreachable")
    result = CliRunner().invoke(
        cli,
        ["poll", "once", "--inventory", str(MINI), "--lab-map", str(lab_map), "--what", "facts"]
        + ["--json"],
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    by_name = {d["device"]: d for d in report["devices"]}
    assert set(by_name) == {"core1", "dist1", "rsud-gw", "ptp-utara"}
    assert by_name["ptp-utara"]["ok"] is False and by_name["ptp-utara"]["error_kind"]
    assert by_name["core1"]["ok"] is True and by_name["core1"]["read"] == {"facts": 1}
    assert (report["ok"], report["failed"]) == (3, 1)
