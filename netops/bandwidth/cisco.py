"""Cisco IOS MQC: one class per agency and direction, in policy-maps ``NX-DOWN`` (output on the LAN
interface) and ``NX-UP`` (output on the WAN interface).

Per agency and direction: an extended ACL matching its subnets (destination for download, source
for upload), a ``class-map match-any`` matching the ACL, and a policy-map class with
``bandwidth <kbps>`` (guaranteed) and ``shape average <bps>`` (maximum).  IOS names cannot be
quoted, so every name is derived from the validated agency code (:func:`ios_name`); the agency's
free-text name only reaches ``description`` after :func:`ios_text`.  IOS MQC has no HTB prio and
this flat policy has no group level (documented in docs/bandwidth.md).  Pure.
"""

from __future__ import annotations

import ipaddress
import re

from netops.bandwidth.diff import QueueDiff
from netops.bandwidth.entries import QueueEntry, ShaperTarget
from netops.bandwidth.plan import Direction
from netops.bandwidth.quoting import (
    IOS_NAME_MAX,
    ios_name,
    ios_text,
    safe_interface,
    safe_subnet,
)
from netops.errors import ParseError

# Reading class names back is shared with the collectors' IOS parser: a layer below.
from netops.naming import IOS_SUFFIX as SUFFIX
from netops.naming import split_ios_class_name as split_class_name

READ_COMMAND = "show running-config"
POLICY = {"down": "NX-DOWN", "up": "NX-UP"}
# IOS allows "description" under a class-map; the device lab does not simulate it yet, so free
# text is left out by default (names are derived from codes either way).
DESCRIPTIONS = False
ERROR_RE = re.compile(r"^\s*% ?\S.*$", re.M)


def base_name(code: str) -> str:
    """``NX-<code>``: the part both directions' class names share (``NX-<code>-DOWN`` and
    ``NX-<code>-UP``).  Long codes are shortened (with a hash) to fit the longest suffix, so the
    two names of one agency always pair up."""
    longest = max(SUFFIX.values(), key=len)
    return ios_name(code, longest)[: -len(longest) - 1]


def class_name(e: QueueEntry) -> str:
    return f"{base_name(e.key.partition(':')[2])}-{SUFFIX[e.direction]}"


def key_of_base(base: str) -> str | None:
    """``NX-rsud`` -> ``a:rsud``; None when the code cannot be told from the name: a name cut to
    the IOS length limit (shortened with a hash) or not of netops' form."""
    m = re.match(r"^NX-([A-Za-z0-9][A-Za-z0-9._-]*)$", base)
    if m is None:
        return None
    if len(base) + 1 + len(max(SUFFIX.values(), key=len)) >= IOS_NAME_MAX and re.search(
        r"-[0-9a-f]{6}$", base
    ):
        return None
    return f"a:{m.group(1)}"


def _acl_line(net: ipaddress.IPv4Network, direction: Direction) -> str:
    net = safe_subnet(net)
    spec = f"{net.network_address} {net.hostmask}"
    return f" permit ip any {spec}" if direction == "down" else f" permit ip {spec} any"


def _interface(target: ShaperTarget, direction: Direction) -> str:
    return safe_interface(target.lan_interface if direction == "down" else target.wan_interface)


def _class_block(e: QueueEntry, descriptions: bool) -> list[str]:
    name = class_name(e)
    lines = [f"no ip access-list extended {name}", f"ip access-list extended {name}"]
    lines += [_acl_line(s, e.direction) for s in e.subnets]
    lines += ["exit", f"class-map match-any {name}"]
    text = ios_text(e.label) if descriptions else ""
    if text:
        lines.append(f" description {text}")
    lines += [f" match access-group name {name}", "exit"]
    return lines


def _policy_class(e: QueueEntry) -> list[str]:
    lines = [f" class {class_name(e)}"]
    # IOS refuses bandwidth below 8 kbit/s; no guarantee means no bandwidth line.
    if e.rate_bps >= 8000:
        lines.append(f"  bandwidth {e.rate_bps // 1000}")
    # No "exit" between classes: "class" typed in policy-map class mode opens the next class of
    # the same policy-map on IOS (the parser falls back to the parent mode).
    lines.append(f"  shape average {e.ceil_bps}")
    return lines


def _attach(target: ShaperTarget, direction: Direction) -> list[str]:
    return [
        "exit",
        f"interface {_interface(target, direction)}",
        f" service-policy output {POLICY[direction]}",
        "exit",
    ]


def render_full(target: ShaperTarget, *, descriptions: bool = DESCRIPTIONS) -> list[str]:
    """Configuration lines (for ``send_config_set``) that create the whole policy."""
    lines: list[str] = []
    for e in target.entries:
        lines += _class_block(e, descriptions)
    for d in ("down", "up"):
        direction: Direction = "down" if d == "down" else "up"
        mine = [e for e in target.entries if e.direction == direction]
        if not mine:
            continue
        lines.append(f"policy-map {POLICY[direction]}")
        for e in mine:
            lines += _policy_class(e)
        lines += _attach(target, direction)
    return lines


