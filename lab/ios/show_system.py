"""Cisco IOS ``show inventory``, ``show cdp neighbors [detail]``, ``show logging`` and ``show
environment [all|temperature]``, consistent with the device's identity
(:mod:`lab.identities.cisco_ios`), its links and its interface states.

CDP is spoken by the Cisco and MikroTik neighbours (RouterOS' discovery sends CDP by default),
not by the Linux routers (lldpd sends LLDP only).  Optics: every SFP/SFP+ port with an inventory
link holds a transceiver matching its media type.
"""

from __future__ import annotations

from datetime import UTC, datetime

from lab.identities.cisco_ios import identity, media_type
from lab.identities.routeros import identity as ros_identity
from lab.state import DeviceState, LldpNeighbor, stable_seed

CDP_PLATFORMS = ("cisco_ios", "mikrotik_routeros")
OPTIC_PID = {
    "SFP-10GBase-SR": "SFP-10G-SR",
    "SFP-10GBase-LR": "SFP-10G-LR",
    "1000BaseSX SFP": "GLC-SX-MMD",
    "1000BaseLX SFP": "GLC-LH-SMD",
}
CDP_PREFIX = {
    "TenGigabitEthernet": "Ten",
    "GigabitEthernet": "Gig",
    "FastEthernet": "Fas",
}


def _serial(state: DeviceState, what: str) -> str:
    n = stable_seed(state.serial, what) % 36**8
    digits = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    body = ""
    for _ in range(8):
        n, r = divmod(n, len(digits))
        body = digits[r % len(digits)] + body
    return "AVD" + body


def inventory_entries(state: DeviceState) -> list[tuple[str, str, str, str, str]]:
    """(name, descr, pid, vid, serial): chassis, power supply, then optics by port."""
    ident = identity(state.model)
    model = state.model
    chassis = "Switch 1" if ident.xe else "1"
    out = [
        (chassis, model, model, "V02", state.serial),
        (
            "Switch 1 - Power Supply A" if ident.xe else "Power Supply 1",
            "Switch 1 - Power Supply A" if ident.xe else "FRU Power Supply",
            ident.power_supply,
            "V01",
            _serial(state, "psu"),
        ),
    ]
    for name, iface in state.interfaces.items():
        media = media_type(model, name)
        if media in OPTIC_PID and iface.peer is not None:
            out.append((name, media, OPTIC_PID[media], "V01", _serial(state, name)))
    return out


def show_inventory(state: DeviceState) -> str:
    lines: list[str] = []
    for name, descr, pid, vid, sn in inventory_entries(state):
        lines += [
            f'NAME: "{name}", DESCR: "{descr}"',
            f"PID: {pid:<18}, VID: {vid} , SN: {sn}",
            "",
        ]
    return "\n".join(lines) + "\n"


def cdp_neighbors(state: DeviceState) -> list[LldpNeighbor]:
    """The LLDP neighbours that also speak CDP (Cisco and MikroTik lab devices)."""
    return [
        nb
        for nb in state.lldp_neighbors()
        if nb.remote is not None and nb.remote.platform in CDP_PLATFORMS
    ]


def _cdp_port(name: str) -> str:
    for long, short in CDP_PREFIX.items():
        if name.startswith(long):
            return f"{short} {name[len(long) :]}"
    return name


def _cdp_platform(nb: LldpNeighbor) -> tuple[str, str]:
    """(platform, capability letters) CDP reports for the neighbour."""
    assert nb.remote is not None
    if nb.remote.platform == "mikrotik_routeros":
        return "MikroTik", "R"
    return f"cisco {nb.remote.model}", "R S I"


def show_cdp_neighbors(state: DeviceState) -> str:
    lines = [
        "Capability Codes: R - Router, T - Trans Bridge, B - Source Route Bridge",
        "                  S - Switch, H - Host, I - IGMP, r - Repeater, P - Phone, ",
        "                  D - Remote, C - CVTA, M - Two-port Mac Relay ",
        "",
        "Device ID        Local Intrfce     Holdtme    Capability  Platform  Port ID",
    ]
    neighbors = cdp_neighbors(state)
    for nb in neighbors:
        platform, caps = _cdp_platform(nb)
        platform = platform.removeprefix("cisco ")
        rest = (
            f"{_cdp_port(nb.local_interface):<17} {150 - state.rng.randint(0, 30):<10} "
            f"{caps:>10} {platform:<9} {_cdp_port(nb.port_id)}"
        )
        if len(nb.system_name) > 16:
            lines += [nb.system_name, " " * 17 + rest]
        else:
            lines.append(f"{nb.system_name:<16} {rest}")
    lines += ["", f"Total cdp entries displayed : {len(neighbors)}"]
    return "\n".join(lines) + "\n"


