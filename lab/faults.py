"""Faults on demand, per device: what goes wrong in a real intranet, seen from the client's side.

- ``link-down`` (interface): oper down on both ends of the link, LLDP neighbours vanish.
- ``unreachable``: listener closed and open sessions dropped: connection refused.
- ``reboot``: sessions dropped; uptime and every counter restart from zero; unsaved config lost.
- ``counter-wrap`` (interface, seconds_to_wrap): 32-bit counters set to wrap within seconds.
- ``slow`` (delay_s, jitter_s): every command answers after delay_s (+ up to jitter_s).
- ``hang`` (after_commands): after that many commands, output stops mid-way and the prompt
  never comes back.
- ``garbage``: command output replaced by line noise (the prompt still follows).
- ``auth-fail``: every password is refused.
- ``host-key``: the device presents a new SSH host key.
- ``lldp-disagree`` (interface, system_name): LLDP reports a neighbour the inventory lacks.
- ``limited`` (refuse, allow): a device that supports only part of the commands.  ``refuse`` is
  a ``|``-separated list of command prefixes answered with the platform's refusal (IOS
  ``% Invalid input detected at '^' marker.``, RouterOS ``bad command name ...``, Linux
  ``bash: x: command not found``); with ``allow``, every data command (IOS ``show ...``, RouterOS
  ``/...``, Linux tools) that does not start with one of its prefixes is refused too.  Session
  set-up (``terminal length 0``, ``enable``) is never refused.

``interface`` omitted means every interface (``link-down`` needs one).  Clearing a device's faults
undoes them all (the original host key comes back; a rebooted device stays rebooted).

Python: ``lab.fault("dist1", "link-down", interface="GigabitEthernet1/0/1")``; CLI:
``netops lab fault dist1 link-down --param interface=GigabitEthernet1/0/1``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from lab.state import DeviceState, InterfaceState, LldpNeighbor
from netops.errors import LabError


class FaultKind(StrEnum):
    LINK_DOWN = "link-down"
    UNREACHABLE = "unreachable"
    REBOOT = "reboot"
    COUNTER_WRAP = "counter-wrap"
    SLOW = "slow"
    HANG = "hang"
    GARBAGE = "garbage"
    AUTH_FAIL = "auth-fail"
    HOST_KEY = "host-key"
    LLDP_DISAGREE = "lldp-disagree"
    LIMITED = "limited"


PARAMS: dict[FaultKind, dict[str, type]] = {
    FaultKind.LINK_DOWN: {"interface": str},
    FaultKind.UNREACHABLE: {},
    FaultKind.REBOOT: {},
    FaultKind.COUNTER_WRAP: {"interface": str, "seconds_to_wrap": float},
    FaultKind.SLOW: {"delay_s": float, "jitter_s": float},
    FaultKind.HANG: {"after_commands": int},
    FaultKind.GARBAGE: {},
    FaultKind.AUTH_FAIL: {},
    FaultKind.HOST_KEY: {},
    FaultKind.LLDP_DISAGREE: {"interface": str, "system_name": str},
    FaultKind.LIMITED: {"refuse": str, "allow": str},
}


@dataclass
class ServerFaults:
    """The faults the SSH server applies to one device's sessions."""

    unreachable: bool = False
    auth_fail: bool = False
    delay_s: float = 0.0
    jitter_s: float = 0.0
    hang_after: int | None = None
    garbage: bool = False
    host_key_changed: bool = False
    refuse: tuple[str, ...] | None = None
    allow: tuple[str, ...] | None = None

    def any(self) -> bool:
        return (
            self.unreachable
            or self.auth_fail
            or self.delay_s > 0
            or self.jitter_s > 0
            or self.hang_after is not None
            or self.garbage
            or self.host_key_changed
            or self.refuse is not None
            or self.allow is not None
        )


def parse_kind(kind: str) -> FaultKind:
    """``kind`` as a :class:`FaultKind`; :class:`LabError` listing the valid kinds otherwise."""
    try:
        return FaultKind(kind)
    except ValueError:
        valid = ", ".join(k.value for k in FaultKind)
        raise LabError(f"unknown fault {kind!r}; valid: {valid}") from None


def coerce_params(kind: FaultKind, params: dict[str, Any]) -> dict[str, Any]:
    """Check and convert ``params`` (strings from the CLI are accepted); :class:`LabError` naming
    the bad parameter otherwise."""
    allowed = PARAMS[kind]
    out: dict[str, Any] = {}
    for key, value in params.items():
        if key not in allowed:
            valid = ", ".join(allowed) or "none"
            raise LabError(f"fault {kind.value}: unknown parameter {key!r} (valid: {valid})")
        try:
            out[key] = allowed[key](value)
        except (TypeError, ValueError):
            raise LabError(
                f"fault {kind.value}: parameter {key}={value!r} is not a {allowed[key].__name__}"
            ) from None
    if kind is FaultKind.LINK_DOWN and "interface" not in out:
        raise LabError("fault link-down needs interface=NAME")
    for key in ("delay_s", "jitter_s", "seconds_to_wrap"):
        if key in out and out[key] < 0:
            raise LabError(f"fault {kind.value}: {key} must not be negative")
    if out.get("after_commands", 0) < 0:
        raise LabError(f"fault {kind.value}: after_commands must not be negative")
    return out


