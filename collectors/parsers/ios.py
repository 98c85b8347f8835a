"""Cisco IOS parsing through napalm's ``ios`` driver, made pure.

napalm's getters already parse IOS (regexes + TextFSM) and are well kept; rather than copy them we
run them over recorded text: :class:`ReplayDevice` stands in for the netmiko session and answers
each command from a mapping, the way an IOS box does (``% Invalid input`` for anything else).
The live driver (``collectors.drivers.cisco_ios``) runs the very same napalm code over SSH and the
same ``*_from_napalm`` converters, so golden-file tests cover what production runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from collectors.base import ConfigText, Facts, InterfaceCounters, InterfaceInfo, Neighbor
from netops.errors import CollectorError, ParseError

INVALID = "% Invalid input detected at '^' marker."

T = TypeVar("T")


class ReplayDevice:
    """A stand-in for a netmiko connection that replays recorded command outputs."""

    def __init__(self, outputs: Mapping[str, str], device: str = "replay") -> None:
        self.outputs = dict(outputs)
        self.device = device
        self.asked: list[str] = []

    def send_command(self, command: str, **_: Any) -> str:
        from collectors.refusals import check_output

        self.asked.append(command)
        return check_output(self.device, "cisco_ios", command, self.outputs.get(command, INVALID))

    def is_alive(self) -> bool:
        return True


def napalm_driver(device: Any) -> Any:
    """A napalm IOSDriver bound to an already-open netmiko session (or a :class:`ReplayDevice`)."""
    from napalm.ios.ios import IOSDriver

    driver = IOSDriver("replay", "", "", timeout=60, optional_args={})
    driver.device = device
    return driver


def call_napalm(device: str, what: str, fn: Callable[[], T]) -> T:
    """Run one napalm getter; its parse failures become :class:`ParseError` naming ``device``."""
    try:
        return fn()
    except CollectorError:
        raise
    except (ValueError, KeyError, IndexError, AttributeError, TypeError) as exc:
        raise ParseError(device, f"napalm ios {what}: {exc.__class__.__name__}: {exc}") from None
    except Exception as exc:
        if exc.__class__.__module__.startswith(("textfsm", "napalm")):
            raise ParseError(device, f"napalm ios {what}: {exc}") from None
        raise


def _require(device: str, what: str, text: str, marker: str) -> None:
    if INVALID in text or marker not in text:
        raise ParseError(device, f"{what}: output lacks {marker!r} (empty, refused or truncated)")


UNKNOWN = "Unknown"
"""What napalm's ios get_facts leaves in a field it could not read (uptime: -1)."""

_NO_LLDP_NEIGHBOURS = re.compile(r"^Total entries displayed: 0\s*$", re.M)


def check_no_neighbors(device: str, outputs: Mapping[str, str]) -> None:
    """An empty neighbour list is a fact only when the device said so in the form IOS uses
    (``Total entries displayed: 0``); :class:`ParseError` naming the command otherwise."""
    for command in ("show lldp neighbors detail", "show lldp neighbors"):
        text = outputs.get(command)
        if text is not None and _NO_LLDP_NEIGHBOURS.search(text):
            return
    said = " | ".join(
        f"{c!r}: {t.strip()[:80]!r}" for c, t in outputs.items() if c.startswith("show lldp")
    )
    raise ParseError(
        device,
        "napalm ios get_lldp_neighbors_detail: no neighbour parsed and the device did not say "
        f"'Total entries displayed: 0' ({said or 'no LLDP command answered'})",
    )


def facts_from_napalm(device: str, facts: Mapping[str, Any]) -> Facts:
    unread = [
        key
        for key in ("hostname", "model", "os_version")
        if not facts.get(key) or str(facts[key]) == UNKNOWN
    ]
    uptime = facts.get("uptime", -1)
    if not isinstance(uptime, (int, float)) or uptime < 0:
        unread.append("uptime")
    if unread:
        raise ParseError(
            device,
            f"napalm ios get_facts: 'show version' did not give {', '.join(unread)} "
            "(napalm reports them as 'Unknown'/-1; not stored)",
        )
    return Facts(
        hostname=str(facts["hostname"]),
        vendor=str(facts.get("vendor", "Cisco")),
        model=str(facts.get("model", "")),
        os_version=str(facts["os_version"]),
        # a serial napalm could not read is stored as unknown (""), never as the word "Unknown"
        serial_number=""
        if str(facts.get("serial_number", "")) == UNKNOWN
        else str(facts.get("serial_number", "")),
        uptime_s=float(uptime),
        interface_names=tuple(facts.get("interface_list", ())),
    )


