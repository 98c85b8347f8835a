"""The Cisco IOS configuration a simulated device keeps: ACLs, class-maps, policy-maps, service
policies, and how it renders as ``show running-config``.

Interface descriptions and ``shutdown`` live in :class:`lab.state.InterfaceState` (so LLDP and
oper status follow them); everything else lives here.  Rates: ``shape average`` in bit/s,
``bandwidth`` in kbit/s, as IOS takes them.
"""

from __future__ import annotations

import copy
import ipaddress
import re
from dataclasses import dataclass, field

from lab.state import DeviceState, Direction, ShapingCap

_ADDR = r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"
# "any" | "host A.B.C.D" | "A.B.C.D W.W.W.W"
_ENDPOINT = rf"(any|host\s+{_ADDR}|{_ADDR}\s+{_ADDR})"
ACE_RE = re.compile(rf"^(permit|deny)\s+ip\s+{_ENDPOINT}\s+{_ENDPOINT}$", re.IGNORECASE)
DEFAULT_PRIORITY = 4


@dataclass
class PolicyClass:
    """One ``class`` inside a policy-map; rates as configured (None = not set)."""

    shape_average_bps: int | None = None
    bandwidth_kbps: int | None = None
    priority_level: int | None = None


@dataclass
class IosConfig:
    """Everything configurable that is not interface state."""

    acls: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    class_maps: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    policy_maps: dict[str, dict[str, PolicyClass]] = field(default_factory=dict)
    # interface -> {"output": policy, "input": policy}
    service_policies: dict[str, dict[str, str]] = field(default_factory=dict)
    # interface -> (description, admin_up) as saved; filled by write memory
    saved_interfaces: dict[str, tuple[str, bool]] = field(default_factory=dict)

    def clone(self) -> IosConfig:
        return copy.deepcopy(self)


def parse_endpoint(text: str) -> ipaddress.IPv4Network | None:
    """``any`` -> None; ``host A`` -> A/32; ``A W`` (wildcard) -> network; ValueError if bad."""
    parts = text.split()
    if parts[0].lower() == "any":
        return None
    if parts[0].lower() == "host":
        return ipaddress.IPv4Network(f"{parts[1]}/32")
    wildcard = int(ipaddress.IPv4Address(parts[1]))
    mask = ipaddress.IPv4Address(0xFFFFFFFF ^ wildcard)
    return ipaddress.IPv4Network(f"{parts[0]}/{mask}", strict=False)


def valid_ace(ace: str) -> bool:
    """Whether ``ace`` is an ``permit|deny ip SRC DST`` entry with valid addresses."""
    m = ACE_RE.match(ace.strip())
    if not m:
        return False
    try:
        parse_endpoint(m.group(2))
        parse_endpoint(m.group(3))
    except ValueError:
        return False
    return True


def ace_subnets(ace: str) -> list[tuple[ipaddress.IPv4Network, Direction]]:
    """Subnets an ACE selects and the direction: destination match = "down", source = "up"."""
    m = ACE_RE.match(ace.strip())
    if not m or m.group(1).lower() != "permit":
        return []
    src, dst = parse_endpoint(m.group(2)), parse_endpoint(m.group(3))
    out: list[tuple[ipaddress.IPv4Network, Direction]] = []
    if dst is not None:
        out.append((dst, "down"))
    if src is not None:
        out.append((src, "up"))
    return out


def class_subnets(cfg: IosConfig, class_name: str) -> list[tuple[ipaddress.IPv4Network, Direction]]:
    _kind, acl_names = cfg.class_maps.get(class_name, ("match-any", []))
    out: list[tuple[ipaddress.IPv4Network, Direction]] = []
    for acl in acl_names:
        for _seq, ace in cfg.acls.get(acl, []):
            out.extend(ace_subnets(ace))
    return out


