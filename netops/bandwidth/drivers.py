"""The per-platform registry: how to read, parse and render queues on each shaper platform.

Explicit registry (a dict; an unknown platform lists the valid ones).  Pure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from netops.bandwidth import cisco, linux_tc, mikrotik
from netops.bandwidth.diff import QueueDiff
from netops.bandwidth.entries import QueueEntry, ShaperTarget
from netops.errors import BandwidthError
from netops.inventory.schema import Platform


@dataclass(frozen=True)
class QueueDriver:
    """``read_commands`` -> outputs -> ``parse``; ``render_changes`` -> commands; ``output_error``
    finds the device's error line in one command's output.  ``config_mode`` commands go through
    ``send_config_set`` (IOS), the others one by one."""

    platform: Platform
    read_commands: Callable[[ShaperTarget], list[str]]
    parse: Callable[[dict[str, str], ShaperTarget, str], list[QueueEntry]]
    render_full: Callable[[ShaperTarget], list[str]]
    render_changes: Callable[[ShaperTarget, QueueDiff], list[str]]
    output_error: Callable[[str], str | None]
    config_mode: bool = False


def _mt_parse(outputs: dict[str, str], target: ShaperTarget, device: str) -> list[QueueEntry]:
    entries = mikrotik.parse_queues(outputs[mikrotik.READ_COMMAND], device)
    # our comments read "netops: <name>": keep only the name so a rollback re-renders it as is
    return [
        replace(e, label=e.label[len("netops: ") :] if e.label.startswith("netops: ") else e.label)
        for e in entries
    ]


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


DRIVERS: dict[Platform, QueueDriver] = {
    Platform.MIKROTIK_ROUTEROS: QueueDriver(
        Platform.MIKROTIK_ROUTEROS,
        lambda t: [mikrotik.READ_COMMAND],
        _mt_parse,
        mikrotik.render_full,
        mikrotik.render_changes,
        mikrotik.output_error,
    ),
    Platform.CISCO_IOS: QueueDriver(
        Platform.CISCO_IOS,
        lambda t: [cisco.READ_COMMAND],
        _cisco_parse,
        cisco.render_full,
        cisco.render_changes,
        cisco.output_error,
        config_mode=True,
    ),
    Platform.LINUX: QueueDriver(
        Platform.LINUX,
        linux_tc.read_commands,
        _tc_parse,
        linux_tc.render_full,
        linux_tc.render_changes,
        linux_tc.output_error,
    ),
}


def driver_for(platform: Platform | str) -> QueueDriver:
    """The driver for ``platform``; :class:`BandwidthError` listing the valid ones if none."""
    for p, d in DRIVERS.items():
        if p == platform:
            return d
    valid = ", ".join(p.value for p in DRIVERS)
    raise BandwidthError(f"no queue driver for platform {platform!r} (valid: {valid})")
