"""The ``tc`` command line: option and object parsing, and the ``show`` output of iproute2 6.1.

``tc [-s] [-d] qdisc|class|filter show dev X`` prints what :mod:`lab.linux.tc` holds, with byte
counters from the traffic ledger (``Sent N bytes M pkt``) and a rate estimate line
(``rate 12Mbit 2143pps backlog 0b 0p requeues 0``, as with HTB rate estimators enabled).
"""

from __future__ import annotations

import shlex

from lab.linux.tc import DeviceTc, TcConfig, TcError
from lab.linux.units import format_handle, format_rate, format_size
from lab.state import MEAN_PACKET_OCTETS

OBJECTS = ("qdisc", "class", "filter")
VERBS = ("add", "del", "delete", "change", "replace", "show", "list", "ls", "link")
DEFAULT_QDISC = (
    "qdisc fq_codel 0: root refcnt 2 limit 10240p flows 1024 quantum 1514 target 5ms "
    "interval 100ms memory_limit 32Mb ecn drop_batch 64 "
)
USAGE = (
    "Usage: tc [ OPTIONS ] OBJECT { COMMAND | help }\n"
    "       tc [-force] -batch filename\n"
    "where  OBJECT := { qdisc | class | filter | chain |\n"
    "                    action | monitor | exec }\n"
    "       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[aw] |\n"
    "                    -o[neline] | -j[son] | -p[retty] | -c[olor]\n"
    "                    -b[atch] [filename] | -n[etns] name | -N[umeric] |\n"
    "                     -nm | -nam[es] | { -cf | -conf } path }"
)


def _matches(word: str, full: str) -> bool:
    return bool(word) and full.startswith(word)


def run(config: TcConfig, argv: list[str]) -> str:
    """Output of ``tc <argv>``; errors come back as tc's own text."""
    stats = False
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        opt = argv[i].lstrip("-")
        if _matches(opt, "statistics"):
            stats = True
        elif not any(_matches(opt, o) for o in ("details", "iec", "pretty", "raw", "oneline")):
            return f'Option "{argv[i]}" is unknown, try "tc -help".'
        i += 1
    if i >= len(argv):
        return USAGE
    obj = next((o for o in OBJECTS if _matches(argv[i], o)), None)
    if obj is None:
        return f'Object "{argv[i]}" is unknown, try "tc help".'
    rest = argv[i + 1 :]
    verb = rest[0] if rest else "show"
    if verb in ("list", "ls", "lst"):
        verb = "show"
    if verb not in VERBS:
        return f'Command "{verb}" is unknown, try "tc {obj} help".'
    args = rest[1:]
    try:
        if verb == "show":
            return show(config, obj, args, stats=stats)
        if obj == "qdisc":
            return config.qdisc(verb, args)
        if obj == "class":
            return config.klass(verb, args)
        return config.filter(verb, args)
    except TcError as exc:
        return str(exc)


def run_batch(config: TcConfig, lines: list[str]) -> str:
    """``tc -batch -`` fed ``lines``: each line is one tc command without the ``tc``; the first
    refused line stops the batch (``Command failed -:N``), as tc does without ``-force``."""
    for n, line in enumerate(lines, 1):
        try:
            argv = shlex.split(line)
        except ValueError:
            return f'Command line is not complete. Try option "help"\nCommand failed -:{n}'
        if not argv:
            continue
        out = run(config, argv)
        shows = len(argv) < 2 or argv[1] in ("show", "list", "ls", "lst")
        if out and not shows:
            return f"{out}\nCommand failed -:{n}"
    return ""


def show(config: TcConfig, obj: str, args: list[str], *, stats: bool) -> str:
    dev_name = ""
    if "dev" in args and args.index("dev") + 1 < len(args):
        dev_name = args[args.index("dev") + 1]
    elif args and args[0] not in ("dev", "root", "parent"):
        dev_name = args[0]
    names = [dev_name] if dev_name else list(config.devices)
    out: list[str] = []
    for name in names:
        dev = config.device(name)
        if obj == "qdisc":
            out.extend(_qdisc_lines(config, name, dev, stats=stats))
        elif obj == "class":
            out.extend(_class_lines(config, dev, stats=stats))
        else:
            out.extend(_filter_lines(dev))
    return "\n".join(out)


