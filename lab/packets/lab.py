"""Build, run and remove a packet lab (root only).

    with PacketLab(inventory, data_dir) as plab:   # up: namespaces, veths, bridge, sshd relay
        plab.endpoints                              # {"core": Endpoint("127.0.0.1", port)}
        plab.secrets                                # the lab account's password, by reference
    # down: every namespace, process and the lab account are gone, also after an exception

``up`` first removes whatever a killed run left (namespaces with the lab's prefix, the account),
so a stale lab never blocks a new one.  SIGTERM during a lab is turned into ``SystemExit`` so the
context manager's cleanup runs.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from types import FrameType, TracebackType

from lab.packets import lldp, netns, sshd
from lab.packets.layout import SERVER, WAN_NET, Layout, layout
from netops.endpoints import Endpoint, save_endpoints
from netops.inventory.schema import Inventory
from netops.secrets import SecretStore

log = logging.getLogger(__name__)

BRIDGE = "br0"


def cleanup_stale() -> list[str]:
    """Remove what any earlier packet lab left; returns the namespaces that were removed."""
    stale = netns.stale_namespaces()
    failed = netns.remove_namespaces(stale)
    if failed:
        raise netns.PacketLabError(f"cannot remove stale namespaces: {', '.join(failed)}")
    sshd.remove_account()
    lldp.stop_all([])  # sockets of lldpds that died with their namespaces
    return stale


def build(lay: Layout) -> None:
    """Namespaces, links, addresses and routes of ``lay`` (no shaping: netops pushes that)."""
    for ns in lay.namespaces:
        netns.add_namespace(ns)
    core, inet, sw = lay.core_ns, lay.inet_ns, lay.sw_ns
    wan_core, wan_inet = list(WAN_NET.hosts())
    netns.veth(core, lay.wan, inet, lay.inet_if)
    netns.address(core, lay.wan, f"{wan_core}/{WAN_NET.prefixlen}")
    netns.address(inet, lay.inet_if, f"{wan_inet}/{WAN_NET.prefixlen}")
    netns.address(inet, "lo", f"{SERVER}/32")
    netns.route(core, "default", "via", str(wan_inet))
    netns.veth(core, lay.lan, sw, lay.sw_uplink)
    for a in lay.agencies:
        netns.veth(a.ns, "eth0", sw, a.port)
        netns.address(a.ns, "eth0", f"{a.address}/{a.subnet.prefixlen}")
        netns.route(a.ns, "default", "via", str(a.gateway))
        netns.address(core, lay.lan, f"{a.gateway}/{a.subnet.prefixlen}")
        netns.route(inet, str(a.subnet), "via", str(wan_core))
    netns.bridge(sw, BRIDGE, [lay.sw_uplink, *(a.port for a in lay.agencies)])
    netns.run(netns.in_ns(core, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"))


LOCK_FILE = Path("/run/lock/netops-packet-lab.lock")
LOCK_TIMEOUT_S = 1200.0
LOCK_HELD_ENV = "NETOPS_PACKET_LAB_LOCKED"


class _MachineLock:
    """One packet lab per machine: its names (namespaces, the account) are machine-wide, so a
    second run waits for the first instead of removing it as stale.  ``flock``: a killed holder
    releases it by dying."""

    def __init__(self, path: Path = LOCK_FILE, timeout_s: float = LOCK_TIMEOUT_S) -> None:
        self.path = path
        self.timeout_s = timeout_s
        self._fd: int | None = None

    def acquire(self) -> None:
        if os.environ.get(LOCK_HELD_ENV) == "1":
            return  # the caller (a test driving several labs in turn) holds it for us
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise netns.PacketLabError(
                        f"another packet lab has held {self.path} for {self.timeout_s:.0f} s"
                    ) from None
                time.sleep(0.5)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def remove_stale() -> list[str]:
    """``netops lab packets down``: wait for any running packet lab, then remove what is left."""
    lock = _MachineLock()
    lock.acquire()
    try:
        return cleanup_stale()
    finally:
        lock.release()


class PacketLab:
    """A running packet lab for ``inventory``; its files (lab map, host key) in ``data_dir``."""

    def __init__(self, inventory: Inventory, data_dir: Path) -> None:
        self.inventory = inventory
        self.data_dir = data_dir
        self.layout = layout(inventory)
        self.endpoints: dict[str, Endpoint] = {}
        self.secrets = SecretStore({}, {})
        self._relay: sshd.SshRelay | None = None
        self._lldpd: list[subprocess.Popen[bytes]] = []
        self._old_term: object = None
        self._lock = _MachineLock()

    @property
    def state_file(self) -> Path:
        return self.data_dir / "packet-lab.json"

    def up(self) -> PacketLab:
        if not netns.is_root():
            raise netns.PacketLabError("the packet lab needs root (network namespaces)")
        self._lock.acquire()
        try:
            removed = cleanup_stale()
        except BaseException:
            self._lock.release()
            raise
        if removed:
            log.warning("removed a stale packet lab: %s", ", ".join(removed))
        if threading.current_thread() is threading.main_thread():
            self._old_term = signal.signal(signal.SIGTERM, _exit_on_term)
        try:
            build(self.layout)
            self._lldpd = lldp.start_all(self.layout)
            account = sshd.ensure_account(lldp.socket_path(self.layout.core_ns))
            cfg = sshd.write_config(self.data_dir / "packet-lab")
            self._relay = sshd.SshRelay(self.layout.core_ns, cfg)
            self.endpoints = {self.layout.shaper: Endpoint("127.0.0.1", self._relay.port)}
            refs = {c.password_ref for c in self.inventory.credentials}
            self.secrets = SecretStore({}, {ref: account.password for ref in refs})
            save_endpoints(self.data_dir / "packet-lab-map.json", self.endpoints)
            self.state_file.write_text(
                json.dumps(
                    {"namespaces": list(self.layout.namespaces), "ssh_port": self._relay.port}
                )
            )
        except BaseException:
            self.down()
            raise
        return self

    def down(self) -> None:
        """Remove everything; safe to call twice and after a failed ``up``."""
        if self._relay is not None:
            self._relay.close()
            self._relay = None
        lldp.stop_all(self._lldpd)
        self._lldpd = []
        failed = netns.remove_namespaces(
            [n for n in self.layout.namespaces if n in netns.namespaces()]
        )
        sshd.remove_account()
        self.state_file.unlink(missing_ok=True)
        (self.data_dir / "packet-lab-map.json").unlink(missing_ok=True)
        if self._old_term is not None:
            signal.signal(signal.SIGTERM, self._old_term)  # type: ignore[arg-type]
            self._old_term = None
        self._lock.release()
        if failed:
            raise netns.PacketLabError(f"cannot remove namespaces: {', '.join(failed)}")

    def __enter__(self) -> PacketLab:
        return self.up()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.down()


def _exit_on_term(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)
