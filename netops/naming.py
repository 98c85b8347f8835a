"""Naming rules that netops' shaper writers and the collectors' readers share.

The bandwidth manager (:mod:`netops.bandwidth`) creates queues and classes on devices under these
names; the collectors' pure parsers (:mod:`collectors.parsers`) recognise them when they read the
devices back.  Both depend on this module and neither on the other, so the names live here, in the
bottom layer (see docs/architecture.md).  Pure: strings in, strings out; no netops imports.

* plan keys: ``root`` (the uplink), ``g:<group>``, ``a:<agency code>``;
* directions, seen from the agency: ``down`` (traffic to it), ``up`` (traffic from it);
* MikroTik: ``nx-uplink``, ``nx-g-<group>``, ``nx-a-<code>``; queue tree queues add the
  direction: ``nx-a-<code>-down`` / ``-up``;
* Cisco IOS MQC classes: ``NX-<code>-DOWN`` / ``NX-<code>-UP``.

The writing side (:func:`netops.bandwidth.names.queue_name`, :mod:`netops.bandwidth.cisco`) also
validates codes before they reach a command; this module only reads names back.
"""

from __future__ import annotations

import re
from typing import Literal

Direction = Literal["down", "up"]
DIRECTIONS: tuple[Direction, Direction] = ("down", "up")
ROOT_KEY = "root"

PREFIX = "nx-"
_NAME = re.compile(r"^nx-([ga])-([A-Za-z0-9][A-Za-z0-9._-]*)$")

IOS_PREFIX = "NX-"
IOS_SUFFIX: dict[Direction, str] = {"down": "DOWN", "up": "UP"}


def key_of(name: str) -> str | None:
    """MikroTik name -> plan key: ``nx-uplink`` -> ``root``, ``nx-a-rsud`` -> ``a:rsud``; None
    for a name netops did not create."""
    if name == f"{PREFIX}uplink":
        return ROOT_KEY
    m = _NAME.match(name)
    return f"{m.group(1)}:{m.group(2)}" if m else None


def tree_key(name: str) -> tuple[str, Direction] | None:
    """Queue tree name -> (plan key, direction): ``nx-a-rsud-down`` -> ``("a:rsud", "down")``;
    None for a queue netops did not create."""
    for d in DIRECTIONS:
        if name.endswith(f"-{d}"):
            key = key_of(name[: -len(d) - 1])
            if key is not None:
                return key, d
    return None


def split_ios_class_name(name: str) -> tuple[str, Direction] | None:
    """``NX-rsud-DOWN`` -> ``("NX-rsud", "down")``; None for a class netops does not render."""
    for direction in DIRECTIONS:
        suffix = IOS_SUFFIX[direction]
        if (
            name.startswith(IOS_PREFIX)
            and name.endswith(f"-{suffix}")
            and len(name) > len(IOS_PREFIX) + 1 + len(suffix)
        ):
            return name[: -len(suffix) - 1], direction
    return None
