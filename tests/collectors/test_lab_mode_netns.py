"""Lab mode sends nothing off loopback, proven at the system-call level.

The lab and the poll run inside a fresh network namespace with no route out (``unshare -n``,
only ``lo`` up), under ``strace -f -e trace=connect``: every ``connect()`` any of the processes
attempts is recorded, and none may name an address outside 127.0.0.0/8.  The scenario is the
two ways credentials used to leave the lab: a device the lab map does not name (added after
``lab up``) and a poll started from another directory than the inventory's.  No NETOPS_*
variable is set: this is the default, not ``loopback_only``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import MINI, ROOT

pytestmark = [
    pytest.mark.lab,
    pytest.mark.skipif(os.geteuid() != 0, reason="unshare -n needs root"),
    pytest.mark.skipif(shutil.which("strace") is None, reason="strace not installed (.ci/run)"),
]

# connect(5, {sa_family=AF_INET, sin_port=htons(22), sin_addr=inet_addr("10.255.0.1")}, 16) = ...
_INET = re.compile(r'sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("([\d.]+)"\)')
_INET6 = re.compile(
    r'sa_family=AF_INET6, sin6_port=htons\((\d+)\).*?inet_pton\(AF_INET6, "([^"]+)"'
)


def _run_in_netns(script: str, cwd: Path, env: dict[str, str], trace: Path) -> str:
    file = cwd / "scenario.sh"
    file.write_text(script + "\n")
    cmd = [
        "unshare",
        "-n",
        "sh",
        "-c",
        f"ip link set lo up && exec strace -f -qq -e trace=connect -o {trace} sh {file}",
    ]
    done = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    return done.stdout + done.stderr


def _off_loopback(trace: Path) -> list[str]:
    bad = []
    for line in trace.read_text().splitlines():
        for _port, addr in _INET.findall(line):
            if not addr.startswith("127."):
                bad.append(line)
        for _port, addr in _INET6.findall(line):
            if addr not in ("::1", "::ffff:127.0.0.1"):
                bad.append(line)
    return bad


def test_lab_mode_never_connects_off_loopback_for_unmapped_device_or_poll_from_elsewhere(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    elsewhere = tmp_path / "elsewhere"
    site.mkdir()
    elsewhere.mkdir()
    inventory = site / "inventory.yaml"
    shutil.copy(MINI, inventory)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETOPS_")}
    env.update(
        PYTHONPATH=str(ROOT),
        NETOPS_LAB_PASSWORD="lab-" + secrets.token_urlsafe(12),
        NETOPS_DEVICE_TIMEOUT_S="5",
    )
    py = f"{sys.executable} -m netops.cli.main"
    lab_map = site / ".netops" / "lab-map.json"
    # `lab up` from the inventory's directory; rsud-gw then dropped from the map, as if it had
    # been added to the inventory after the lab started; the poll runs from another directory.
    script = (
        f"cd {site} && {py} lab up -i inventory.yaml > {tmp_path}/up.out 2>&1; "
        f"{sys.executable} -c \"import json,pathlib; p=pathlib.Path('{lab_map}'); "
        "m=json.loads(p.read_text()); m['devices'].pop('rsud-gw'); "
        'p.write_text(json.dumps(m))"; '
        f"cd {elsewhere} && {py} poll once --what facts -i {inventory} > {tmp_path}/poll.out 2>&1;"
        f" echo rc=$? >> {tmp_path}/poll.out; "
        f"{py} lab down -i {inventory} > {tmp_path}/down.out 2>&1"
    )
    trace = tmp_path / "connect.trace"
    out = _run_in_netns(script, tmp_path, env, trace)
    poll = (tmp_path / "poll.out").read_text()
    up = (tmp_path / "up.out").read_text()
    assert "lab running" in up, up + out
    assert not (elsewhere / ".netops").exists()
    rows = {ln.split()[0]: ln for ln in poll.splitlines() if ln.split()}
    for name in ("core1", "dist1", "ptp-utara"):
        assert " ok " in rows[name], poll
    assert "not in the lab connection map" in rows["rsud-gw"], poll
    assert "rc=1" in poll
    assert "lab stopped" in (tmp_path / "down.out").read_text()
    connects = trace.read_text()
    assert "127.0.0.1" in connects, "strace recorded the lab connections"
    assert _off_loopback(trace) == []


def test_poll_without_a_lab_map_is_refused_with_no_packet(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.yaml"
    shutil.copy(MINI, inventory)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETOPS_")}
    env.update(PYTHONPATH=str(ROOT), NETOPS_LAB_PASSWORD="x", NETOPS_DEVICE_TIMEOUT_S="5")
    trace = tmp_path / "connect.trace"
    script = (
        f"{sys.executable} -m netops.cli.main poll once -i {inventory} > {tmp_path}/poll.out 2>&1;"
        f" echo rc=$? >> {tmp_path}/poll.out"
    )
    _run_in_netns(script, tmp_path, env, trace)
    poll = (tmp_path / "poll.out").read_text()
    assert "lab mode: no lab connection map" in poll and "--real-network" in poll
    assert "rc=1" in poll
    assert "Traceback" not in poll
    assert _off_loopback(trace) == []
    assert json.dumps(_INET.findall(trace.read_text())) == "[]"
