"""Configuration backups: secret masking, volatile-line removal, hashing and unified diffs.

Stored configs never contain secrets: passwords, enable secrets, SNMP communities, keys and
pre-shared keys are replaced by ``<masked>`` (Oxidized-style) before anything is hashed or
stored.  Lines that change without a configuration change (timestamps in headers) are removed
so that a backup is only stored when the configuration really changed.
"""

from __future__ import annotations

import hashlib
import re

# Shared with the storage layer, which answers config_diff queries: it lives there.
from netops.storage.textdiff import unified_diff as unified_diff

MASK = "<masked>"


def _line(regex: str) -> tuple[re.Pattern[str], str]:
    """A mask row: the secret-bearing line ``regex``; group 1 is kept, the rest of the line (or
    group 2's token) is masked."""
    return re.compile(regex, re.M), r"\1 " + MASK


def _token(regex: str) -> tuple[re.Pattern[str], str]:
    """A mask row masking one token after group 1 (the rest of the line is kept)."""
    return re.compile(regex, re.M), r"\1 " + MASK


# Per platform: the lines that carry secrets (IOS running-config, RouterOS `/export` including
# `show-sensitive`, Linux configuration files).  Group 1 is kept, the secret after it masked.
MASKS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "cisco_ios": (
        _line(r"^(\s*enable (?:secret|password)(?: level \d+)?(?: \d)?) \S.*$"),
        _line(
            r"^(\s*username \S+(?: privilege \d+)?(?: algorithm-type \S+)?"
            r" (?:secret|password)(?: \d)?) \S.*$"
        ),
        _line(r"^(\s*(?:password|secret)(?: \d)?) \S.*$"),
        _token(r"^(\s*snmp-server community) \S+"),
        # SNMPv3: snmp-server user U G v3 auth sha AUTHKEY priv aes 128 PRIVKEY
        _token(r"^(\s*snmp-server user \S+ \S+ v3(?: encrypted)? auth \S+) \S+"),
        _token(r"^(\s*snmp-server user .* priv (?:aes \d+|3des|des|\S+)) \S+"),
        _line(
            r"^(\s*(?:key-string|key \d|pre-shared-key(?: \d)?|tacacs-server key|radius-server key"
            r"|server-private \S+ key)(?: \d)?) \S.*$"
        ),
        _token(r"^(\s*crypto isakmp key) \S+"),
        # OSPF: ip ospf authentication-key [0|7] KEY; (ip ospf|area .. virtual-link ..)
        # message-digest-key N md5 [0|7] KEY
        _line(r"^(\s*ip ospf authentication-key(?: [07])?) \S.*$"),
        _line(r"^(\s*(?:ip ospf |.*virtual-link .*)?message-digest-key \d+ md5(?: [07])?) \S.*$"),
        _line(r"^(\s*neighbor \S+ password(?: [07])?) \S.*$"),  # BGP
        _line(r"^(\s*ppp (?:chap|pap sent-username \S+) password(?: [07])?) \S.*$"),
        _line(r"^(\s*ppp chap password(?: [07])?) \S.*$"),
        _line(r"^(\s*wpa-psk (?:ascii|hex)(?: [07])?) \S.*$"),
        _line(r"^(\s*ntp authentication-key \d+ md5) \S.*$"),
        _line(r"^(\s*(?:isis|authentication-key|ip authentication key-string)) \S.*$"),
    ),
    "mikrotik_routeros": (
        # the value may follow on a `\` continuation line, or after a space where a folded
        # export line was joined (`password= "..."`, seen in a real RB4011 export)
        (
            re.compile(
                r"\b((?:password|secret|auth-key|authentication-key|tcp-md5-key|wpa-pre-shared-key"
                r"|wpa2-pre-shared-key|passphrase|pre-shared-key|private-key|preshared-key"
                r"|community|auth-password|authentication-password|encryption-password"
                r"|radius-secret|(?<!public-)key)=)(\\?\n\s*|[ \t]+)?(\"(?:[^\"\\]|\\.)*\"|\S+)"
            ),
            r"\1" + MASK,
        ),
    ),
    "linux": (
        _line(r"^(\s*wpa-psk)\s+\S.*$"),
        (re.compile(r"^(\s*(?:psk|password|private_key_passwd)=)\S.*$", re.M), r"\1" + MASK),
        (re.compile(r"^(\s*(?:PresharedKey|PrivateKey)\s*=)\s*\S.*$", re.M), r"\1 " + MASK),
        _token(r"^(\s*(?:rocommunity6?|rwcommunity6?|com2sec \S+ \S+))\s+\S+"),
        _line(r"^(\s*createUser \S+ (?:MD5|SHA\S*)) .*$"),
    ),
}

# RouterOS sections whose `name=` is itself the secret (an SNMP community is its name)
_ROUTEROS_NAME_IS_SECRET = re.compile(r"^(/snmp community\b.*?)(?=^/|\Z)", re.M | re.S)

_VOLATILE: tuple[re.Pattern[str], ...] = (
    re.compile(r"^# .* by RouterOS .*$", re.M),
    re.compile(r"^# software id = .*$", re.M),
    re.compile(r"^! Last configuration change at .*$", re.M),
    re.compile(r"^! NVRAM config last updated at .*$", re.M),
    re.compile(r"^! No configuration change since last restart.*$", re.M),
    re.compile(r"^Current configuration : \d+ bytes.*$", re.M),
    re.compile(r"^Building configuration\.\.\..*$", re.M),
    re.compile(r"^ntp clock-period \d+.*$", re.M),
)


def mask_secrets(text: str, platform: str | None = None) -> str:
    """Replace every secret of a ``platform`` config (a key of :data:`MASKS`; default: every
    platform's rows) with ``<masked>``."""
    tables = [MASKS[platform]] if platform in MASKS else list(MASKS.values())
    if platform in (None, "mikrotik_routeros"):
        text = _ROUTEROS_NAME_IS_SECRET.sub(
            lambda m: re.sub(r'\bname=("(?:[^"\\]|\\.)*"|\S+)', "name=" + MASK, m.group(1)), text
        )
    for table in tables:
        for pattern, repl in table:
            text = pattern.sub(repl, text)
    return text


def normalize(text: str) -> str:
    """Masked text without volatile lines, with Unix newlines and no trailing blanks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for pattern in _VOLATILE:
        text = pattern.sub("", text)
    lines = [line.rstrip() for line in mask_secrets(text).split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines) + "\n"


def config_hash(normalized: str) -> str:
    """sha256 hex of a normalized config: equal hashes mean no change."""
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()
