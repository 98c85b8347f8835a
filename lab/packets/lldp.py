"""lldpd in every namespace of the packet lab, so the collectors discover its topology for real.

Namespaces share the host name and ``/run``, so each lldpd gets its own control socket (``-u``)
and a configured system name (``-O`` with a config file of lldpcli commands); it runs in the
foreground (``-d``: no pid file to collide on) and announces every second so that a neighbour
appears, and a cut one ages out, within seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from lab.packets.layout import Layout
from lab.packets.netns import PacketLabError, in_ns, run

RUN_DIR = Path("/run/netops-plab")
LLDPD = "/usr/sbin/lldpd"
LLDPCLI = "/usr/sbin/lldpcli"
START_TIMEOUT_S = 10.0
SILENT_PATTERN = "nxp-none"
TX_INTERVAL_S = 1


def socket_path(ns: str) -> Path:
    return RUN_DIR / f"{ns}.socket"


def start_all(lay: Layout) -> list[subprocess.Popen[bytes]]:
    """One lldpd per namespace, announcing the namespace's host name."""
    if not Path(LLDPD).exists():
        raise PacketLabError("the packet lab needs lldpd (Debian package lldpd)")
    RUN_DIR.mkdir(mode=0o755, exist_ok=True)
    Path("/run/lldpd").mkdir(mode=0o755, exist_ok=True)  # lldpd's privilege-separation chroot
    procs = []
    for ns in lay.namespaces:
        sock = socket_path(ns)
        sock.unlink(missing_ok=True)
        # -O names an empty file: no /etc/lldpd.d of the host's applies inside the lab
        # -I matching no interface: nothing is announced before the name and port IDs are set
        # (an early announcement would sit in the neighbours' tables for lldpd's default TTL)
        argv = in_ns(ns, LLDPD, "-d", "-u", str(sock), "-O", os.devnull, "-I", SILENT_PATTERN)
        procs.append(subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    deadline = time.monotonic() + START_TIMEOUT_S
    for ns in lay.namespaces:
        while not socket_path(ns).exists():
            if time.monotonic() > deadline:
                raise PacketLabError(f"lldpd in {ns} did not start")
            time.sleep(0.05)
        _lldpcli(ns, "configure", "system", "hostname", lay.hostname(ns))
        _lldpcli(ns, "configure", "lldp", "tx-interval", str(TX_INTERVAL_S))
        # the port ID is the interface name (lldpd's default is the MAC, the name only in the
        # description), as on routers whose neighbours are matched against planned ports
        _lldpcli(ns, "configure", "lldp", "portidsubtype", "ifname")
        _lldpcli(ns, "configure", "system", "interface", "pattern", "*")
    return procs


def _lldpcli(ns: str, *args: str) -> str:
    return run(in_ns(ns, LLDPCLI, "-u", str(socket_path(ns)), *args))


def stop_all(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
    shutil.rmtree(RUN_DIR, ignore_errors=True)


def neighbours(ns: str) -> str:
    """``lldpcli show neighbors`` of ``ns``'s lldpd (text, for diagnostics)."""
    return _lldpcli(ns, "show", "neighbors")
