"""Bounded cycles over real SSH: one hung device never holds the others' results, its error
arrives within its one deadline, and SIGTERM ends ``netops poll once`` / ``poll run`` within 5 s.

The hung device is the lab's ``hang`` fault (the device stops answering after N commands and
the prompt never comes back), on the sample inventory (72 devices, three platforms) and, for the
signal tests, the mini inventory in a ``netops`` subprocess.
"""

from __future__ import annotations

import os
import secrets as _secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from collectors.engine import Poller
from netops.endpoints import save_endpoints
from netops.inventory.loader import load_inventory
from netops.inventory.schema import Inventory
from netops.secrets import SecretStore
from netops.settings import Settings
from netops.storage.db import make_engine
from netops.storage.telemetry import DevicePoll
from tests.helpers import MINI, SAMPLE

pytestmark = [pytest.mark.lab, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
HUNG = "dist-ring1"  # a cisco_ios device of the sample inventory


@pytest.fixture
def sample() -> Inventory:
    return load_inventory(SAMPLE).inventory


@pytest.fixture
def sample_secrets(sample: Inventory) -> SecretStore:
    refs = {c.password_ref for c in sample.credentials}
    refs |= {c.enable_ref for c in sample.credentials if c.enable_ref}
    return SecretStore({ref: "lab-" + _secrets.token_urlsafe(12) for ref in refs}, {})


def test_hung_device_in_a_sample_cycle_is_stored_last_and_within_its_deadline(
    sample: Inventory,
    sample_secrets: SecretStore,
    lab_factory: Callable[..., Any],
    sqlite_engine: Engine,
    tmp_path: Path,
) -> None:
    lab = lab_factory(sample, secrets=sample_secrets)
    lab.fault(HUNG, "hang", after_commands=2)  # answers two commands, then never again
    settings = Settings(
        data_dir=tmp_path,
        loopback_only=True,
        device_timeout_s=8,
        device_deadline_s=12,
        poll_workers=24,
        known_hosts=tmp_path / "known_hosts",
    )
    poller = Poller(sample, settings, sample_secrets, lab.endpoints, engine=sqlite_engine)
    try:
        report = poller.poll(["counters"])
    finally:
        poller.close()
    by = {r.device: r for r in report.results}
    assert by[HUNG].error_kind == "CommandTimeout" and HUNG in (by[HUNG].error or "")
    assert not [(r.device, r.error) for r in report.results if r.device != HUNG and not r.ok]
    with sqlite_engine.connect() as conn:
        polls = {p.device: p for p in conn.execute(select(DevicePoll))}
    assert set(polls) == {d.hostname for d in sample.devices}
    hung = polls[HUNG]
    # 3 attempts of 8 s would be 24 s: the one 12 s deadline cut them (1 s for the closing)
    assert hung.duration_s <= settings.device_deadline_s + 1.0
    assert hung.status == "failed"
    # every other device was stored as it finished, before the hung one gave up
    late = [d for d, p in polls.items() if d != HUNG and p.finished_s >= hung.finished_s]
    assert not late, late


def _cli(tmp_path: Path, lab: Any, *args: str) -> subprocess.Popen[str]:
    lab_map = tmp_path / "lab-map.json"
    save_endpoints(lab_map, lab.endpoints)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NETOPS_DATA_DIR": str(tmp_path),
        "NETOPS_LOOPBACK_ONLY": "1",
        "NETOPS_DEVICE_TIMEOUT_S": "30",
        "NETOPS_DEVICE_DEADLINE_S": "60",
        "NETOPS_KNOWN_HOSTS": str(tmp_path / "known_hosts"),
    }
    cmd = [sys.executable, "-m", "netops.cli.main", "poll", *args]
    cmd += ["--inventory", str(MINI), "--lab-map", str(lab_map)]
    return subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _stored(tmp_path: Path) -> set[str]:
    db = tmp_path / "netops.db"
    if not db.exists():
        return set()
    engine = make_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            return {d for (d,) in conn.execute(select(DevicePoll.device))}
    except Exception:  # the subprocess is still creating the schema
        return set()
    finally:
        engine.dispose()


@pytest.mark.parametrize("args", [("once", "--what", "counters"), ("run",)], ids=["once", "run"])
def test_sigterm_ends_poll_within_5_s_while_a_device_hangs(
    mini_lab: Any, tmp_path: Path, args: tuple[str, ...]
) -> None:
    mini_lab.fault("core1", "hang", after_commands=0)
    others = {"dist1", "rsud-gw", "ptp-utara"}
    proc = _cli(tmp_path, mini_lab, *args)
    try:
        until = time.monotonic() + 90
        while not others <= _stored(tmp_path) and time.monotonic() < until:
            assert proc.poll() is None, proc.communicate()[0]
            time.sleep(0.2)
        assert others <= _stored(tmp_path)  # the healthy devices are in while core1 hangs
        assert "core1" not in _stored(tmp_path)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=5)  # TimeoutExpired fails the test
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 128 + signal.SIGTERM, out
    assert "Traceback" not in out
