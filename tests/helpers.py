"""Helpers shared by test modules of every component (import as ``from tests.helpers import ...``).

- ``MINI``, ``SAMPLE``: paths of tests/fixtures/mini-inventory.yaml and the sample inventory.yaml.
- ``edit_file(path, old, new)``: replace exactly one occurrence in a file (fails loudly when the
  fixture changed under the test); ``line_of(path, needle)``: 1-based line of the first match.
- ``netmiko_to(lab, hostname, password, **kw)``: an unmodified netmiko session to a lab device
  over real SSH (device type from the lab's inventory); ``send_to(lab, hostname, password,
  *commands)`` runs commands on a fresh session and closes it.
- ``SteadyTraffic``: a lab traffic model at fixed rates, for personality tests on a
  ``lab.state.ManualClock`` (counters then move by hand-computable amounts).
- ``golden_folders_match(golden, cases)``: problems with a golden folder layout (a folder with no
  case, a case with no folder, a folder with no origin in SOURCE.md).
- ``send_text(conn, command)``: ``conn.send_command`` that must return text.
- ``wait_until(probe, done, timeout_s)``: call ``probe`` until ``done(value)`` holds or the deadline
  passes (then an AssertionError with the last value); the bounded replacement for sleeps.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini-inventory.yaml"
SAMPLE = ROOT / "inventory.yaml"

T = TypeVar("T")


def edit_file(path: Path, old: str, new: str) -> None:
    """Replace the single occurrence of ``old`` in ``path`` by ``new``."""
    text = path.read_text(encoding="utf-8")
    count = text.count(old)
    assert count == 1, f"{old!r} occurs {count} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of ``path`` containing ``needle``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def netmiko_to(lab: Any, hostname: str, password: str, **kw: Any) -> Any:
    """A netmiko session to ``hostname`` in ``lab`` as user ``netops`` (secret = password)."""
    from netmiko import ConnectHandler

    ep = lab.endpoints[hostname]
    kw.setdefault("device_type", str(lab.state(hostname).platform))
    kw.setdefault("secret", password)
    return ConnectHandler(host=ep.host, port=ep.port, username="netops", password=password, **kw)


def send_to(lab: Any, hostname: str, password: str, *commands: str, **kw: Any) -> list[str]:
    """Outputs of ``commands`` sent in one fresh netmiko session to ``hostname``."""
    conn = netmiko_to(lab, hostname, password, **kw)
    try:
        return [conn.send_command(c) for c in commands]
    finally:
        conn.disconnect()


def wait_until(
    probe: Callable[[], T], done: Callable[[T], bool], timeout_s: float = 15.0, every_s: float = 0.1
) -> T:
    """``probe()`` repeated until ``done`` accepts its value; AssertionError after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    value = probe()
    while not done(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_s} s; last value {value!r}")
        time.sleep(every_s)
        value = probe()
    return value


def send_text(conn: Any, command: str) -> str:
    """``conn.send_command(command)``, asserted to be text (netmiko returns parsed data when a
    TextFSM template is asked for)."""
    out = conn.send_command(command)
    assert isinstance(out, str)
    return out


class SteadyTraffic:
    """Lab traffic at fixed rates: 10 Mbit/s down and 2 Mbit/s up per agency subnet, and 8 Mbit/s
    each way on every interface (the lab's traffic protocol, see ``lab.state``)."""

    def interface_rates_bps(self, hostname: str, interface: str, t_s: float) -> tuple[float, float]:
        return (8e6, 8e6)

    def subnet_rate_bps(self, hostname: str, subnet: Any, direction: str, t_s: float) -> float:
        return 10e6 if direction == "down" else 2e6


def golden_folders_match(golden: Path, cases: Iterable[str], source_line: str = "{}") -> list[str]:
    """What is wrong with ``golden``'s layout: each sub-folder must be one of ``cases`` (and the
    other way round) and be named in ``golden/SOURCE.md`` as ``source_line.format(folder)``."""
    folders = {p.name for p in golden.iterdir() if p.is_dir()}
    wanted = set(cases)
    problems = [f"{f}: folder without a case" for f in sorted(folders - wanted)]
    problems += [f"{c}: case without a folder" for c in sorted(wanted - folders)]
    source = (golden / "SOURCE.md").read_text(encoding="utf-8")
    problems += [
        f"{f}: no origin in SOURCE.md"
        for f in sorted(folders)
        if source_line.format(f) not in source
    ]
    return problems


def parsed_real_and_simulated(
    golden: Path, folder: str, parse: Callable[[str], list[dict[str, Any]]], simulated: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every record of ``golden/folder/real*`` and of the simulator's output, parsed by the same
    ``parse``; asserts that each real sample and the simulator's output give records."""
    reals = [parse(p.read_text(encoding="utf-8")) for p in sorted((golden / folder).glob("real*"))]
    assert reals and all(reals), f"{folder}: a real sample does not parse"
    sim = parse(simulated)
    assert sim, f"{folder}: simulator output gave no records:\n{simulated}"
    return [r for records in reals for r in records], sim