def shaping_caps(cfg: IosConfig) -> list[ShapingCap]:
    """Caps from every policy-map attached to an interface (either direction)."""
    caps: list[ShapingCap] = []
    for attached in cfg.service_policies.values():
        for policy_name in attached.values():
            for class_name, pc in cfg.policy_maps.get(policy_name, {}).items():
                if pc.shape_average_bps is None and pc.bandwidth_kbps is None:
                    continue
                for subnet, direction in class_subnets(cfg, class_name):
                    guaranteed = float(pc.bandwidth_kbps or 0) * 1000.0
                    maximum = float(pc.shape_average_bps) if pc.shape_average_bps else 1e12
                    caps.append(
                        ShapingCap(
                            subnet=subnet,
                            direction=direction,
                            max_bps=maximum,
                            guaranteed_bps=min(guaranteed, maximum),
                            priority=pc.priority_level or DEFAULT_PRIORITY,
                            name=f"{policy_name}/{class_name}",
                        )
                    )
    return caps


def render_policy_class(name: str, pc: PolicyClass, indent: str = " ") -> list[str]:
    # IOS indents a policy-map class by one space and its actions by two
    lines = [f"{indent}class {name}"]
    if pc.priority_level is not None:
        lines.append(f"{indent} priority level {pc.priority_level}")
    if pc.bandwidth_kbps is not None:
        lines.append(f"{indent} bandwidth {pc.bandwidth_kbps}")
    if pc.shape_average_bps is not None:
        lines.append(f"{indent} shape average {pc.shape_average_bps}")
    return lines


def render_running(
    state: DeviceState,
    cfg: IosConfig,
    clock_text: str,
    saved: dict[str, tuple[str, bool]] | None = None,
) -> str:
    """``show running-config`` for ``state`` + ``cfg`` (``saved``: interface (description,
    admin up) to show instead of the live ones, for the startup configuration)."""
    body: list[str] = [
        "!",
        f"! Last configuration change at {clock_text}",
        "!",
        "version 15.2",
        "no service pad",
        "service timestamps debug datetime msec",
        "service timestamps log datetime msec",
        "service password-encryption",
        "!",
        f"hostname {state.hostname}",
        "!",
        "boot-start-marker",
        "boot-end-marker",
        "!",
        "enable secret 5 $1$netops$labmodeonly000000000.",
        "!",
        f"username {state.username} privilege 1 secret 5 $1$netops$labmodeonly000000000.",
        "aaa new-model",
        "clock timezone WITA 8 0",
        "ip domain-name lab.netops.local",
        "!",
        "lldp run",
        "!",
    ]
    for name, (kind, acls) in cfg.class_maps.items():
        body.append(f"class-map {kind} {name}")
        body += [f" match access-group name {acl}" for acl in acls]
        body.append("!")
    for name, classes in cfg.policy_maps.items():
        body.append(f"policy-map {name}")
        for cname, pc in classes.items():
            body += render_policy_class(cname, pc)
        body.append("!")
    for iface in state.interfaces.values():
        description, admin_up = (saved or {}).get(iface.name, (iface.description, iface.admin_up))
        body.append(f"interface {iface.name}")
        if description:
            body.append(f" description {description}")
        if iface.ipv4 is not None:
            body.append(f" no switchport\n ip address {iface.ipv4.ip} {iface.ipv4.netmask}")
        attached = cfg.service_policies.get(iface.name, {})
        for direction in ("input", "output"):
            if direction in attached:
                body.append(f" service-policy {direction} {attached[direction]}")
        if not admin_up:
            body.append(" shutdown")
        body.append("!")
    for name, entries in cfg.acls.items():
        body.append(f"ip access-list extended {name}")
        body += [f" {ace}" for _seq, ace in entries]
        body.append("!")
    body += [
        "ip ssh version 2",
        "!",
        "line con 0",
        "line vty 0 4",
        " transport input ssh",
        "line vty 5 15",
        " transport input ssh",
        "!",
        "ntp server 10.255.0.254",
        "end",
    ]
    return "\n".join(body) + "\n"
