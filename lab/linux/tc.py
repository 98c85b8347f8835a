"""``tc`` on a simulated Linux router: HTB qdiscs, classes and u32 filters, per interface.

:class:`TcConfig.run` takes tc's argv (without ``tc``) and returns what tc prints, errors
included (``Error: Exclusivity flag on, cannot modify.``, ``RTNETLINK answers: File exists``,
``Cannot find device "eth9"``).  :meth:`TcConfig.shaping_caps` gives the traffic model one cap per
(filter subnet, direction): ``match ip dst`` is download, ``match ip src`` upload; the class's
``ceil`` is the maximum, ``rate`` the guarantee, tc ``prio`` 0..7 becomes priority 1..8.
Rendering of ``show`` lives in :mod:`lab.linux.tc_show`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from lab.linux.units import parse_handle, parse_rate_bps, parse_size_bytes
from lab.state import DeviceState, Direction, ShapingCap

DEFAULT_BURST_B = 1600
LEAF_QDISCS = ("pfifo", "bfifo", "fq_codel", "sfq", "tbf", "pfifo_fast", "fq", "cake")


class TcError(Exception):
    """A message tc prints and fails with."""


@dataclass
class HtbClass:
    """``classid`` (major, minor); ``parent`` None for a class under the qdisc itself."""

    classid: tuple[int, int]
    parent: tuple[int, int] | None
    rate_bps: int
    ceil_bps: int
    prio: int = 0
    quantum_b: int = 0
    burst_b: int = DEFAULT_BURST_B
    cburst_b: int = DEFAULT_BURST_B
    leaf_qdisc: str = ""
    baseline: dict[str, int] = field(default_factory=dict)
    boot_s: float = 0.0


@dataclass
class U32Filter:
    """One u32 filter: ``matches`` are ("dst"|"src", network) or ("raw", text)."""

    parent: int
    pref: int
    protocol: str
    matches: list[tuple[str, ipaddress.IPv4Network | str]]
    flowid: tuple[int, int]
    node: int = 0x800


@dataclass
class Qdisc:
    handle: int
    default_minor: int = 0
    r2q: int = 10


@dataclass
class DeviceTc:
    """The tc state of one interface; ``root`` None means the distribution's default qdisc."""

    root: Qdisc | None = None
    classes: dict[tuple[int, int], HtbClass] = field(default_factory=dict)
    filters: list[U32Filter] = field(default_factory=list)
    leaves: dict[tuple[int, int], str] = field(default_factory=dict)


def _opts(argv: list[str], start: int) -> dict[str, str]:
    """``key value`` pairs from ``argv[start:]`` (flags like ``root`` map to "")."""
    out: dict[str, str] = {}
    i = start
    while i < len(argv):
        key = argv[i]
        if key in ("root", "ingress", "clsact"):
            out[key] = ""
            i += 1
            continue
        if i + 1 >= len(argv):
            raise TcError('Command line is not complete. Try option "help"')
        out[key] = argv[i + 1]
        i += 2
    return out