def interfaces_from_napalm(ifaces: Mapping[str, Mapping[str, Any]]) -> list[InterfaceInfo]:
    out = []
    for name, d in ifaces.items():
        speed = float(d.get("speed", -1))
        mtu = int(d.get("mtu", -1))
        out.append(
            InterfaceInfo(
                name=name,
                is_up=bool(d.get("is_up")),
                is_enabled=bool(d.get("is_enabled")),
                speed_mbps=speed if speed > 0 else None,
                mtu_bytes=mtu if mtu > 0 else None,
                mac_address=str(d.get("mac_address", "")).upper(),
                description=str(d.get("description", "")),
            )
        )
    return out


def counters_from_napalm(counters: Mapping[str, Mapping[str, int]]) -> list[InterfaceCounters]:
    """napalm's IOS ``rx_unicast_packets`` is the total of "packets input" (likewise output)."""
    return [
        InterfaceCounters(
            name=name,
            octets_in=int(c["rx_octets"]),
            octets_out=int(c["tx_octets"]),
            packets_in=int(c["rx_unicast_packets"]),
            packets_out=int(c["tx_unicast_packets"]),
            errors_in=max(int(c.get("rx_errors", 0)), 0),
            errors_out=max(int(c.get("tx_errors", 0)), 0),
            counter_bits=64,
        )
        for name, c in counters.items()
    ]


def neighbors_from_napalm(detail: Mapping[str, list[Mapping[str, Any]]]) -> list[Neighbor]:
    out = []
    for local, entries in detail.items():
        for e in entries:
            out.append(
                Neighbor(
                    local_interface=local,
                    remote_system_name=str(e.get("remote_system_name") or e["remote_chassis_id"]),
                    remote_port=str(e.get("remote_port", "")),
                    remote_address="",
                    protocol="lldp",
                )
            )
    return out


def get_facts(device: str, driver: Any) -> Facts:
    return facts_from_napalm(device, call_napalm(device, "get_facts", driver.get_facts))


def get_interfaces(device: str, driver: Any) -> list[InterfaceInfo]:
    out = interfaces_from_napalm(call_napalm(device, "get_interfaces", driver.get_interfaces))
    if not out:
        raise ParseError(device, "napalm ios get_interfaces: no interface in 'show interfaces'")
    return out


def get_counters(device: str, driver: Any) -> list[InterfaceCounters]:
    raw = call_napalm(device, "get_interfaces_counters", driver.get_interfaces_counters)
    out = counters_from_napalm(raw)
    if not out:
        raise ParseError(device, "napalm ios get_interfaces_counters: no interface counters")
    return out


def get_neighbors(device: str, driver: Any) -> list[Neighbor]:
    raw = call_napalm(device, "get_lldp_neighbors_detail", driver.get_lldp_neighbors_detail)
    return neighbors_from_napalm(raw)


def get_config(device: str, driver: Any) -> ConfigText:
    raw = call_napalm(device, "get_config", lambda: driver.get_config(retrieve="running"))
    text = str(raw.get("running", ""))
    if not text.strip() or "hostname" not in text:
        raise ParseError(device, "napalm ios get_config: running-config empty or truncated")
    return ConfigText(running=text)


def _replay(outputs: Mapping[str, str], device: str) -> Any:
    return napalm_driver(ReplayDevice(outputs, device))


def parse_facts(device: str, outputs: Mapping[str, str]) -> Facts:
    """From ``show version``, ``show hosts`` and ``show ip interface brief``."""
    _require(device, "show version", outputs.get("show version", ""), "uptime is")
    return get_facts(device, _replay(outputs, device))


def parse_interfaces(device: str, outputs: Mapping[str, str]) -> list[InterfaceInfo]:
    """From ``show interfaces``."""
    _require(device, "show interfaces", outputs.get("show interfaces", ""), "line protocol is")
    return get_interfaces(device, _replay(outputs, device))


def parse_counters(device: str, outputs: Mapping[str, str]) -> list[InterfaceCounters]:
    """From ``show interfaces`` and ``show interface summary``."""
    _require(device, "show interfaces", outputs.get("show interfaces", ""), "packets input")
    return get_counters(device, _replay(outputs, device))


def parse_neighbors(device: str, outputs: Mapping[str, str]) -> list[Neighbor]:
    """From ``show lldp neighbors detail`` (and ``show lldp neighbors`` on older IOS)."""
    found = get_neighbors(device, _replay(outputs, device))
    if not found:
        check_no_neighbors(device, outputs)
    return found


def parse_config(device: str, outputs: Mapping[str, str]) -> ConfigText:
    """From ``show running-config``."""
    return get_config(device, _replay(outputs, device))
