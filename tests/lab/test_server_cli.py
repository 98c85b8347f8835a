"""``netops lab up/status/fault/clear/down`` as a user runs them, in a separate process."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from netmiko import ConnectHandler

from tests.helpers import MINI

pytestmark = [pytest.mark.lab, pytest.mark.slow]


def _netops(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netops.cli.main", "lab", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def env(tmp_path: Path, lab_password: str) -> dict[str, str]:
    return {**os.environ, "NETOPS_DATA_DIR": str(tmp_path / "data")}


def test_lab_up_fault_status_down_round_trip(env: dict[str, str], lab_password: str) -> None:
    data = Path(env["NETOPS_DATA_DIR"])
    started = _netops(env, "up", "--inventory", str(MINI))
    try:
        assert started.returncode == 0, started.stderr
        lab_map = json.loads((data / "lab-map.json").read_text())["devices"]
        assert set(lab_map) == {"core1", "dist1", "rsud-gw", "ptp-utara"}
        assert all(e["host"] == "127.0.0.1" for e in lab_map.values())
        assert re.search(rf"^dist1 +127\.0\.0\.1:{lab_map['dist1']['port']}$", started.stdout, re.M)
        # a second `up` refuses instead of starting a second lab
        again = _netops(env, "up", "--inventory", str(MINI))
        assert again.returncode == 1 and "already running" in again.stderr

        injected = _netops(env, "fault", "dist1", "link-down", "--param", "interface=Gi1/0/1")
        assert injected.returncode == 1 and "has no interface 'Gi1/0/1'" in injected.stderr
        injected = _netops(
            env, "fault", "dist1", "link-down", "--param", "interface=GigabitEthernet1/0/1"
        )
        assert injected.returncode == 0, injected.stderr
        status = _netops(env, "status")
        assert "4 devices" in status.stdout
        assert "fault dist1: link-down GigabitEthernet1/0/1" in status.stdout
        conn = ConnectHandler(
            device_type="cisco_ios",
            host="127.0.0.1",
            port=lab_map["dist1"]["port"],
            username="netops",
            password=lab_password,
        )
        assert "core1" not in conn.send_command("show lldp neighbors")
        assert _netops(env, "clear", "dist1").returncode == 0
        assert "core1" in conn.send_command("show lldp neighbors")
        conn.disconnect()
    finally:
        stopped = _netops(env, "down")
    assert stopped.returncode == 0 and "lab stopped" in stopped.stdout
    assert not (data / "lab-map.json").exists()
    assert not (data / "lab.pid").exists()
    assert not (data / "lab.sock").exists()


def test_lab_commands_without_a_running_lab_say_so(env: dict[str, str]) -> None:
    status = _netops(env, "status")
    assert status.returncode == 1
    assert "no lab is answering" in status.stderr and "Traceback" not in status.stderr
    assert _netops(env, "down").stdout.strip() == "no lab is running"


def test_lab_up_with_a_missing_secret_names_device_and_reference(
    env: dict[str, str], tmp_path: Path
) -> None:
    env = {k: v for k, v in env.items() if k != "NETOPS_LAB_PASSWORD"}
    started = _netops(env, "up", "--inventory", str(MINI), "--foreground")
    assert started.returncode == 1
    assert "device core1" in started.stderr and "NETOPS_LAB_PASSWORD" in started.stderr
    assert "Traceback" not in started.stderr


def test_lab_down_up_then_poll_once_still_works_with_the_same_host_keys(
    tmp_path: Path, lab_password: str
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    inventory = site / "inventory.yaml"
    inventory.write_text(MINI.read_text())
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETOPS_")}
    env.update(NETOPS_LAB_PASSWORD=lab_password, NETOPS_DEVICE_TIMEOUT_S="5")

    def poll() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "netops.cli.main", "poll", "once", "--what", "facts",
             "-i", str(inventory)],
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    keys_seen = []
    try:
        for _round in range(2):
            started = _netops({**env}, "up", "-i", str(inventory))
            assert started.returncode == 0, started.stderr
            polled = poll()
            assert polled.returncode == 0, polled.stdout + polled.stderr
            assert "4 ok, 0 failed" in polled.stdout
            keys_seen.append((site / ".netops" / "known_hosts").read_text())
            stopped = _netops({**env}, "down", "-i", str(inventory))
            assert stopped.returncode == 0, stopped.stderr
    finally:
        _netops({**env}, "down", "-i", str(inventory))
    assert keys_seen[0] == keys_seen[1]
    kept = sorted(p.name for p in (site / ".netops" / "lab-host-keys").iterdir())
    assert kept == ["core1.key", "dist1.key", "ptp-utara.key", "rsud-gw.key"]
    assert all((site / ".netops" / "lab-host-keys" / k).stat().st_mode & 0o077 == 0 for k in kept)
