"""The registry of queue drivers: how to read, parse and render queues on each shaper platform,
per rendering mode (``simple`` everywhere; ``tree`` = MikroTik queue tree + mangle).

Explicit registry (a dict keyed by (platform, mode); an unknown pair lists the valid ones).  Pure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from netops.bandwidth import cisco, linux_tc, mikrotik, mikrotik_tree, mikrotik_tree_read
from netops.bandwidth.diff import QueueDiff
from netops.bandwidth.entries import QueueEntry, ShaperTarget
from netops.errors import BandwidthError
from netops.inventory.schema import Platform, ShaperMode


@dataclass(frozen=True)
class QueueDriver:
    """``read_commands`` -> outputs -> ``parse``; ``render_changes`` -> commands; ``output_error``
    finds the device's error line in one command's output.  ``config_mode`` commands go through
    ``send_config_set`` (IOS); with ``batch`` all commands go as one (tc); the others one by
    one."""

    platform: Platform
    read_commands: Callable[[ShaperTarget], list[str]]
    parse: Callable[[dict[str, str], ShaperTarget, str], list[QueueEntry]]
    render_full: Callable[[ShaperTarget], list[str]]
    render_changes: Callable[[ShaperTarget, QueueDiff], list[str]]
    output_error: Callable[[str], str | None]
    config_mode: bool = False
    # one command carrying all of them, run by the device itself (tc -batch), and the 1-based
    # command its output says was refused
    batch: Callable[[list[str]], str] | None = None
    batch_failed_at: Callable[[str], int | None] | None = None


def _mt_read(target: ShaperTarget) -> list[str]:
    # the tree menus too: queues and marks left from tree mode would shape on top of these
    return [mikrotik.READ_COMMAND, mikrotik_tree.READ_TREE, mikrotik_tree.READ_MANGLE]


def _mt_parse(outputs: dict[str, str], target: ShaperTarget, device: str) -> list[QueueEntry]:
    entries = mikrotik.parse_queues(outputs[mikrotik.READ_COMMAND], device)
    # our comments read "netops: <name>": keep only the name so a rollback re-renders it as is
    out = [
        replace(e, label=e.label[len("netops: ") :] if e.label.startswith("netops: ") else e.label)
        for e in entries
    ]
    if mikrotik_tree.READ_TREE in outputs:
        out += mikrotik_tree_read.leftovers(outputs, target, device)
    return out


def _is_leftover(key: str) -> bool:
    return key.startswith(mikrotik_tree.TREE_PREFIX)


def _mt_render_changes(target: ShaperTarget, diff: QueueDiff) -> list[str]:
    """Simple queues through :mod:`mikrotik`; tree-mode leftovers through :mod:`mikrotik_tree`."""
    left = tuple(c for c in diff.changes if _is_leftover(c.entry.key))
    if not left:
        return mikrotik.render_changes(target, diff)
    simple = replace(target, entries=tuple(e for e in target.entries if not _is_leftover(e.key)))
    rest = QueueDiff(diff.device, tuple(c for c in diff.changes if not _is_leftover(c.entry.key)))
    return mikrotik_tree.render_leftovers(target, QueueDiff(diff.device, left)) + (
        mikrotik.render_changes(simple, rest)
    )


def _cisco_parse(outputs: dict[str, str], target: ShaperTarget, device: str) -> list[QueueEntry]:
    return cisco.parse_queues(outputs[cisco.READ_COMMAND], target, device)


def _tc_parse(outputs: dict[str, str], target: ShaperTarget, device: str) -> list[QueueEntry]:
    out: list[QueueEntry] = []
    for direction in ("down", "up"):
        iface = linux_tc.interface_for(target, direction)
        out += linux_tc.parse_interface(
            outputs[f"{linux_tc.TC} class show dev {iface}"],
            outputs[f"{linux_tc.TC} filter show dev {iface}"],
            target,
            direction,
            device,
        )
    return out


DRIVERS: dict[tuple[Platform, ShaperMode], QueueDriver] = {
    (Platform.MIKROTIK_ROUTEROS, ShaperMode.SIMPLE): QueueDriver(
        Platform.MIKROTIK_ROUTEROS,
        _mt_read,
        _mt_parse,
        mikrotik.render_full,
        _mt_render_changes,
        mikrotik.output_error,
    ),
    (Platform.MIKROTIK_ROUTEROS, ShaperMode.TREE): QueueDriver(
        Platform.MIKROTIK_ROUTEROS,
        mikrotik_tree.read_commands,
        mikrotik_tree_read.parse,
        mikrotik_tree.render_full,
        mikrotik_tree.render_changes,
        mikrotik_tree.output_error,
    ),
    (Platform.CISCO_IOS, ShaperMode.SIMPLE): QueueDriver(
        Platform.CISCO_IOS,
        lambda t: [cisco.READ_COMMAND],
        _cisco_parse,
        cisco.render_full,
        cisco.render_changes,
        cisco.output_error,
        config_mode=True,
    ),
    (Platform.LINUX, ShaperMode.SIMPLE): QueueDriver(
        Platform.LINUX,
        linux_tc.read_commands,
        _tc_parse,
        linux_tc.render_full,
        linux_tc.render_changes,
        linux_tc.output_error,
        batch=linux_tc.batch_command,
        batch_failed_at=linux_tc.batch_failed_at,
    ),
}


def driver_for(platform: Platform | str, mode: ShaperMode | str = ShaperMode.SIMPLE) -> QueueDriver:
    """The driver for ``platform`` in ``mode``; :class:`BandwidthError` listing the valid
    (platform, mode) pairs if none."""
    for (p, m), d in DRIVERS.items():
        if p == platform and m == mode:
            return d
    valid = ", ".join(f"{p.value}/{m.value}" for p, m in DRIVERS)
    raise BandwidthError(
        f"no queue driver for platform {str(platform)!r} in mode {str(mode)!r} (valid: {valid})"
    )


def target_driver(target: ShaperTarget) -> QueueDriver:
    """The driver for a shaper target (its platform and mode)."""
    return driver_for(target.platform, target.mode)
