"""The README's main command, ``netops demo``, run as a user runs it: a separate process over the
sample inventory, every device simulated over real SSH on loopback, results in embedded SQLite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from netops.inventory.loader import load_inventory
from netops.storage.bandwidth_tables import BandwidthPush
from netops.storage.db import make_engine, session_factory
from netops.storage.telemetry import device_status, latest_interface_rates, latest_neighbors
from tests.helpers import SAMPLE


def _demo(tmp_path: Path, data: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETOPS_")}
    return subprocess.run(
        [sys.executable, "-m", "netops.cli.main", "demo", "--inventory", str(SAMPLE),
         "--data-dir", str(data), "--cycles", "1", "--interval", "2"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


@pytest.mark.slow
@pytest.mark.lab
def test_demo_run_twice_in_the_same_directory_polls_every_device_both_times(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    n = len(load_inventory(SAMPLE).inventory.devices)
    for run in (1, 2):
        proc = _demo(tmp_path, data)
        assert proc.returncode == 0, f"run {run}: " + proc.stdout[-3000:] + proc.stderr[-3000:]
        assert f"{n} ok, 0 failed" in proc.stdout, f"run {run}: " + proc.stdout[-3000:]
        assert "applied" in proc.stdout


@pytest.mark.slow
@pytest.mark.lab
def test_demo_exits_non_zero_when_a_step_fails(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    # a host key on record that the lab's core-dc will not present: its poll fails
    (data / "known_hosts").write_text(
        "core-dc ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJmY2Q0YzQ2ZTk1ZDc5NzI3YjY0MzYwYjYxNTZkNjBk\n"
    )
    proc = _demo(tmp_path, data)
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "demo: " in proc.stderr and "step(s) failed" in proc.stderr
    assert "poll: " in proc.stderr


@pytest.mark.slow
@pytest.mark.lab
def test_demo_polls_every_sample_device_stores_results_and_pushes_the_plan(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = _demo(tmp_path, data)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    inv = load_inventory(SAMPLE).inventory
    hostnames = {d.hostname for d in inv.devices}
    engine = make_engine(f"sqlite:///{data / 'netops.db'}")
    try:
        with session_factory(engine)() as session:
            status = {s.device: s for s in device_status(session)}
            assert set(status) == hostnames
            assert [d for d, s in status.items() if not s.reachable] == []
            # every planned link was seen by LLDP/MNDP from at least one end
            seen = {(n.device, n.local_interface) for n in latest_neighbors(session)}
            for link in inv.links:
                a, b = (link.a.device, link.a.interface), (link.b.device, link.b.interface)
                assert a in seen or b in seen, link
            rates = latest_interface_rates(session)
            assert {dev for dev, _ in rates} == hostnames
            speeds = {(d.hostname, i.name): i.speed_mbps for d in inv.devices for i in d.interfaces}
            for key, rate in rates.items():
                limit_bps = speeds.get(key, 100_000) * 1e6
                assert 0 <= rate.in_bps <= limit_bps and 0 <= rate.out_bps <= limit_bps, key
            pushes = session.scalars(
                select(BandwidthPush).where(BandwidthPush.dry_run.is_(False))
            ).all()
            assert [(p.device, p.result) for p in pushes] == [("core-dc", "applied")]
    finally:
        engine.dispose()
    # the secrets the demo made up stay out of the inventory and out of what it printed
    secrets_text = (data / "demo-secrets.yaml").read_text()
    values = [line.split(":", 1)[1].strip() for line in secrets_text.splitlines() if ":" in line]
    assert values and all(v not in proc.stdout + proc.stderr for v in values)
    stored = b"".join(p.read_bytes() for p in data.glob("netops.db*"))
    assert all(v.encode() not in stored for v in values)
    assert (data / "demo-secrets.yaml").stat().st_mode & 0o077 == 0
    assert (data / "topology.png").stat().st_size > 10_000