def show_cdp_neighbors_detail(state: DeviceState) -> str:
    lines: list[str] = []
    neighbors = cdp_neighbors(state)
    for nb in neighbors:
        remote = nb.remote
        assert remote is not None
        platform, _ = _cdp_platform(nb)
        caps = "Router" if remote.platform == "mikrotik_routeros" else "Router Switch IGMP"
        if remote.platform == "mikrotik_routeros":
            platform = f"MikroTik {ros_identity(remote.model).board_name}"
            version = [f"MikroTik RouterOS {remote.os_version} (stable)"]
        else:
            version = [
                identity(remote.model).banner_line(),
                "Technical Support: http://www.cisco.com/techsupport",
                "Copyright (c) 1986-2023 by Cisco Systems, Inc.",
                identity(remote.model).compiled,
            ]
        lines += [
            "-------------------------",
            f"Device ID: {nb.system_name}",
            "Entry address(es): ",
            f"  IP address: {nb.mgmt_address}",
            f"Platform: {platform},  Capabilities: {caps} ",
            f"Interface: {nb.local_interface},  Port ID (outgoing port): {nb.port_id}",
            f"Holdtime : {150 - state.rng.randint(0, 30)} sec",
            "",
            "Version :",
            *version,
            "",
            "advertisement version: 2",
            "Duplex: full",
            "Management address(es): ",
            f"  IP address: {nb.mgmt_address}",
            "",
        ]
    lines += ["", f"Total cdp entries displayed : {len(neighbors)}"]
    return "\n".join(lines) + "\n"


def _stamp(epoch_s: float) -> str:
    """UTC, as the running config's ``service timestamps log datetime msec`` (no
    ``localtime``) prints it: ``Dec  7 02:15:05.123``."""
    t = datetime.fromtimestamp(epoch_s, tz=UTC)
    return f"{t:%b} {t.day:>2} {t:%H:%M:%S}.{t.microsecond // 1000:03d}"


def log_events(state: DeviceState, config_events: list[tuple[float, str]]) -> list[str]:
    """Messages of the log buffer, oldest first: each port coming up after boot, ports that
    are down now, then the configuration events the personality recorded."""
    events: list[tuple[float, str]] = [(state.boot_time_s + 1, "%SYS-5-RESTART: System restarted")]
    for k, (name, iface) in enumerate(state.interfaces.items()):
        t = state.boot_time_s + 40 + k
        events.append((t, f"%LINK-3-UPDOWN: Interface {name}, changed state to up"))
        events.append(
            (t + 1, f"%LINEPROTO-5-UPDOWN: Line protocol on Interface {name}, changed state to up")
        )
        if not iface.admin_up:
            events.append(
                (
                    state.now_s() - 60,
                    f"%LINK-5-CHANGED: Interface {name}, changed state to administratively down",
                )
            )
        elif not iface.oper_up:
            events.append(
                (state.now_s() - 60, f"%LINK-3-UPDOWN: Interface {name}, changed state to down")
            )
    events += config_events
    events.sort(key=lambda e: e[0])
    return [f"{n:06d}: {_stamp(t)}: {msg}" for n, (t, msg) in enumerate(events, start=1)]


def show_logging(state: DeviceState, config_events: list[tuple[float, str]]) -> str:
    messages = log_events(state, config_events)
    n = len(messages)
    head = [
        "Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, "
        "0 overruns, xml disabled, filtering disabled)",
        "",
        "No Active Message Discriminator.",
        "",
        "",
        "",
        "No Inactive Message Discriminator.",
        "",
        "",
        "    Console logging: disabled",
        f"    Monitor logging: level debugging, {n} messages logged, xml disabled,",
        "                     filtering disabled",
        f"    Buffer logging:  level debugging, {n} messages logged, xml disabled,",
        "                    filtering disabled",
        "    Exception Logging: size (4096 bytes)",
        "    Count and timestamp logging messages: disabled",
        "    Persistent logging: disabled",
        "",
        "No active filter modules.",
        "",
        f"    Trap logging: level informational, {n} message lines logged",
        "        Logging Source-Interface:       VRF Name:",
        "",
        "Log Buffer (16384 bytes):",
        "",
    ]
    return "\n".join(head + messages) + "\n"


def _temperatures(state: DeviceState) -> tuple[int, int]:
    inlet = 26 + stable_seed(state.serial, "inlet") % 8
    return inlet, inlet + 36


def show_environment_temperature(state: DeviceState) -> str:
    inlet, hotspot = _temperatures(state)
    return (
        "Switch 1: SYSTEM TEMPERATURE is OK\n"
        f"Inlet Temperature Value: {inlet} Degree Celsius\n"
        "Temperature State: GREEN\n"
        "Yellow Threshold : 46 Degree Celsius\n"
        "Red Threshold    : 56 Degree Celsius\n"
        "\n"
        f"Hotspot Temperature Value: {hotspot} Degree Celsius\n"
        "Temperature State: GREEN\n"
        "Yellow Threshold : 105 Degree Celsius\n"
        "Red Threshold    : 125 Degree Celsius\n"
    )


def show_environment(state: DeviceState) -> str:
    """``show environment all``: fans, temperature, then the power supply table."""
    ident = identity(state.model)
    psu_sn = _serial(state, "psu")
    watts = "".join(c for c in ident.power_supply.split("-")[2] if c.isdigit()) or "350"
    return (
        "Switch 1 FAN 1 is OK\n"
        "Switch 1 FAN 2 is OK\n"
        "FAN PS-1 is OK\n"
        "FAN PS-2 is NOT PRESENT\n"
        + show_environment_temperature(state)
        + "SW  PID                 Serial#     Status           Sys Pwr  PoE Pwr  Watts\n"
        "--  ------------------  ----------  ---------------  -------  -------  -----\n"
        f"1A  {ident.power_supply:<18}  {psu_sn:<10}  OK               Good     Good     {watts}\n"
        "1B  Not Present\n"
    )
