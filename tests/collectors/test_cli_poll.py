"""``netops poll once`` against the lab: a per-device table, results stored, exit codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from netops.cli.main import cli
from netops.endpoints import save_endpoints
from netops.inventory.loader import load_inventory
from netops.storage.db import make_engine
from netops.storage.telemetry import InterfaceSample
from tests.helpers import MINI

pytestmark = [pytest.mark.lab]


def run(tmp_path: Path, lab: Any, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    lab_map = tmp_path / "lab-map.json"
    save_endpoints(lab_map, lab.endpoints)
    monkeypatch.setenv("NETOPS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NETOPS_LOOPBACK_ONLY", "1")
    monkeypatch.setenv("NETOPS_DEVICE_TIMEOUT_S", "3")
    return CliRunner().invoke(
        cli, ["poll", "once", "--inventory", str(MINI), "--lab-map", str(lab_map), *args]
    )


def test_poll_once_prints_every_device_and_stores_counters(
    mini_lab: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(tmp_path, mini_lab, monkeypatch, "--what", "counters")
    assert result.exit_code == 0, result.output
    for name in ("core1", "dist1", "rsud-gw", "ptp-utara"):
        assert any(line.startswith(name) and " ok " in line for line in result.output.splitlines())
    assert "4 ok, 0 failed" in result.output
    engine = make_engine(f"sqlite:///{tmp_path / 'netops.db'}")
    try:
        with engine.connect() as conn:
            stored = set(conn.execute(select(InterfaceSample.device, InterfaceSample.interface)))
    finally:
        engine.dispose()
    inventory = load_inventory(MINI).inventory
    expected = {(d.hostname, i.name) for d in inventory.devices for i in d.interfaces}
    assert expected <= {(d, i) for d, i in stored}  # every inventory interface, every device


def test_poll_once_exits_1_and_names_the_failed_device_and_error(
    mini_lab: Any, lab_password: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mini_lab.fault("ptp-utara", "auth-fail")
    result = run(tmp_path, mini_lab, monkeypatch, "--what", "facts")
    assert result.exit_code == 1
    line = next(ln for ln in result.output.splitlines() if ln.startswith("ptp-utara"))
    assert "AuthenticationFailed" in line and "refused the credentials" in line
    assert "Traceback" not in result.output
    assert lab_password not in result.output
    assert "3 ok, 1 failed" in result.output  # the other devices were polled all the same