class TcConfig:
    """tc state of every interface of one device."""

    def __init__(self, state: DeviceState) -> None:
        self.state = state
        self.devices: dict[str, DeviceTc] = {name: DeviceTc() for name in state.interfaces}

    def device(self, name: str) -> DeviceTc:
        if name not in self.devices:
            raise TcError(f'Cannot find device "{name}"')
        return self.devices[name]

    # -- commands --------------------------------------------------------------------------
    def qdisc(self, verb: str, argv: list[str]) -> str:
        """``qdisc add|replace|change|del dev X root handle 1: htb [default N] [r2q N]``."""
        if "dev" not in argv:
            raise TcError('Cannot find device ""') if verb != "show" else TcError("")
        dev_name = argv[argv.index("dev") + 1] if argv.index("dev") + 1 < len(argv) else ""
        dev = self.device(dev_name)
        kind_at = next((i for i, a in enumerate(argv) if a in ("htb",) + LEAF_QDISCS), None)
        head = _opts(argv, 0) if kind_at is None else _opts(argv[:kind_at], 0)
        if verb in ("del", "delete"):
            if "root" in head:
                if dev.root is None:
                    raise TcError("Error: Cannot delete qdisc with handle of zero.")
                dev.root, dev.classes, dev.filters, dev.leaves = None, {}, [], {}
                self.state.config_changed()
                return ""
            parent = parse_handle(head.get("parent", ""))
            if parent not in dev.leaves:
                raise TcError("Error: Invalid handle.")
            del dev.leaves[parent]
            return ""
        if kind_at is None:
            raise (
                TcError("Error: Qdisc kind is required.")
                if verb != "change"
                else TcError("RTNETLINK answers: No such file or directory")
            )
        kind = argv[kind_at]
        tail = argv[kind_at + 1 :]
        if "root" not in head:
            try:
                parent = parse_handle(head.get("parent", ""))
            except ValueError:
                raise TcError(f'Invalid parent ID "{head.get("parent", "")}"') from None
            if parent not in dev.classes:
                raise TcError("Error: Failed to find specified class.")
            dev.leaves[parent] = " ".join([kind, *tail])
            return ""
        if kind != "htb":
            raise TcError(f'Error: root qdisc "{kind}" is not supported on this router, use htb.')
        handle = parse_handle(head.get("handle", "1:"))[0] or 1
        options = _opts(tail, 0)
        try:
            default = int(options.get("default", "0"), 16)
            r2q = int(options.get("r2q", "10"))
        except ValueError:
            raise TcError('Error: HTB: illegal value for "default" or "r2q"') from None
        unknown = set(options) - {"default", "r2q", "direct_qlen", "offload"}
        if unknown:
            raise TcError(
                f'What is "{sorted(unknown)[0]}"?\nUsage: ... qdisc add ... htb [default N]'
            )
        if verb == "add" and dev.root is not None:
            raise TcError("Error: Exclusivity flag on, cannot modify.")
        if verb == "change" and dev.root is None:
            raise TcError("RTNETLINK answers: No such file or directory")
        if dev.root is None or dev.root.handle != handle:
            dev.classes, dev.filters, dev.leaves = {}, [], {}
        dev.root = Qdisc(handle=handle, default_minor=default, r2q=r2q)
        self.state.config_changed()
        return ""

    def klass(self, verb: str, argv: list[str]) -> str:
        """``class add|change|replace|del dev X parent P classid C htb rate R [ceil C] ...``."""
        kind_at = argv.index("htb") if "htb" in argv else len(argv)
        head = _opts(argv[:kind_at], 0)
        dev = self.device(head.get("dev", ""))
        if dev.root is None:
            raise TcError("Error: Failed to find specified qdisc.")
        try:
            classid = parse_handle(head.get("classid", ""))
        except ValueError:
            raise TcError(f'Error: Invalid class ID "{head.get("classid", "")}".') from None
        existing = dev.classes.get(classid)
        if verb in ("del", "delete"):
            if existing is None:
                raise TcError("RTNETLINK answers: No such file or directory")
            if any(c.parent == classid for c in dev.classes.values()):
                raise TcError("RTNETLINK answers: Device or resource busy")
            del dev.classes[classid]
            dev.filters = [f for f in dev.filters if f.flowid != classid]
            self.state.config_changed()
            return ""
        if verb == "add" and existing is not None:
            raise TcError("RTNETLINK answers: File exists")
        if verb == "change" and existing is None:
            raise TcError("RTNETLINK answers: No such file or directory")
        if kind_at == len(argv):
            raise TcError("Error: Qdisc kind is required.")
        parent_text = head.get("parent", "")
        try:
            parent = parse_handle(parent_text)
        except ValueError:
            raise TcError(f'Error: Invalid parent ID "{parent_text}".') from None
        if classid[0] != dev.root.handle:
            raise TcError("Error: Failed to find specified qdisc.")
        parent_class: tuple[int, int] | None = None if parent[1] == 0 else parent
        if parent[0] != dev.root.handle or (
            parent_class is not None and parent_class not in dev.classes
        ):
            raise TcError("RTNETLINK answers: No such file or directory")
        options = _opts(argv[kind_at + 1 :], 0)
        if "rate" not in options:
            raise TcError("HTB: class without rate ! Aborted")
        values: dict[str, int] = {}
        for key, parse in (
            ("rate", parse_rate_bps),
            ("ceil", parse_rate_bps),
            ("burst", parse_size_bytes),
            ("cburst", parse_size_bytes),
            ("quantum", parse_size_bytes),
            ("prio", int),
        ):
            if key in options:
                try:
                    values[key] = parse(options[key])
                except ValueError:
                    raise TcError(f'Illegal "{key}"') from None
        unknown = set(options) - {
            "rate",
            "ceil",
            "burst",
            "cburst",
            "quantum",
            "prio",
            "mtu",
            "mpu",
        }
        if unknown:
            raise TcError(f'What is "{sorted(unknown)[0]}"?\nUsage: ... htb rate R ceil C prio P')
        if not 0 <= values.get("prio", 0) <= 7:
            raise TcError("Error: HTB: prio must be 0..7")
        cls = HtbClass(
            classid=classid,
            parent=parent_class,
            rate_bps=values["rate"],
            ceil_bps=values.get("ceil", values["rate"]),
            prio=values.get("prio", 0),
            quantum_b=values.get("quantum", 0),
            burst_b=values.get("burst", DEFAULT_BURST_B),
            cburst_b=values.get("cburst", DEFAULT_BURST_B),
            boot_s=self.state.boot_time_s,
        )
        if existing is not None:
            cls.baseline, cls.boot_s = existing.baseline, existing.boot_s
        dev.classes[classid] = cls
        self.state.config_changed()
        if existing is None:
            self.class_octets(dev, cls)  # start the byte counters at zero now
        return ""

    def filter(self, verb: str, argv: list[str]) -> str:
        """``filter add|replace|del dev X parent 1: protocol ip prio N u32 match ip dst A/M
        flowid 1:N``."""
        u32_at = argv.index("u32") if "u32" in argv else len(argv)
        head = _opts(argv[:u32_at], 0)
        dev = self.device(head.get("dev", ""))
        pref_text = head.get("prio", head.get("pref", ""))
        if verb in ("del", "delete"):
            keep = []
            for f in dev.filters:
                if pref_text and str(f.pref) != pref_text:
                    keep.append(f)
            if len(keep) == len(dev.filters) and pref_text:
                raise TcError("Error: Filter with specified priority/protocol not found.")
            dev.filters = keep
            self.state.config_changed()
            return ""
        if dev.root is None:
            raise TcError("Error: Parent Qdisc doesn't exists.")
        if u32_at == len(argv):
            raise TcError('Unknown filter "", hence option "" is unparsable')
        try:
            parent = parse_handle(head.get("parent", "1:"))[0]
            pref = int(pref_text or "49152")
        except ValueError:
            raise TcError('Illegal "prio"') from None
        matches: list[tuple[str, ipaddress.IPv4Network | str]] = []
        flowid: tuple[int, int] | None = None
        rest = argv[u32_at + 1 :]
        i = 0
        while i < len(rest):
            word = rest[i]
            if word == "match" and i + 2 < len(rest) and rest[i + 1] == "ip":
                what = rest[i + 2]
                if what in ("dst", "src") and i + 3 < len(rest):
                    try:
                        net = ipaddress.IPv4Network(rest[i + 3], strict=False)
                    except ValueError:
                        raise TcError('Illegal "match"') from None
                    matches.append((what, net))
                    i += 4
                    continue
                matches.append(("raw", " ".join(rest[i + 2 : i + 5])))
                i += 5
                continue
            if word in ("flowid", "classid") and i + 1 < len(rest):
                try:
                    flowid = parse_handle(rest[i + 1])
                except ValueError:
                    raise TcError(f'Illegal "{word}"') from None
                i += 2
                continue
            raise TcError(
                f'What is "{word}"?\nUsage: ... u32 [ match SELECTOR ... ] [ flowid CLASSID ]'
            )
        if flowid is None:
            raise TcError("Error: u32: flowid (classid) is required here.")
        same_pref = [f for f in dev.filters if f.pref == pref]
        node = max((f.node for f in same_pref), default=0x7FF) + 1
        dev.filters.append(
            U32Filter(parent, pref, head.get("protocol", "all"), matches, flowid, node)
        )
        self.state.config_changed()
        # The class (and its ancestors) count this subnet's bytes from now on.
        cid: tuple[int, int] | None = flowid
        while cid is not None and cid in dev.classes:
            self.class_octets(dev, dev.classes[cid])
            cid = dev.classes[cid].parent
        return ""

    # -- what it means -----------------------------------------------------------------------
    def flows(
        self, dev: DeviceTc, classid: tuple[int, int]
    ) -> list[tuple[ipaddress.IPv4Network, Direction]]:
        """(subnet, direction) pairs that the filters send to ``classid`` or its descendants."""
        targets = {classid}
        changed = True
        while changed:
            changed = False
            for c in dev.classes.values():
                if c.parent in targets and c.classid not in targets:
                    targets.add(c.classid)
                    changed = True
        out: list[tuple[ipaddress.IPv4Network, Direction]] = []
        for f in dev.filters:
            if f.flowid in targets:
                for what, net in f.matches:
                    if isinstance(net, ipaddress.IPv4Network):
                        out.append((net, "down" if what == "dst" else "up"))
        return out

    def class_octets(self, dev: DeviceTc, cls: HtbClass) -> tuple[int, float]:
        """(bytes since the class was made, current bit/s) from the traffic ledger."""
        if cls.boot_s != self.state.boot_time_s:
            cls.baseline, cls.boot_s = {}, self.state.boot_time_s
        total, rate = 0, 0.0
        for net, direction in self.flows(dev, cls.classid):
            octets = self.state.subnet_octets(net, direction)
            base = cls.baseline.setdefault(f"{net}|{direction}", octets)
            total += max(0, octets - base)
            rate += self.state.subnet_rate_bps(net, direction)
        return total, rate

    def shaping_caps(self) -> list[ShapingCap]:
        caps: list[ShapingCap] = []
        for name, dev in self.devices.items():
            if dev.root is None:
                continue
            for f in dev.filters:
                cls = dev.classes.get(f.flowid)
                if cls is None:
                    continue
                for what, net in f.matches:
                    if not isinstance(net, ipaddress.IPv4Network):
                        continue
                    caps.append(
                        ShapingCap(
                            subnet=net,
                            direction="down" if what == "dst" else "up",
                            max_bps=float(cls.ceil_bps),
                            guaranteed_bps=float(cls.rate_bps),
                            priority=min(8, cls.prio + 1),
                            name=f"{name} {cls.classid[0]:x}:{cls.classid[1]:x}",
                        )
                    )
        return caps
