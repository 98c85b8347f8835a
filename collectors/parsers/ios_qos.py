"""Cisco IOS/IOS-XE MQC queue counters: ``show policy-map interface``, ``show ip access-lists``.

No TextFSM template for ``show policy-map interface`` exists in ntc-templates (9.3), and its
layout is nested by indentation (a class can carry a child ``Service-policy :`` with its own
classes), so :func:`parse_policy_map_interface` is a small line parser keyed on the stable
phrases every IOS release prints (``Service-policy output:``, ``Class-map:``, ``N packets, M
bytes``, ``offered rate``, ``shape (average) cir``, ``bandwidth N kbps``).  ACLs are read with
ntc-templates' ``cisco_ios_show_ip_access-lists`` template.

:func:`queues_from_classes` turns classes into the contract's :class:`QueueStats`, one record
per class (a class shapes one direction), named ``<interface>:<direction>:<policy>/<class>``
(nested classes: the whole policy/class path), e.g.
``GigabitEthernet1/0/2:output:NX-DOWN/NX-rsud-DOWN`` for the download class netops renders for
agency ``rsud`` (``netops.bandwidth.cisco``; the bandwidth read side finds an agency's classes by
that class-name part).  The target is the subnets of the class's match ACLs (destinations for a
download class, sources for an upload class), else the ACL or class name.
``class-default`` is left out unless it shapes or guarantees (the parent of a hierarchical policy):
otherwise it is only the traffic no queue claims.  Pure: text in, records out,
:class:`ParseError` on refused, truncated or garbage output.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from collectors.base import QueueStats
from netops.errors import ParseError
from netops.naming import split_ios_class_name

CMD_POLICY = "show policy-map interface"
CMD_ACLS = "show ip access-lists"
NAME_MAX = 200  # queue_samples.queue_name column width

Network = ipaddress.IPv4Network
# (source, destination); None is "any"
AclEntry = tuple[Network | None, Network | None]

_IFACE_RE = re.compile(r"^\s{0,2}([A-Za-z][A-Za-z-]*\s?\d+(?:[/.:]\d+)*|Control Plane)\s*$")
_POLICY_RE = re.compile(r"^(\s*)Service-policy\s+(input|output)\s*:\s*(\S+)")
_CHILD_RE = re.compile(r"^(\s*)Service-policy\s*:\s*(\S+)")
_CLASS_RE = re.compile(r"^(\s*)Class-map:\s*(\S+)(?:\s+\((match-any|match-all)\))?")
_PACKETS_RE = re.compile(r"^\s*(\d+) packets(?:, (\d+) bytes)?\s*$")
_RATE_RE = re.compile(
    r"^\s*(\d+) (minute|second)s? offered rate (\d+) bps(?:, drop rate (\d+) bps)?", re.I
)
_MATCH_RE = re.compile(r"^\s*Match:\s*(.*?)\s*$")
_DROPS_RE = re.compile(r"depth/total drops/no-buffer drops\S*\)\s+(\d+)/(\d+)/")
_OUTPUT_RE = re.compile(r"^\s*\(pkts output/bytes output\)\s+(\d+)/(\d+)\s*$")
_SHAPE_RE = re.compile(r"^\s*shape \((?:average|peak)\) cir (\d+)")
_BW_KBPS_RE = re.compile(r"^\s*bandwidth (\d+) \(?kbps\)?\s*$")
_BW_PERCENT_RE = re.compile(r"^\s*bandwidth (\d+)% \((\d+) kbps\)")
_PRIORITY_RE = re.compile(r"^\s*Priority:\s*(?:\d+% \()?(\d+) kbps")
_QUEUE_STATS_RE = re.compile(r"^\s*queue stats for all priority classes:")
_ACL_NAME_RE = re.compile(r"access-group (?:name )?(\S+)")
_INVALID = "% Invalid input"


@dataclass
class PolicyClass:
    """One class-map of one service policy on one interface, as IOS prints it.

    ``path`` names the (policy, class) pairs above a nested child policy, e.g.
    ``("policy1", "class-default")`` for a class of ``policy1``'s class-default child policy.
    Counters are since the last clear: ``packets``/``octets`` classified, ``*_output`` sent by the
    class queue.  Rates bit/s over ``rate_interval_s``; ``shape_cir_bps`` bit/s,
    ``bandwidth_kbps``/``priority_kbps`` kbit/s.  None: not printed for this class.
    """

    interface: str
    direction: str
    policy: str
    name: str
    path: tuple[str, ...] = ()
    match_kind: str = ""
    matches: list[str] = field(default_factory=list)
    packets: int | None = None
    octets: int | None = None
    rate_interval_s: int | None = None
    offered_rate_bps: int | None = None
    drop_rate_bps: int | None = None
    total_drops: int | None = None
    packets_output: int | None = None
    octets_output: int | None = None
    shape_cir_bps: int | None = None
    bandwidth_kbps: int | None = None
    priority_kbps: int | None = None

    @property
    def acl_names(self) -> list[str]:
        out = []
        for m in self.matches:
            found = _ACL_NAME_RE.match(m)
            if found:
                out.append(found.group(1))
        return out


def _int(text: str | None) -> int | None:
    return int(text) if text is not None else None


def parse_policy_map_interface(device: str, text: str) -> list[PolicyClass]:
    """Every class of every service policy in ``show policy-map interface`` output.

    Empty output (no policy attached anywhere) gives ``[]``.  Raises :class:`ParseError` when the
    device refused the command, or the text has classes without an interface and policy header
    or a class without its packet counters (truncated or not this command's output).
    """
    if _INVALID in text:
        raise ParseError(device, f"{CMD_POLICY!r} refused: {text.strip()[:120]!r}")
    out: list[PolicyClass] = []
    interface = ""
    direction = ""
    policies: list[tuple[int, str]] = []  # (indent, policy name) of the open service policies
    classes: list[tuple[int, PolicyClass]] = []  # (indent, class) of the open classes
    current: PolicyClass | None = None
    saw_anything = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        if (m := _POLICY_RE.match(line)) is not None:
            if not interface:
                raise ParseError(device, f"{CMD_POLICY}: line {lineno}: policy before interface")
            direction = m.group(2)
            policies = [(len(m.group(1)), m.group(3))]
            classes = []
            current = None
            continue
        if (m := _CHILD_RE.match(line)) is not None:
            indent = len(m.group(1))
            policies = [p for p in policies if p[0] < indent] + [(indent, m.group(2))]
            current = None
            continue
        if (m := _CLASS_RE.match(line)) is not None:
            indent = len(m.group(1))
            owners = [p for p in policies if p[0] < indent]
            if not interface or not owners:
                raise ParseError(device, f"{CMD_POLICY}: line {lineno}: class outside a policy")
            classes = [c for c in classes if c[0] < indent]
            path: list[str] = []
            for _, parent in classes:
                path += [parent.policy, parent.name]
            current = PolicyClass(
                interface, direction, owners[-1][1], m.group(2), tuple(path), m.group(3) or ""
            )
            classes.append((indent, current))
            out.append(current)
            saw_anything = True
            continue
        if (m := _IFACE_RE.match(line)) is not None:
            name = m.group(1)
            interface = name if name == "Control Plane" else name.replace(" ", "")
            policies, classes, current = [], [], None
            saw_anything = True
            continue
        if _QUEUE_STATS_RE.match(line):
            current = None  # a policy-wide priority queue block, not the class above
            continue
        if current is not None:
            _class_line(current, line)
    if text.strip() and not saw_anything:
        raise ParseError(device, f"{CMD_POLICY}: no interface or class in the output (garbage?)")
    for c in out:
        if c.packets is None:
            raise ParseError(
                device,
                f"{CMD_POLICY}: class {c.name} on {c.interface} has no counters (truncated?)",
            )
    return out


def _class_line(c: PolicyClass, line: str) -> None:
    if (m := _PACKETS_RE.match(line)) is not None:
        if c.packets is None:  # later "N packets" lines count one match statement each
            c.packets, c.octets = int(m.group(1)), _int(m.group(2))
    elif (m := _RATE_RE.match(line)) is not None:
        unit = 60 if m.group(2).lower() == "minute" else 1
        c.rate_interval_s = int(m.group(1)) * unit
        c.offered_rate_bps, c.drop_rate_bps = int(m.group(3)), _int(m.group(4))
    elif (m := _MATCH_RE.match(line)) is not None:
        c.matches.append(" ".join(m.group(1).split()))
    elif (m := _DROPS_RE.search(line)) is not None:
        c.total_drops = int(m.group(2))
    elif (m := _OUTPUT_RE.match(line)) is not None:
        c.packets_output, c.octets_output = int(m.group(1)), int(m.group(2))
    elif (m := _SHAPE_RE.match(line)) is not None:
        c.shape_cir_bps = int(m.group(1))
    elif (m := _BW_KBPS_RE.match(line)) is not None:
        c.bandwidth_kbps = int(m.group(1))
    elif (m := _BW_PERCENT_RE.match(line)) is not None:
        c.bandwidth_kbps = int(m.group(2))
    elif (m := _PRIORITY_RE.match(line)) is not None:
        c.priority_kbps = int(m.group(1))


def _endpoint(row: Mapping[str, str], side: str) -> Network | None:
    if row.get(f"{side}_any"):
        return None
    host = row.get(f"{side}_host", "")
    if host:
        return ipaddress.IPv4Network(f"{host}/32")
    net, wildcard = row.get(f"{side}_network", ""), row.get(f"{side}_wildcard", "")
    if net and wildcard:
        mask = ipaddress.IPv4Address(0xFFFFFFFF ^ int(ipaddress.IPv4Address(wildcard)))
        return ipaddress.IPv4Network(f"{net}/{mask}", strict=False)
    if net:
        return ipaddress.IPv4Network(f"{net}/32")
    return None


def parse_access_lists(device: str, text: str) -> dict[str, list[AclEntry]]:
    """``permit`` entries of every IP ACL: name -> [(source, destination)] (None = any).

    Standard ACLs match on the source only; entries with a non-contiguous wildcard
    (``10.0.10.0 0.255.0.255``) are skipped, being no subnet.  Raises :class:`ParseError` when
    the output was refused or is not an ACL listing.
    """
    if _INVALID in text:
        raise ParseError(device, f"{CMD_ACLS!r} refused: {text.strip()[:120]!r}")
    if not text.strip():
        return {}
    from ntc_templates.parse import parse_output

    try:
        rows = parse_output(platform="cisco_ios", command=CMD_ACLS, data=text)
    except Exception as exc:  # textfsm raises its own error types for unparseable text
        raise ParseError(device, f"{CMD_ACLS}: {exc}") from None
    if not rows:
        raise ParseError(device, f"{CMD_ACLS}: no access list in the output (garbage?)")
    out: dict[str, list[AclEntry]] = {}
    for row in rows:
        entries = out.setdefault(row["acl_name"], [])
        if row.get("action") != "permit":
            continue
        try:
            src = _endpoint(row, "src")
            dst = _endpoint(row, "dst") if row.get("acl_type") != "Standard" else None
        except ValueError:
            continue  # a non-contiguous wildcard (valid IOS) selects no subnet
        entries.append((src, dst))
    return out


def _subnets(c: PolicyClass, acls: Mapping[str, list[AclEntry]], side: str) -> list[Network]:
    """Subnets the class's ACLs select on ``side`` ("dst" for download, "src" for upload)."""
    nets: list[Network] = []
    for name in c.acl_names:
        for src, dst in acls.get(name, []):
            net = dst if side == "dst" else src
            if net is not None and net not in nets:
                nets.append(net)
    return nets


def _target(nets: Iterable[Network], fallback: str) -> str:
    found = sorted(set(nets), key=lambda n: (int(n.network_address), n.prefixlen))
    return ",".join(str(n) for n in found) or fallback


def _octets(c: PolicyClass) -> int:
    """Bytes the class queue sent; the classified bytes where the class has no queue."""
    if c.octets_output is not None:
        return c.octets_output
    return c.octets or 0


def _guarantee_bps(c: PolicyClass) -> int | None:
    kbps = c.bandwidth_kbps if c.bandwidth_kbps is not None else c.priority_kbps
    return kbps * 1000 if kbps is not None else None


def _extra(c: PolicyClass, side: str) -> dict[str, str]:
    out = {f"interface_{side}": c.interface, f"policy_{side}": c.policy, f"class_{side}": c.name}
    if c.offered_rate_bps is not None:
        out[f"offered_rate_{side}_bps"] = str(c.offered_rate_bps)
    if c.drop_rate_bps is not None:
        out[f"drop_rate_{side}_bps"] = str(c.drop_rate_bps)
    if c.total_drops is not None:
        out[f"drops_{side}_packets"] = str(c.total_drops)
    return out


def _short(name: str) -> str:
    if len(name) <= NAME_MAX:
        return name
    digest = hashlib.blake2b(name.encode(), digest_size=4).hexdigest()
    return f"{name[: NAME_MAX - 9]}~{digest}"


def _side(c: PolicyClass, acls: Mapping[str, list[AclEntry]]) -> str:
    """Which direction (seen from the agency) a class carries.  netops' classes say it in their
    name (``NX-<code>-DOWN``/``-UP``); for others it follows what the class matches: destination
    subnets only = download, source subnets only = upload; otherwise an output policy counts as
    download and an input policy as upload."""
    split = split_ios_class_name(c.name) if not c.path else None
    if split is not None:
        return split[1]
    dst, src = _subnets(c, acls, "dst"), _subnets(c, acls, "src")
    if dst and not src:
        return "down"
    if src and not dst:
        return "up"
    return "down" if c.direction == "output" else "up"


def class_queue(c: PolicyClass, acls: Mapping[str, list[AclEntry]]) -> QueueStats:
    """One class as one queue record, filled on the side of its direction (the other side's
    limits are None and its bytes 0, as for a Linux tc class)."""
    side = _side(c, acls)
    nets = _subnets(c, acls, "dst" if side == "down" else "src")
    path = "/".join((*c.path, c.policy, c.name))
    up, down = side == "up", side == "down"
    return QueueStats(
        name=_short(f"{c.interface}:{c.direction}:{path}"),
        target=_target(nets, ",".join(c.acl_names) or c.name),
        limit_at_up_bps=_guarantee_bps(c) if up else None,
        max_limit_up_bps=c.shape_cir_bps if up else None,
        limit_at_down_bps=_guarantee_bps(c) if down else None,
        max_limit_down_bps=c.shape_cir_bps if down else None,
        bytes_up=_octets(c) if up else 0,
        bytes_down=_octets(c) if down else 0,
        parent="/".join(c.path)[:200],
        extra=_extra(c, side),
    )


def queues_from_classes(
    classes: Iterable[PolicyClass], acls: Mapping[str, list[AclEntry]]
) -> list[QueueStats]:
    """Queue records, in the order the classes were printed (see the module docstring).

    Rates are left None: the engine computes them from byte deltas between polls, like it does
    for interfaces (IOS's own "offered rate" is a decaying average kept in ``extra``)."""
    return [
        class_queue(c, acls)
        for c in classes
        if c.name != "class-default" or c.shape_cir_bps is not None or _guarantee_bps(c)
    ]


def parse_queues(device: str, outputs: Mapping[str, str]) -> list[QueueStats]:
    """Queues from ``show policy-map interface`` (required) and ``show ip access-lists``
    (optional: without it targets fall back to ACL or class names)."""
    if CMD_POLICY not in outputs:
        raise ParseError(device, f"no {CMD_POLICY!r} output")
    classes = parse_policy_map_interface(device, outputs[CMD_POLICY])
    acls = parse_access_lists(device, outputs.get(CMD_ACLS, ""))
    return queues_from_classes(classes, acls)