def _interfaces(state: DeviceState, name: str | None) -> list[InterfaceState]:
    if name is None:
        return list(state.interfaces.values())
    try:
        return [state.interfaces[name]]
    except KeyError:
        valid = ", ".join(state.interfaces) or "(none)"
        raise LabError(f"{state.hostname} has no interface {name!r}; it has: {valid}") from None


def _wrap_offset(raw_octets: float, rate_bps: float, seconds: float) -> int:
    """Offset that puts a counter at ``raw_octets`` ``rate_bps * seconds`` bytes below 2**32."""
    margin = int(rate_bps * seconds / 8.0)
    return ((1 << 32) - margin - int(raw_octets)) % (1 << 32)


def apply_state_fault(state: DeviceState, kind: FaultKind, params: dict[str, Any]) -> bool:
    """Apply a fault that lives in the device's state; False if ``kind`` is a server fault."""
    if kind is FaultKind.LINK_DOWN:
        state.sync()
        for iface in _interfaces(state, params["interface"]):
            if iface.peer is not None:
                iface.peer.link_fault = True
            iface.link_fault = True
        return True
    if kind is FaultKind.COUNTER_WRAP:
        state.sync()
        seconds = float(params.get("seconds_to_wrap", 3.0))
        for iface in _interfaces(state, params.get("interface")):
            iface.counter_bits = 32
            # Land each octet counter just below 2**32 so that, at its own current rate, it
            # wraps within `seconds`.
            iface.counter_offset = _wrap_offset(
                iface.raw.get("in_octets", 0.0), iface.rate_in_bps, seconds
            )
            iface.counter_offset_out = _wrap_offset(
                iface.raw.get("out_octets", 0.0), iface.rate_out_bps, seconds
            )
        return True
    if kind is FaultKind.LLDP_DISAGREE:
        name = params.get("system_name", "unknown-switch")
        override: dict[str, list[LldpNeighbor]] = {}
        for iface in _interfaces(state, params.get("interface")):
            real = state.lldp_neighbors(iface.name)
            port = real[0].port_id if real else "Gi0/24"
            override[iface.name] = [
                LldpNeighbor(
                    local_interface=iface.name,
                    system_name=name,
                    port_id=port,
                    port_description="uplink",
                    chassis_id="02:de:ad:be:ef:01",
                    system_description="unmanaged switch",
                    capabilities=("bridge",),
                    mgmt_address="",
                    platform="",
                )
            ]
        state.lldp_override = override
        return True
    if kind is FaultKind.REBOOT:
        state.reboot()
        return True
    return False


def clear_state_faults(state: DeviceState) -> None:
    """Undo link, wrap and LLDP faults on ``state`` (and the far ends of its links)."""
    state.sync()
    for iface in state.interfaces.values():
        if iface.link_fault and iface.peer is not None:
            iface.peer.link_fault = False
        iface.link_fault = False
        if iface.counter_bits != 64:
            iface.counter_bits = 64
            iface.counter_offset = 0
            iface.counter_offset_out = 0
    state.lldp_override = None


def apply_server_fault(faults: ServerFaults, kind: FaultKind, params: dict[str, Any]) -> None:
    """Record a server-side fault in ``faults`` (the server acts on it)."""
    if kind is FaultKind.UNREACHABLE:
        faults.unreachable = True
    elif kind is FaultKind.AUTH_FAIL:
        faults.auth_fail = True
    elif kind is FaultKind.SLOW:
        faults.delay_s = float(params.get("delay_s", 1.0))
        faults.jitter_s = float(params.get("jitter_s", 0.0))
    elif kind is FaultKind.HANG:
        faults.hang_after = int(params.get("after_commands", 0))
    elif kind is FaultKind.GARBAGE:
        faults.garbage = True
    elif kind is FaultKind.HOST_KEY:
        faults.host_key_changed = True
    elif kind is FaultKind.LIMITED:
        faults.refuse = _prefixes(params.get("refuse", ""))
        faults.allow = _prefixes(params["allow"]) if "allow" in params else None


def _prefixes(text: str) -> tuple[str, ...]:
    return tuple(" ".join(p.split()) for p in str(text).split("|") if p.strip())


# What the collectors send as data commands, per platform (session set-up is never refused).
_DATA_COMMAND = {
    "cisco_ios": re.compile(r"^(show|sh)\s"),
    "mikrotik_routeros": re.compile(r"^/"),
    "linux": re.compile(r"^(ip|cat|hostname|uname|lldpcli|lldpctl|tc|sudo|ss|ping)(\s|$)"),
}


def refusal(faults: ServerFaults, platform: str, line: str, prompt: str = "") -> str | None:
    """The platform's refusal of ``line`` when a ``limited`` fault refuses it, else None."""
    if faults.refuse is None and faults.allow is None:
        return None
    cmd = " ".join(line.split())
    if not cmd:
        return None
    refused = any(cmd.startswith(p) for p in faults.refuse or ())
    data = _DATA_COMMAND.get(platform)
    if faults.allow is not None and data is not None and data.match(cmd):
        refused = refused or not any(cmd.startswith(p) for p in faults.allow)
    if not refused:
        return None
    first = cmd.split()[0]
    if platform == "cisco_ios":
        return " " * len(prompt) + "^\n% Invalid input detected at '^' marker.\n\n"
    if platform == "mikrotik_routeros":
        word = cmd.strip("/").split("/")[0].split()[0] if cmd.strip("/") else first
        return f"bad command name {word} (line 1 column 2)\n"
    return f"bash: {first}: command not found\n"
