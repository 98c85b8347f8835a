"""Validation and quoting of every user-supplied string that can reach a device command.

Three rules, one per platform:

* RouterOS: values are double-quoted; ``\\ " $ ?`` and anything outside printable ASCII (control
  characters, UTF-8 bytes of non-ASCII text) become RouterOS escapes (``\\"``, ``\\$``,
  ``\\n``, ``\\E2\\80\\94``), so a comment can never end the string, substitute a variable
  (``$x``, ``$[...]``) or start a command; ``[ ] ;`` are plain characters inside quotes.
* Cisco IOS: names cannot be quoted, so names are *derived* from validated agency codes; free text
  goes only into ``description`` after reduction to a conservative ASCII set (no ``?``, which
  triggers IOS help, no control characters).
* Linux tc: no names at all; only numbers, validated interface names and parsed subnets.

Anything that cannot be made safe raises :class:`UnsafeValue` naming the value.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import unicodedata

from collectors.parsers.routeros_text import unquote
from netops.errors import UnsafeValue

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
INTERFACE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./:_-]{0,63}$")
_ROS_SIMPLE = {
    "\\": "\\\\",
    '"': '\\"',
    "$": "\\$",
    "?": "\\?",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}
_IOS_TEXT_RE = re.compile(r"[^A-Za-z0-9 .,_&()'/:+@#-]")
IOS_NAME_MAX = 40
IOS_DESCRIPTION_MAX = 200


def safe_code(code: str, what: str = "code") -> str:
    """``code`` unchanged if it is a safe identifier (letters, digits, ``._-``, <= 63 chars)."""
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise UnsafeValue(
            f"{what} {code!r} is not a safe name: use letters, digits, '.', '_' or '-' "
            "(starting with a letter or digit, at most 63 characters)"
        )
    return code


def safe_interface(name: str) -> str:
    """An interface name fit for any platform's command line, else :class:`UnsafeValue`."""
    if not isinstance(name, str) or not INTERFACE_RE.match(name):
        raise UnsafeValue(f"interface name {name!r} contains characters not allowed in a command")
    return name


def safe_subnet(value: object) -> ipaddress.IPv4Network:
    """Re-parse a subnet strictly: only a canonical IPv4 network passes."""
    try:
        net = ipaddress.IPv4Network(str(value), strict=True)
    except ValueError:
        raise UnsafeValue(f"subnet {value!r} is not an IPv4 network in CIDR form") from None
    if str(net) != str(value) and not isinstance(value, ipaddress.IPv4Network):
        raise UnsafeValue(f"subnet {value!r} is not written in canonical form ({net})")
    return net


def routeros_quote(text: str) -> str:
    """``text`` as a RouterOS double-quoted string literal (see module docstring)."""
    out = ['"']
    for ch in text:
        if ch in _ROS_SIMPLE:
            out.append(_ROS_SIMPLE[ch])
        elif not (" " <= ch <= "~"):
            out.extend(f"\\{b:02X}" for b in ch.encode("utf-8"))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def routeros_unquote(token: str) -> str:
    """Inverse of :func:`routeros_quote` for a value as RouterOS prints it (quoted or bare).

    The one RouterOS string parser is the collectors' (read-back and collection share it)."""
    return unquote(token)


def ios_text(text: str, limit: int = IOS_DESCRIPTION_MAX) -> str:
    """Free text reduced to what an IOS ``description`` line can carry safely.

    Accents are folded (``é`` -> ``e``), other non-ASCII and unsafe characters become spaces,
    runs of spaces collapse.  May return "" (then no description is written).
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = _IOS_TEXT_RE.sub(" ", folded)
    return " ".join(cleaned.split())[:limit].strip()


def ios_name(code: str, suffix: str) -> str:
    """A Cisco IOS identifier ``NX-<code>-<suffix>`` (<= 40 chars) derived from a safe code.

    Long codes are shortened with a hash so distinct codes keep distinct names.
    """
    safe_code(code, "agency code")
    safe_code(suffix, "suffix")
    name = f"NX-{code}-{suffix}"
    if len(name) <= IOS_NAME_MAX:
        return name
    digest = hashlib.blake2b(code.encode(), digest_size=3).hexdigest()
    room = IOS_NAME_MAX - len(f"NX--{digest}-{suffix}")
    return f"NX-{code[:room]}-{digest}-{suffix}"
