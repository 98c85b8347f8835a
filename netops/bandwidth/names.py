"""What netops calls the things it creates on a shaper, and where each direction is shaped.

One home for the naming that the MikroTik renderers (simple queues and queue tree + mangle), their
read-back, the Linux tc renderer, the usage read side (:mod:`netops.bandwidth.measured`) and the
RouterOS collector share, so a name always means what netops pushed:

* plan keys -> MikroTik names: ``root`` -> ``nx-uplink``, ``g:<group>`` -> ``nx-g-<group>``,
  ``a:<code>`` -> ``nx-a-<code>`` (a simple queue, or an agency's connection mark); queue tree
  queues add the direction: ``nx-a-<code>-down`` / ``-up`` (also the agency's packet marks);
* a direction's interface: download leaves the router on the LAN interface, upload on the WAN;
* a direction's classifier: the agency's subnet is the packet's destination for download and its
  source for upload (MikroTik mangle ``dst-address``/``src-address``, tc u32 ``ip dst``/``ip src``).

Names derive from validated codes only (:func:`~netops.bandwidth.quoting.safe_code`).  Pure.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from typing import Literal

from netops.bandwidth.entries import QueueEntry, ShaperTarget
from netops.bandwidth.quoting import routeros_quote, safe_code, safe_interface, safe_subnet

# The read-back half of the naming rules lives a layer below, where the collectors' parsers reach
# it (docs/architecture.md); re-exported here for the bandwidth modules.
from netops.naming import PREFIX, ROOT_KEY, Direction
from netops.naming import key_of as key_of
from netops.naming import tree_key as tree_key

AddressSide = Literal["dst", "src"]


def queue_name(key: str) -> str:
    """``root`` -> ``nx-uplink``, ``g:opd`` -> ``nx-g-opd``, ``a:rsud`` -> ``nx-a-rsud``.

    Raises :class:`ValueError` for a key that is not a plan key, and
    :class:`~netops.errors.UnsafeValue` for a code unfit for a command line."""
    if key == ROOT_KEY:
        return f"{PREFIX}uplink"
    kind, _, code = key.partition(":")
    if kind not in ("g", "a"):
        raise ValueError(f"not a managed key: {key!r}")
    return f"{PREFIX}{kind}-{safe_code(code)}"


def tree_name(key: str, direction: Direction) -> str:
    """``("a:rsud", "down")`` -> ``nx-a-rsud-down``; ``("root", "up")`` -> ``nx-uplink-up``."""
    return f"{queue_name(key)}-{direction}"


def interface_for(target: ShaperTarget, direction: Direction) -> str:
    """Where a direction is shaped: the LAN interface for download (traffic leaves the router
    towards the agencies there), the WAN interface for upload.  Raises
    :class:`~netops.errors.UnsafeValue` for a name unfit for a command line."""
    return safe_interface(target.lan_interface if direction == "down" else target.wan_interface)


def address_side(direction: Direction) -> AddressSide:
    """The packet field holding the agency's address: ``dst`` for download, ``src`` for upload."""
    return "dst" if direction == "down" else "src"


def classifiers(
    entries: Iterable[QueueEntry],
) -> Iterator[tuple[QueueEntry, AddressSide, ipaddress.IPv4Network]]:
    """(entry, address side, subnet) for every subnet of ``entries``: what a rule or filter
    must match to send that subnet's traffic of the entry's direction to it.  Each subnet is
    re-checked (:func:`~netops.bandwidth.quoting.safe_subnet`) as it will reach a command."""
    for e in entries:
        side = address_side(e.direction)
        for net in e.subnets:
            yield e, side, safe_subnet(net)


def ros_find(name: str) -> str:
    """The RouterOS selector of the item called ``name``: ``[find where name="nx-a-rsud"]``."""
    return f"[find where name={routeros_quote(name)}]"
