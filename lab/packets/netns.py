"""Thin wrappers over ``ip``: namespaces, veth pairs, addresses, routes.  Root only.

Every name this module creates starts with :data:`PREFIX` so that a stale lab left by a killed run
can be found and removed (:func:`stale_namespaces`, :func:`remove_namespaces`).  Nothing here adds
an address or a route on the host's own namespace: traffic can only flow between the namespaces.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

from netops.errors import NetopsError

PREFIX = "nxp-"
IP = "ip"


class PacketLabError(NetopsError):
    """The packet lab could not be built, run or removed (the message names the step)."""


def is_root() -> bool:
    return os.geteuid() == 0


def run(argv: Sequence[str], *, check: bool = True, timeout_s: float = 20.0) -> str:
    """Run a command, return its stdout; :class:`PacketLabError` naming it when it fails."""
    try:
        done = subprocess.run(
            list(argv), capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PacketLabError(f"{' '.join(argv)}: {exc}") from None
    if check and done.returncode != 0:
        raise PacketLabError(f"{' '.join(argv)}: {done.stderr.strip() or done.returncode}")
    return done.stdout


def in_ns(ns: str, *argv: str) -> list[str]:
    """``argv`` run inside namespace ``ns``."""
    return [IP, "netns", "exec", ns, *argv]


def namespaces() -> list[str]:
    out = run([IP, "netns", "list"], check=False)
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def stale_namespaces() -> list[str]:
    """Namespaces of a packet lab (any run) that still exist."""
    return [n for n in namespaces() if n.startswith(PREFIX)]


def add_namespace(ns: str) -> None:
    run([IP, "netns", "add", ns])
    run(in_ns(ns, IP, "link", "set", "lo", "up"))


def remove_namespaces(names: Sequence[str]) -> list[str]:
    """Delete the namespaces (their veths go with them); returns the ones that failed."""
    failed = []
    for ns in names:
        # processes inside keep a namespace alive: end them first
        pids = run([IP, "netns", "pids", ns], check=False).split()
        for pid in pids:
            try:
                os.kill(int(pid), 9)
            except (ProcessLookupError, ValueError):
                pass
        if subprocess.run([IP, "netns", "del", ns], capture_output=True).returncode != 0:
            failed.append(ns)
    return failed


def veth(ns_a: str, name_a: str, ns_b: str, name_b: str) -> None:
    """A veth pair made directly inside the two namespaces (never in the host's), both ends up,
    offloads off so that HTB sees ordinary frames (LAB-NOTES)."""
    run([IP, "link", "add", name_a, "netns", ns_a, "type", "veth", "peer", name_b, "netns", ns_b])
    for ns, name in ((ns_a, name_a), (ns_b, name_b)):
        run(in_ns(ns, IP, "link", "set", name, "up"))
        run(in_ns(ns, "ethtool", "-K", name, "tso", "off", "gso", "off", "gro", "off"), check=False)


def bridge(ns: str, name: str, ports: Sequence[str]) -> None:
    run(in_ns(ns, IP, "link", "add", name, "type", "bridge"))
    for port in ports:
        run(in_ns(ns, IP, "link", "set", port, "master", name))
    run(in_ns(ns, IP, "link", "set", name, "up"))


def address(ns: str, dev: str, cidr: str) -> None:
    run(in_ns(ns, IP, "addr", "add", cidr, "dev", dev))


def route(ns: str, *spec: str) -> None:
    run(in_ns(ns, IP, "route", "add", *spec))


def routes(ns: str) -> list[str]:
    return run(in_ns(ns, IP, "-4", "route", "show")).splitlines()
