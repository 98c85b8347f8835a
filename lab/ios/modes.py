"""Cisco IOS command modes and how a typed word is matched to a keyword.

IOS accepts any prefix of a keyword that is unique among the keywords *of the current mode*
(``sh`` is ``show`` in exec mode, ``cl`` is ambiguous in global configuration between
``class-map`` and ``clock``, while ``class`` inside a policy-map is the policy-map's own
``class`` command).  A word no keyword of a configuration sub-mode starts with is tried in the
parent modes up to global configuration, and the session moves to the mode that accepted it
(``class B`` typed in ``config-pmap-c`` opens class B of the same policy-map; ``interface X``
typed there leaves the policy-map).  The tables list the real keywords of each mode, including
ones the lab does not simulate, so that abbreviations are exactly as ambiguous as on a device.
"""

from __future__ import annotations

MODE_SUFFIX = {
    "user": ">",
    "enable": "#",
    "config": "(config)#",
    "config-if": "(config-if)#",
    "config-ext-nacl": "(config-ext-nacl)#",
    "config-cmap": "(config-cmap)#",
    "config-pmap": "(config-pmap)#",
    "config-pmap-c": "(config-pmap-c)#",
}
PARENT_MODE = {
    "config": "enable",
    "config-if": "config",
    "config-ext-nacl": "config",
    "config-cmap": "config",
    "config-pmap": "config",
    "config-pmap-c": "config-pmap",
}

_USER = (
    "connect",
    "disable",
    "disconnect",
    "enable",
    "exit",
    "help",
    "lock",
    "login",
    "logout",
    "ping",
    "quit",
    "resume",
    "show",
    "ssh",
    "systat",
    "telnet",
    "terminal",
    "traceroute",
    "where",
)
KEYWORDS: dict[str, tuple[str, ...]] = {
    "user": _USER,
    "enable": _USER
    + (
        "clear",
        "clock",
        "configure",
        "copy",
        "debug",
        "delete",
        "dir",
        "erase",
        "more",
        "reload",
        "send",
        "setup",
        "undebug",
        "verify",
        "write",
    ),
    "config": (
        "aaa",
        "access-list",
        "alias",
        "archive",
        "banner",
        "boot",
        "cdp",
        "class-map",
        "clock",
        "crypto",
        "default",
        "do",
        "enable",
        "end",
        "exit",
        "hostname",
        "interface",
        "ip",
        "ipv6",
        "line",
        "lldp",
        "logging",
        "mac",
        "no",
        "ntp",
        "policy-map",
        "router",
        "service",
        "snmp-server",
        "spanning-tree",
        "username",
        "vlan",
        "vtp",
    ),
    "config-if": (
        "bandwidth",
        "cdp",
        "channel-group",
        "default",
        "delay",
        "description",
        "do",
        "duplex",
        "end",
        "exit",
        "ip",
        "ipv6",
        "lldp",
        "load-interval",
        "mtu",
        "no",
        "service-policy",
        "shutdown",
        "spanning-tree",
        "speed",
        "switchport",
    ),
    "config-ext-nacl": (
        "default",
        "deny",
        "do",
        "end",
        "evaluate",
        "exit",
        "no",
        "permit",
        "remark",
    ),
    "config-cmap": ("description", "do", "end", "exit", "match", "no", "rename"),
    "config-pmap": ("class", "description", "do", "end", "exit", "no", "rename"),
    "config-pmap-c": (
        "bandwidth",
        "compress",
        "do",
        "drop",
        "end",
        "exit",
        "fair-queue",
        "log",
        "no",
        "police",
        "priority",
        "queue-limit",
        "random-detect",
        "service-policy",
        "set",
        "shape",
    ),
}
# Words after ``show`` the lab does not simulate but a device knows (they make prefixes such as
# ``sh i`` or ``sh r`` ambiguous, as on a device).
SHOW_DECOYS: dict[tuple[str, ...], tuple[str, ...]] = {
    (): (
        "aaa",
        "access-lists",
        "arp",
        "cdp",
        "controllers",
        "environment",
        "flash:",
        "history",
        "inventory",
        "logging",
        "mac",
        "processes",
        "protocols",
        "rmon",
        "sessions",
        "snmp",
        "spanning-tree",
        "users",
        "vlan",
        "vtp",
    ),
    ("ip",): ("arp", "bgp", "cache", "dhcp", "ospf", "protocols", "route", "ssh", "traffic"),
}


class Ambiguous(Exception):
    """The word abbreviates more than one keyword of the mode."""


def resolve(word: str, keywords: tuple[str, ...] | set[str] | frozenset[str]) -> str | None:
    """The keyword ``word`` designates: itself if it is one, else the only keyword it is a
    prefix of; None if no keyword starts with it.  Raises :class:`Ambiguous`."""
    w = word.lower()
    if w in keywords:
        return w
    found = [k for k in keywords if k.startswith(w)]
    if len(found) > 1:
        raise Ambiguous(word)
    return found[0] if found else None


def mode_chain(mode: str) -> list[str]:
    """``mode`` then its parents up to global configuration: where a config line is tried."""
    chain = [mode]
    while chain[-1] in PARENT_MODE and PARENT_MODE[chain[-1]] != "enable":
        chain.append(PARENT_MODE[chain[-1]])
    return chain


def ambiguous(line: str) -> str:
    """IOS's answer to an ambiguous abbreviation."""
    return f'% Ambiguous command:  "{line.strip()}"\n'