def render_changes(
    target: ShaperTarget, diff: QueueDiff, *, descriptions: bool = DESCRIPTIONS
) -> list[str]:
    """Configuration lines applying ``diff``: class removals, new/changed ACLs and class-maps,
    the policy-map classes, and the service-policy on each interface."""
    lines: list[str] = []
    removes = [c.actual for c in diff.actionable if c.op == "remove" and c.actual is not None]
    upserts = [c.desired for c in diff.actionable if c.desired is not None]
    for d in ("down", "up"):
        direction: Direction = "down" if d == "down" else "up"
        gone = [e for e in removes if e.direction == direction]
        if gone:
            lines.append(f"policy-map {POLICY[direction]}")
            lines += [f" no class {e.device_name or class_name(e)}" for e in gone]
            lines.append("exit")
            for e in gone:
                name = e.device_name or class_name(e)
                lines += [f"no class-map match-any {name}", f"no ip access-list extended {name}"]
    for e in upserts:
        lines += _class_block(e, descriptions)
    for d in ("down", "up"):
        direction = "down" if d == "down" else "up"
        mine = [e for e in upserts if e.direction == direction]
        if mine:
            lines.append(f"policy-map {POLICY[direction]}")
            for e in mine:
                lines += _policy_class(e)
            lines += _attach(target, direction)
    return lines


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """Top-level configuration blocks: (header line, indented child lines)."""
    blocks: list[tuple[str, list[str]]] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line or line.startswith("!"):
            continue
        if line[0] != " ":
            blocks.append((line, []))
        elif blocks:
            blocks[-1][1].append(line)
    return blocks


_ACE_RE = re.compile(
    r"^\s*(?:\d+\s+)?permit\s+ip\s+(?P<src>any|host \S+|\S+ \S+)\s+(?P<dst>any|host \S+|\S+ \S+)"
)


def _net(spec: str) -> ipaddress.IPv4Network | None:
    if spec == "any":
        return None
    if spec.startswith("host "):
        return ipaddress.IPv4Network(f"{spec[5:]}/32")
    addr, wildcard = spec.split()
    return ipaddress.IPv4Network(f"{addr}/{wildcard}", strict=False)


def key_of(name: str) -> str | None:
    """``NX-rsud-DOWN`` -> ``a:rsud``; None for other names and for shortened ones (those are
    mapped through the desired entries' names instead)."""
    split = split_class_name(name)
    return key_of_base(split[0]) if split else None


def parse_queues(text: str, target: ShaperTarget, device: str = "cisco") -> list[QueueEntry]:
    """Entries from ``show running-config``: the classes of the policy attached as
    ``service-policy output`` to the LAN (download) and WAN (upload) interfaces.

    Names are mapped back to agency keys through ``target`` (for shortened names) or the
    ``NX-<code>-<DIR>`` pattern; other classes are foreign.  Raises :class:`ParseError`.
    """
    known = {class_name(e): e.key for e in target.entries}
    acls: dict[str, list[tuple[ipaddress.IPv4Network | None, ipaddress.IPv4Network | None]]] = {}
    class_acl: dict[str, list[str]] = {}
    policies: dict[str, list[tuple[str, list[str]]]] = {}
    attached: dict[str, str] = {}
    try:
        for head, body in _blocks(text):
            words = head.split()
            if head.startswith("ip access-list extended "):
                rows = []
                for line in body:
                    m = _ACE_RE.match(line)
                    if m:
                        rows.append((_net(m.group("src")), _net(m.group("dst"))))
                acls[words[3]] = rows
            elif head.startswith("class-map "):
                name = words[-1]
                class_acl[name] = [
                    ln.split()[-1]
                    for ln in body
                    if ln.strip().startswith("match access-group name")
                ]
            elif head.startswith("policy-map "):
                classes: list[tuple[str, list[str]]] = []
                for line in body:
                    if line.startswith(" class ") and not line.startswith("  "):
                        classes.append((line.split()[1], []))
                    elif classes:
                        classes[-1][1].append(line.strip())
                policies[words[1]] = classes
            elif head.startswith("interface "):
                for line in body:
                    parts = line.split()
                    if parts[:2] == ["service-policy", "output"] and len(parts) == 3:
                        attached[head.split(None, 1)[1]] = parts[2]
    except (ValueError, IndexError) as exc:
        raise ParseError(device, f"unreadable running-config: {exc}") from None

    out: list[QueueEntry] = []
    for direction, iface in (("down", target.lan_interface), ("up", target.wan_interface)):
        policy = attached.get(iface)
        if policy is None:
            continue
        for cname, settings in policies.get(policy, []):
            if cname == "class-default":
                continue
            rate = ceil = 0
            for s in settings:
                p = s.split()
                if p[:1] == ["bandwidth"] and len(p) == 2 and p[1].isdigit():
                    rate = int(p[1]) * 1000
                elif p[:2] == ["shape", "average"] and len(p) >= 3 and p[2].isdigit():
                    ceil = int(p[2])
            nets = []
            for acl in class_acl.get(cname, []):
                for src, dst in acls.get(acl, []):
                    net = dst if direction == "down" else src
                    if net is not None:
                        nets.append(net)
            key = known.get(cname) or key_of(cname)
            d: Direction = "down" if direction == "down" else "up"
            out.append(
                QueueEntry(
                    key=key or f"x:{cname}",
                    direction=d,
                    subnets=tuple(nets),
                    rate_bps=rate,
                    ceil_bps=ceil,
                    device_name=cname,
                    managed=key is not None,
                )
            )
    return out


def output_error(output: str) -> str | None:
    """The IOS error line (``% Invalid input ...``) in an output, or None."""
    m = ERROR_RE.search(output)
    return m.group(0).strip() if m else None
