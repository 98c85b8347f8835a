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

# (pattern, replacement): group 1 is kept, the secret after it is masked.
_MASKS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Cisco IOS
    (
        re.compile(r"^(\s*enable (?:secret|password)(?: level \d+)?(?: \d)?) \S.*$", re.M),
        r"\1 " + MASK,
    ),
    (
        re.compile(
            r"^(\s*username \S+(?: privilege \d+)?(?: algorithm-type \S+)?"
            r" (?:secret|password)(?: \d)?) \S.*$",
            re.M,
        ),
        r"\1 " + MASK,
    ),
    (re.compile(r"^(\s*(?:password|secret)(?: \d)?) \S.*$", re.M), r"\1 " + MASK),
    (re.compile(r"^(\s*snmp-server community) \S+", re.M), r"\1 " + MASK),
    (
        re.compile(
            r"^(\s*(?:key-string|key \d|pre-shared-key(?: \d)?|tacacs-server key|radius-server key)"
            r"(?: \d)?) \S.*$",
            re.M,
        ),
        r"\1 " + MASK,
    ),
    (re.compile(r"^(\s*crypto isakmp key) \S+", re.M), r"\1 " + MASK),
    # MikroTik RouterOS export: key="value" or key=value
    (
        re.compile(
            r'\b((?:password|secret|authentication-key|wpa-pre-shared-key|wpa2-pre-shared-key|passphrase|pre-shared-key|private-key|community|auth-password|encryption-password)=)("(?:[^"\\]|\\.)*"|\S+)'
        ),
        r"\1" + MASK,
    ),
)

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


def mask_secrets(text: str) -> str:
    """Replace every secret in an IOS running-config or RouterOS export with ``<masked>``."""
    for pattern, repl in _MASKS:
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
