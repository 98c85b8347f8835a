"""The packet lab leaves nothing behind: not after SIGTERM, and a killed run is cleaned up."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from lab.packets import netns, sshd
from lab.packets.lab import LOCK_HELD_ENV, PacketLab, _MachineLock
from lab.packets.runner import lab_inventory
from tests.helpers import wait_until

INVENTORY = Path(__file__).resolve().parents[2] / "lab" / "packets" / "inventory.yaml"
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.packets,
    pytest.mark.xdist_group("packet-lab"),
    pytest.mark.skipif(not netns.is_root(), reason="network namespaces need root"),
    pytest.mark.skipif(shutil.which("setcap") is None, reason="libcap2-bin (setcap) missing"),
]


@pytest.fixture(autouse=True, scope="module")
def machine_lock() -> Iterator[None]:
    """These tests look at machine-wide state (namespaces, the account): they hold the packet
    lab's machine lock throughout, and the labs they start run under it."""
    lock = _MachineLock()
    lock.acquire()
    os.environ[LOCK_HELD_ENV] = "1"
    try:
        yield
    finally:
        del os.environ[LOCK_HELD_ENV]
        lock.release()


def _start_up(tmp_path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "NETOPS_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "netops.cli.main", "lab", "packets", "up"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:  # a warning about a stale lab that up removed may come first
        seen.append(line)
        if line.startswith("packet lab up") or len(seen) > 20:
            break
    assert seen and seen[-1].startswith("packet lab up"), seen
    return proc


def _account_exists() -> bool:
    return subprocess.run(["id", "-u", sshd.USER], capture_output=True).returncode == 0


def test_sigterm_removes_every_namespace_process_and_the_account(tmp_path: Path) -> None:
    proc = _start_up(tmp_path)
    assert len(netns.stale_namespaces()) == 9
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    assert netns.stale_namespaces() == []
    assert not _account_exists()
    assert not (tmp_path / "packet-lab-map.json").exists()


def test_a_killed_run_is_found_and_cleaned_by_the_next_up(tmp_path: Path) -> None:
    proc = _start_up(tmp_path)
    proc.kill()  # SIGKILL: no cleanup can run
    proc.wait(timeout=10)
    left = netns.stale_namespaces()
    assert len(left) == 9
    status = subprocess.run(
        [sys.executable, "-m", "netops.cli.main", "lab", "packets", "status"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert "9 packet-lab namespace(s)" in status.stdout
    with PacketLab(lab_inventory(INVENTORY), tmp_path) as plab:
        assert sorted(netns.stale_namespaces()) == sorted(plab.layout.namespaces)
    assert netns.stale_namespaces() == []
    assert not _account_exists()


def test_down_removes_what_a_killed_run_left(tmp_path: Path) -> None:
    proc = _start_up(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    wait_until(netns.stale_namespaces, lambda names: len(names) == 9, timeout_s=5)
    env = {**os.environ, "NETOPS_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    down = subprocess.run(
        [sys.executable, "-m", "netops.cli.main", "lab", "packets", "down"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert down.returncode == 0 and "removed 9 namespace(s)" in down.stdout
    assert netns.stale_namespaces() == [] and not _account_exists()


def test_a_failure_midway_through_up_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise netns.PacketLabError("bridge: simulated failure")

    monkeypatch.setattr(netns, "bridge", broken)
    with pytest.raises(netns.PacketLabError, match="simulated failure"):
        PacketLab(lab_inventory(INVENTORY), tmp_path).up()
    assert netns.stale_namespaces() == []
