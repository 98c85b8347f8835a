"""``lldpcli`` / ``lldpctl`` (lldpd 1.0) over the device's LLDP neighbours: text, ``-f json``
and ``-f keyvalue`` forms of ``show neighbors [details]``."""

from __future__ import annotations

import json
from typing import Any

from lab.state import DeviceState, LldpNeighbor

RULE = "-" * 79
CAPS = ("Bridge", "Router", "Wlan", "Station")


def _age(state: DeviceState) -> str:
    seconds = int(min(state.uptime_s(), 86400 * 99))
    days, rest = divmod(seconds, 86400)
    return f"{days} day, {rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"


def _caps(nb: LldpNeighbor) -> list[tuple[str, bool]]:
    enabled = {c.lower() for c in nb.capabilities}
    return [(c, c.lower() in enabled) for c in CAPS]


def text(state: DeviceState) -> str:
    lines = [RULE, "LLDP neighbors:", RULE]
    for rid, nb in enumerate(state.lldp_neighbors(), start=1):
        lines += [
            f"Interface:    {nb.local_interface}, via: LLDP, RID: {rid}, Time: {_age(state)}",
            "  Chassis:",
            f"    ChassisID:    mac {nb.chassis_id}",
            f"    SysName:      {nb.system_name}",
            f"    SysDescr:     {nb.system_description}",
        ]
        if nb.mgmt_address:
            lines.append(f"    MgmtIP:       {nb.mgmt_address}")
        lines += [f"    Capability:   {c}, {'on' if on else 'off'}" for c, on in _caps(nb)]
        lines += [
            "  Port:",
            f"    PortID:       ifname {nb.port_id}",
            f"    PortDescr:    {nb.port_description}",
            "    TTL:          120",
            RULE,
        ]
    return "\n".join(lines)


def as_json(state: DeviceState) -> str:
    interfaces: dict[str, Any] = {}
    for rid, nb in enumerate(state.lldp_neighbors(), start=1):
        chassis: dict[str, Any] = {
            "id": {"type": "mac", "value": nb.chassis_id},
            "descr": nb.system_description,
        }
        if nb.mgmt_address:
            chassis["mgmt-ip"] = nb.mgmt_address
        chassis["capability"] = [{"type": c, "enabled": on} for c, on in _caps(nb)]
        interfaces[nb.local_interface] = {
            "via": "LLDP",
            "rid": str(rid),
            "age": _age(state),
            "chassis": {nb.system_name: chassis},
            "port": {
                "id": {"type": "ifname", "value": nb.port_id},
                "descr": nb.port_description,
                "ttl": "120",
            },
        }
    return json.dumps({"lldp": {"interface": interfaces}}, indent=2)


def keyvalue(state: DeviceState) -> str:
    lines = []
    for rid, nb in enumerate(state.lldp_neighbors(), start=1):
        p = f"lldp.{nb.local_interface}"
        lines += [
            f"{p}.via=LLDP",
            f"{p}.rid={rid}",
            f"{p}.age={_age(state)}",
            f"{p}.chassis.mac={nb.chassis_id}",
            f"{p}.chassis.name={nb.system_name}",
            f"{p}.chassis.descr={nb.system_description}",
            f"{p}.chassis.mgmt-ip={nb.mgmt_address}",
            f"{p}.port.ifname={nb.port_id}",
            f"{p}.port.descr={nb.port_description}",
            f"{p}.port.ttl=120",
        ]
    return "\n".join(lines)


def run(state: DeviceState, argv: list[str]) -> str:
    """``lldpcli [-f text|json|keyvalue] show neighbors [details|summary]``."""
    fmt = "text"
    words = list(argv)
    if words[:1] == ["-f"] and len(words) > 1:
        fmt, words = words[1], words[2:]
    if fmt not in ("plain", "text", "json", "keyvalue"):
        return f"lldpcli: unknown output format {fmt}"
    if not words:
        words = ["show", "neighbors"]
    if words[:2] not in (["show", "neighbors"], ["show", "neighbor"]) or any(
        w not in ("details", "summary", "ports") for w in words[2:]
    ):
        return f"lldpcli: unknown command from argument 1: `{' '.join(words)}`"
    if fmt == "json":
        return as_json(state)
    if fmt == "keyvalue":
        return keyvalue(state)
    return text(state)
