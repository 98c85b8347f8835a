"""The Linux (Debian 12) personality: a small bash with the network tools a router box has.

Commands: ``hostname``, ``uname [-a|-r|-n|-s]``, ``cat`` of ``/proc/uptime``, ``/etc/hostname``,
``/etc/os-release``, ``/proc/net/dev`` and ``/sys/class/net/<if>/...``, ``ip``
(:mod:`lab.linux.iproute`), ``tc`` (:mod:`lab.linux.tc`), ``lldpcli``/``lldpctl``, ``echo``,
``whoami``, ``id``, ``pwd``, ``date``, ``uptime``, ``sudo CMD`` and ``sudo -s`` (no password:
the netops account has NOPASSWD sudo), ``exit``/``logout``, and pipes into ``grep [-i] [-v]``,
``head [-n N]``, ``tail [-n N]`` and ``wc -l``.  ``tc`` changes work with or without ``sudo``
(the lab's netops account holds CAP_NET_ADMIN); ``ip link set`` needs root, as on Debian.
Unknown commands answer ``bash: foo: command not found``.
"""

from __future__ import annotations

import re
import shlex
import time

from lab.linux import lldp
from lab.linux.iproute import IpCommand
from lab.linux.tc import TcConfig
from lab.linux.tc_cli import run as run_tc
from lab.linux.tc_cli import run_batch as run_tc_batch
from lab.personalities import register
from lab.personality import Personality, SessionContext
from lab.state import DeviceState, ShapingCap

KERNEL_BUILD = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.106-3 (2024-08-26)"
OS_RELEASE = """PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/\""""
BANNER = """
The programs included with the Debian GNU/Linux system are free software;
the exact distribution terms for each program are described in the
individual files in /usr/share/doc/*/copyright.

Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent
permitted by applicable law.
"""
SYS_FILES = {
    "statistics/rx_bytes": lambda c, i: c.in_octets,
    "statistics/tx_bytes": lambda c, i: c.out_octets,
    "statistics/rx_packets": lambda c, i: c.in_packets,
    "statistics/tx_packets": lambda c, i: c.out_packets,
    "statistics/rx_errors": lambda c, i: c.in_errors,
    "statistics/tx_errors": lambda c, i: c.out_errors,
    "statistics/rx_dropped": lambda c, i: c.in_discards,
    "statistics/tx_dropped": lambda c, i: c.out_discards,
    "speed": lambda c, i: int(i.speed_mbps) if i.oper_up else -1,
    "operstate": lambda c, i: "up" if i.oper_up else "down",
    "address": lambda c, i: i.mac,
    "mtu": lambda c, i: i.mtu,
    "carrier": lambda c, i: 1 if i.oper_up else 0,
}


