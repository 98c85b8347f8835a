"""Helpers shared by test modules of every component (import as ``from tests.helpers import ...``).

- ``MINI``, ``SAMPLE``: paths of tests/fixtures/mini-inventory.yaml and the sample inventory.yaml.
- ``edit_file(path, old, new)``: replace exactly one occurrence in a file (fails loudly when the
  fixture changed under the test); ``line_of(path, needle)``: 1-based line of the first match.
- ``netmiko_to(lab, hostname, password, **kw)``: an unmodified netmiko session to a lab device
  over real SSH (device type from the lab's inventory); ``send_to(lab, hostname, password,
  *commands)`` runs commands on a fresh session and closes it.
- ``wait_until(probe, done, timeout_s)``: call ``probe`` until ``done(value)`` holds or the deadline
  passes (then an AssertionError with the last value); the bounded replacement for sleeps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
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
