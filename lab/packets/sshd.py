"""OpenSSH inside the core namespace, reached from the host through a relay on 127.0.0.1.

The relay accepts a TCP connection on a loopback port and hands the socket to ``sshd -i`` (inetd
mode) started inside the core namespace, so netops talks to a real sshd over real SSH without any
address outside loopback.  The login is a dedicated account (:data:`USER`) with a random password;
it gets ``CAP_NET_ADMIN`` only through a private copy of ``tc`` (file capability), first in its
``PATH``, so it can change queues and nothing else it could not already do.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from lab.packets.netns import PacketLabError, in_ns, run

USER = "netops-plab"
SSHD = "/usr/sbin/sshd"
HOME = Path("/var/lib/netops-plab")
LLDP_USER = "_lldpd"
LLDPCLI = "/usr/sbin/lldpcli"


@dataclass(frozen=True)
class Account:
    username: str
    password: str


def _user_exists(name: str) -> bool:
    return subprocess.run(["id", "-u", name], capture_output=True).returncode == 0


def ensure_account(lldp_socket: Path | None = None) -> Account:
    """Create (or reuse) the lab account with a fresh random password, its ``tc`` and, with
    ``lldp_socket``, an ``lldpcli`` that talks to the core namespace's own lldpd."""
    if shutil.which("setcap") is None or not Path(SSHD).exists():
        raise PacketLabError("the packet lab needs openssh-server and libcap2-bin (setcap)")
    bin_dir = HOME / "bin"
    if not _user_exists(USER):
        run(
            [
                "useradd",
                "--system",
                "--home-dir",
                str(HOME / "home"),
                "--create-home",
                "--shell",
                "/bin/sh",
                USER,
            ]
        )
    password = secrets.token_urlsafe(18)
    subprocess.run(
        ["chpasswd"], input=f"{USER}:{password}\n", text=True, check=True, capture_output=True
    )
    bin_dir.mkdir(parents=True, exist_ok=True)
    tc = bin_dir / "tc"
    shutil.copy2(shutil.which("tc") or "/usr/sbin/tc", tc)
    run(["setcap", "cap_net_admin+ep", str(tc)])
    if lldp_socket is not None:
        # Debian's lldpcli is setuid _lldpd and runs for group adm only: the account gets a
        # private copy it may run (still setuid _lldpd, so it reaches lldpd's socket) and a
        # wrapper that points it at the core namespace's own lldpd.
        real = bin_dir / "lldpcli.real"
        shutil.copy2(LLDPCLI, real)
        shutil.chown(real, user=LLDP_USER)
        real.chmod(0o4755)
        wrapper = bin_dir / "lldpcli"
        wrapper.write_text(f'#!/bin/sh\nexec {real} -u {lldp_socket} "$@"\n')
        wrapper.chmod(0o755)
    profile = HOME / "home" / ".profile"
    profile.write_text(f'PATH="{bin_dir}:/usr/sbin:/usr/bin:/sbin:/bin"\nexport PATH\n')
    return Account(USER, password)


def remove_account() -> None:
    if _user_exists(USER):
        run(["userdel", "--remove", USER], check=False)
    shutil.rmtree(HOME, ignore_errors=True)


def write_config(lab_dir: Path) -> Path:
    """sshd_config and a host key kept in ``lab_dir`` (the key survives restarts)."""
    lab_dir.mkdir(parents=True, exist_ok=True)
    key = lab_dir / "ssh_host_ed25519_key"
    if not key.exists():
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)])
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    cfg = lab_dir / "sshd_config"
    cfg.write_text(
        "\n".join(
            [
                f"HostKey {key}",
                f"AllowUsers {USER}",
                "PermitRootLogin no",
                "PasswordAuthentication yes",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication no",
                "UsePAM no",
                "PrintMotd no",
                "PrintLastLog no",
                "AllowTcpForwarding no",
                "X11Forwarding no",
                "PidFile none",
                "LogLevel ERROR",
                "",
            ]
        )
    )
    return cfg


class SshRelay:
    """Listen on 127.0.0.1 (ephemeral port); each connection becomes one ``sshd -i`` in ``ns``."""

    def __init__(self, ns: str, config: Path) -> None:
        self.ns = ns
        self.config = config
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._sock.getsockname()[1]
        self._procs: list[subprocess.Popen[bytes]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="packet-lab-ssh", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with conn:
                argv = in_ns(self.ns, SSHD, "-i", "-f", str(self.config))
                proc = subprocess.Popen(
                    argv,
                    stdin=conn.fileno(),
                    stdout=conn.fileno(),
                    stderr=subprocess.DEVNULL,
                    close_fds=True,
                )
            self._procs = [p for p in self._procs if p.poll() is None] + [proc]

    def close(self) -> None:
        self._stop.set()
        self._sock.close()
        for proc in self._procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=5)
        self._thread.join(timeout=5)