def _qdisc_lines(config: TcConfig, name: str, dev: DeviceTc, *, stats: bool) -> list[str]:
    iface = config.state.interfaces[name]
    if dev.root is None:
        lines = [DEFAULT_QDISC + ("" if stats else "")]
    else:
        default = f"{dev.root.default_minor:#x}" if dev.root.default_minor else "0"
        lines = [
            f"qdisc htb {dev.root.handle:x}: root refcnt 2 r2q {dev.root.r2q} default {default} "
            "direct_packets_stat 0 direct_qlen 1000"
        ]
    if stats:
        c = config.state.counters(name)
        lines.append(
            f" Sent {c.out_octets} bytes {c.out_packets} pkt (dropped 0, overlimits 0 requeues 0) "
        )
        lines.append(" backlog 0b 0p requeues 0")
    for parent, text in sorted(dev.leaves.items()):
        kind, _, params = text.partition(" ")
        handle = f"{parent[1]:x}:"
        lines.append(f"qdisc {kind} {handle} parent {format_handle(*parent)} {params}".rstrip())
        if stats:
            lines.append(" Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0) ")
            lines.append(" backlog 0b 0p requeues 0")
    del iface
    return lines


def _class_lines(config: TcConfig, dev: DeviceTc, *, stats: bool) -> list[str]:
    lines: list[str] = []
    parents = {c.parent for c in dev.classes.values()}
    for cid in sorted(dev.classes):
        cls = dev.classes[cid]
        where = "root" if cls.parent is None else f"parent {format_handle(*cls.parent)}"
        leaf = f" leaf {cid[1]:x}:" if cid in dev.leaves else ""
        prio = f" prio {cls.prio}" if cid not in parents else ""
        lines.append(
            f"class htb {format_handle(*cid)} {where}{leaf}{prio} rate {format_rate(cls.rate_bps)} "
            f"ceil {format_rate(cls.ceil_bps)} burst {format_size(cls.burst_b)} "
            f"cburst {format_size(cls.cburst_b)} "
        )
        if stats:
            octets, rate = config.class_octets(dev, cls)
            packets = octets // MEAN_PACKET_OCTETS
            pps = int(rate / 8 / MEAN_PACKET_OCTETS)
            lines += [
                f" Sent {octets} bytes {packets} pkt (dropped 0, overlimits 0 requeues 0) ",
                f" rate {format_rate(rate)} {pps}pps backlog 0b 0p requeues 0 ",
                f" lended: {packets} borrowed: 0 giants: 0",
                f" tokens: {cls.burst_b * 125} ctokens: {cls.cburst_b * 125}",
                "",
            ]
    return lines


def _filter_lines(dev: DeviceTc) -> list[str]:
    lines: list[str] = []
    for pref in sorted({f.pref for f in dev.filters}):
        group = [f for f in dev.filters if f.pref == pref]
        table = 0x800 + sorted({f.pref for f in dev.filters}).index(pref)
        head = group[0]
        base = f"filter parent {head.parent:x}: protocol {head.protocol} pref {pref} u32 chain 0"
        lines.append(base + " ")
        lines.append(f"{base} fh {table:x}: ht divisor 1 ")
        for f in group:
            lines.append(
                f"{base} fh {table:x}::{f.node:x} order {f.node} key ht {table:x} bkt 0 "
                f"flowid {format_handle(*f.flowid)} not_in_hw "
            )
            for what, net in f.matches:
                if isinstance(net, str):
                    continue
                offset = 16 if what == "dst" else 12
                addr = int(net.network_address)
                mask = int(net.netmask)
                lines.append(f"  match {addr:08x}/{mask:08x} at {offset}")
    return lines