@register
class LinuxPersonality(Personality):
    """A Debian router (``linux``)."""

    platform = "linux"

    def __init__(self, state: DeviceState) -> None:
        super().__init__(state)
        self.tc = TcConfig(state)
        self.ip = IpCommand(state, self._qdisc_name)

    def _qdisc_name(self, name: str) -> str:
        return "htb" if self.tc.devices[name].root is not None else "fq_codel"

    def new_session(self, username: str, login_options: str = "") -> SessionContext:
        session = SessionContext(username=username, login_options=login_options, mode="shell")
        session.scratch["root"] = username == "root"
        return session

    def banner(self) -> str:
        return BANNER

    def prompt(self, session: SessionContext) -> str:
        host = self.state.hostname
        if session.scratch.get("root"):
            where = "~" if session.username == "root" else f"/home/{session.username}"
            return f"root@{host}:{where}# "
        return f"{session.username}@{host}:~$ "

    def shaping_caps(self) -> list[ShapingCap]:
        return self.tc.shaping_caps()

    # -- the shell -------------------------------------------------------------------------
    def handle(self, line: str, session: SessionContext) -> str:
        stages = _split_pipes(line)
        if stages is None:
            return "bash: syntax error near unexpected token `|'"
        if not stages or not stages[0].strip():
            return ""
        try:
            argv = shlex.split(stages[0])
        except ValueError:
            return "bash: unexpected EOF while looking for matching `\"'"
        batch = _tc_batch(argv, stages[1:])
        if batch is not None:
            return run_tc_batch(self.tc, batch)
        out = self._command(argv, session)
        for stage in stages[1:]:
            try:
                filt = shlex.split(stage)
            except ValueError:
                return "bash: unexpected EOF while looking for matching `\"'"
            out = _filter(filt, out)
        return out

    def _command(self, argv: list[str], session: SessionContext) -> str:
        if not argv:
            return ""
        root = bool(session.scratch.get("root"))
        if argv[0] == "sudo":
            args = [a for a in argv[1:] if a not in ("-n", "-E", "-H")]
            if not args or args in (["-s"], ["-i"], ["su"], ["su", "-"], ["bash"]):
                session.scratch["root"] = True
                return ""
            return self._command(args, _RootView(session))
        name, args = argv[0], argv[1:]
        if name in ("exit", "logout"):
            if root and session.username != "root":
                session.scratch["root"] = False
                return ""
            session.closed = True
            return "logout" if name == "logout" else ""
        if name == "hostname":
            return self.state.hostname
        if name == "uname":
            return self._uname(args)
        if name == "cat":
            return "\n".join(self._cat(path) for path in args)
        if name == "ip":
            return self.ip.run(args, root=root or isinstance(session, _RootView))
        if name in ("tc", "/sbin/tc", "/usr/sbin/tc"):
            return run_tc(self.tc, args)
        if name in ("lldpcli", "lldpctl"):
            return lldp.run(self.state, args)
        if name == "echo":
            return " ".join(args)
        if name == "whoami":
            return "root" if root or isinstance(session, _RootView) else session.username
        if name == "id":
            if root or isinstance(session, _RootView):
                return "uid=0(root) gid=0(root) groups=0(root)"
            u = session.username
            return f"uid=1000({u}) gid=1000({u}) groups=1000({u}),27(sudo)"
        if name == "pwd":
            return "/root" if session.username == "root" else f"/home/{session.username}"
        if name == "date":
            return time.strftime(
                "%a %b %d %H:%M:%S WITA %Y", time.gmtime(self.state.now_s() + 8 * 3600)
            )
        if name == "uptime":
            up = self.state.uptime_s()
            hours, minutes = int(up % 86400 // 3600), int(up % 3600 // 60)
            return (
                f" up {int(up // 86400)} days, {hours}:{minutes:02d},  1 user,  "
                "load average: 0.04, 0.03, 0.00"
            )
        if name in ("true", ":", "cd", "clear", "export", "unset", "stty"):
            return ""
        return f"bash: {name}: command not found"

    def _uname(self, args: list[str]) -> str:
        kernel = self.state.os_version
        parts = {
            "-s": "Linux",
            "-n": self.state.hostname,
            "-r": kernel,
            "-v": KERNEL_BUILD,
            "-m": "x86_64",
            "-o": "GNU/Linux",
        }
        if not args:
            return "Linux"
        if args == ["-a"] or args == ["--all"]:
            return f"Linux {self.state.hostname} {kernel} {KERNEL_BUILD} x86_64 GNU/Linux"
        out = []
        for a in args:
            if a not in parts:
                return (
                    f"uname: invalid option -- '{a.lstrip('-')}'\n"
                    "Try 'uname --help' for more information."
                )
            out.append(parts[a])
        return " ".join(out)

    def _cat(self, path: str) -> str:
        if path == "/proc/uptime":
            up = self.state.uptime_s()
            return f"{up:.2f} {up * 1.9:.2f}"
        if path == "/etc/hostname":
            return self.state.hostname
        if path == "/etc/os-release":
            return OS_RELEASE
        if path == "/proc/net/dev":
            return self._proc_net_dev()
        m = re.fullmatch(r"/sys/class/net/([^/]+)/(.+)", path)
        if m and m.group(1) in self.state.interfaces and m.group(2) in SYS_FILES:
            iface = self.state.interfaces[m.group(1)]
            counters = self.state.counters(iface.name)
            return str(SYS_FILES[m.group(2)](counters, iface))
        return f"cat: {path}: No such file or directory"

    def _proc_net_dev(self) -> str:
        self.state.sync()
        lines = [
            "Inter-|   Receive                                                |  Transmit",
            " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets "
            "errs drop fifo colls carrier compressed",
            "    lo:       0       0    0    0    0     0          0         0        0       0 "
            "   0    0    0     0       0          0",
        ]
        for name, iface in self.state.interfaces.items():
            c = iface.counters()
            lines.append(
                f"{name:>6}: {c.in_octets:>8} {c.in_packets:>7} {c.in_errors:>4} {c.in_discards:>4}"
                f"    0     0          0 {c.in_multicast:>9} {c.out_octets:>8} {c.out_packets:>7}"
                f" {c.out_errors:>4} {c.out_discards:>4}    0     0       0          0"
            )
        return "\n".join(lines)


class _RootView(SessionContext):
    """The session as seen by one ``sudo`` command: same user, root rights."""

    def __init__(self, session: SessionContext) -> None:
        super().__init__(username=session.username, mode=session.mode)
        self.scratch = session.scratch
        self._session = session

    def __setattr__(self, key: str, value: object) -> None:
        if key == "closed" and hasattr(self, "_session"):
            return  # "sudo exit" does not end the login shell
        super().__setattr__(key, value)


def _tc_batch(argv: list[str], rest: list[str]) -> list[str] | None:
    """The lines of ``printf '%s\\n' LINE... | tc -batch -`` (netops' atomic tc push), else None."""
    if argv[:2] != ["printf", "%s\\n"] or len(rest) != 1:
        return None
    try:
        tc = shlex.split(rest[0])
    except ValueError:
        return None
    if tc[:1] not in (["tc"], ["/sbin/tc"], ["/usr/sbin/tc"]) or tc[1:] != ["-batch", "-"]:
        return None
    return argv[2:]


def _split_pipes(line: str) -> list[str] | None:
    """Split on unquoted ``|``; None for an empty stage (``a | | b``)."""
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    for ch in line:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            current.append(ch)
        elif ch == "|":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    if len(parts) > 1 and any(not p.strip() for p in parts):
        return None
    return parts


def _filter(argv: list[str], text: str) -> str:
    lines = text.split("\n") if text else []
    if not argv:
        return text
    name, args = argv[0], argv[1:]
    if name in ("grep", "egrep"):
        flags = {a for a in args if a.startswith("-")}
        patterns = [a for a in args if not a.startswith("-")]
        if not patterns:
            return "Usage: grep [OPTION]... PATTERNS [FILE]..."
        try:
            rx = re.compile(patterns[0], re.IGNORECASE if "-i" in flags else 0)
        except re.error:
            return "grep: Unmatched ( or \\("
        invert = "-v" in flags
        return "\n".join(ln for ln in lines if (rx.search(ln) is not None) != invert)
    if name in ("head", "tail"):
        count = 10
        if len(args) >= 2 and args[0] == "-n" and args[1].isdigit():
            count = int(args[1])
        elif args and re.fullmatch(r"-\d+", args[0]):
            count = int(args[0][1:])
        return "\n".join(lines[:count] if name == "head" else lines[-count:])
    if name == "wc" and args == ["-l"]:
        return str(len(lines))
    return f"bash: {name}: command not found"
