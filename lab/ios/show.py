"""Cisco IOS ``show`` outputs, laid out like a Catalyst running IOS 15.2 prints them (see
tests/lab/golden/cisco_ios/*/SOURCE.md for the real outputs they are checked against)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from lab.identities.cisco_ios import hardware, identity, media_type, speed_text
from lab.ios.config import IosConfig, PolicyClass, class_subnets
from lab.ios.names import short_name
from lab.state import Counters, DeviceState, InterfaceState, LldpNeighbor

WITA = timezone(timedelta(hours=8), "WITA")


def local_time(state: DeviceState) -> datetime:
    return datetime.fromtimestamp(state.now_s(), tz=UTC).astimezone(WITA)


def clock_text(state: DeviceState) -> str:
    """``10:15:05.123 WITA Wed Nov 29 2025``."""
    t = local_time(state)
    ms = t.microsecond // 1000
    return f"{t:%H:%M:%S}.{ms:03d} WITA {t:%a %b} {t.day} {t.year}"


def show_clock(state: DeviceState) -> str:
    return f"*{clock_text(state)}\n"


def uptime_text(seconds: float) -> str:
    """IOS style: ``2 years, 31 weeks, 6 days, 9 hours, 55 minutes``."""
    minutes = int(seconds // 60)
    parts: list[str] = []
    for unit, size in (("year", 525600), ("week", 10080), ("day", 1440), ("hour", 60)):
        n, minutes = divmod(minutes, size)
        if n:
            parts.append(f"{n} {unit}{'s' if n != 1 else ''}")
    parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return ", ".join(parts)


def dotted_mac(mac: str) -> str:
    """``02:00:5e:10:00:01`` -> ``0200.5e10.0001``."""
    h = mac.replace(":", "").lower()
    return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"


def show_version(state: DeviceState) -> str:
    """``show version`` of the device's model (:mod:`lab.identities.cisco_ios`): IOS-XE's layout on
    Catalyst 9000/3850, classic IOS's on 2960-X/3750-E."""
    ident = identity(state.model)
    t_boot = datetime.fromtimestamp(state.boot_time_s, tz=UTC).astimezone(WITA)
    n_ge = sum(1 for i in state.interfaces if i.startswith("Gi"))
    n_te = sum(1 for i in state.interfaces if i.startswith("Te"))
    head = [f"Cisco IOS XE Software, Version {ident.xe_version}"] if ident.xe else []
    head += [
        ident.banner_line(),
        "Technical Support: http://www.cisco.com/techsupport",
        "Copyright (c) 1986-2023 by Cisco Systems, Inc.",
        ident.compiled,
        "",
    ]
    if ident.xe:
        head += [
            "",
            "Cisco IOS-XE software, Copyright (c) 2005-2023 by cisco Systems, Inc.",
            "All rights reserved.  Certain components of Cisco IOS-XE software are",
            'licensed under the GNU General Public License ("GPL") Version 2.0.',
            "",
            "",
        ]
    uptime = uptime_text(state.uptime_s())
    restarted = f"{t_boot:%H:%M:%S} WITA {t_boot:%a %b} {t_boot.day} {t_boot.year}"
    body = [
        f"ROM: {ident.rom}",
        f"BOOTLDR: {ident.bootldr}",
        "",
        f"{state.hostname} uptime is {uptime}",
    ]
    if ident.xe:
        body.append(f"Uptime for this control processor is {uptime}")
    body += [
        "System returned to ROM by power-on",
        f"System restarted at {restarted}",
        f'System image file is "{ident.image_file}"',
        "Last reload reason: power-on",
        "",
        "",
        "This product contains cryptographic features and is subject to United",
        "States and local country laws governing import, export, transfer and",
        "use.",
        "",
        f"cisco {state.model} ({ident.processor}) processor (revision B0) with {ident.memory}",
        f"Processor board ID {state.serial}",
        "Last reset from power-on",
        f"{2 if ident.xe else 1} Virtual Ethernet interface{'s' if ident.xe else ''}",
    ]
    if n_ge:
        body.append(f"{n_ge} Gigabit Ethernet interfaces")
    if n_te:
        body.append(f"{n_te} Ten Gigabit Ethernet interfaces")
    mac = state.base_mac.lower() if ident.xe else state.base_mac.upper()
    body += [
        "The password-recovery mechanism is enabled.",
        "",
        "2048K bytes of non-volatile configuration memory."
        if ident.xe
        else "512K bytes of flash-simulated non-volatile configuration memory.",
        "",
        f"Base Ethernet MAC Address          : {mac}",
        f"Motherboard Assembly Number        : {ident.assembly}",
        f"Motherboard Serial Number          : {state.serial}",
        "Model Revision Number              : B0",
        f"Model Number                       : {state.model}",
        f"System Serial Number               : {state.serial}",
        "",
        "",
    ]
    version = ident.xe_version or ident.version
    if ident.xe:
        body += [
            "Switch Ports Model              SW Version        SW Image              Mode   ",
            "------ ----- -----              ----------        ----------            ----   ",
            f"*    1 {len(state.interfaces):<5} {state.model:<18} {version:<17} "
            f"{ident.sw_image:<21} INSTALL",
        ]
    else:
        body += [
            "Switch Ports Model                     SW Version            SW Image",
            "------ ----- -----                     ----------            ----------",
            f"*    1 {len(state.interfaces):<5} {state.model:<25} {version:<21} {ident.sw_image}",
        ]
    body += [
        "",
        "",
        "Configuration register is 0x102" if ident.xe else "Configuration register is 0xF",
        "",
    ]
    return "\n".join(head + body)


def show_hosts(state: DeviceState) -> str:
    return (
        "Default domain is lab.netops.local\n"
        "Name/address lookup uses static mappings\n"
        "\n"
        "Codes: u - unknown, e - expired, * - OK, ? - revalidate\n"
        "       t - temporary, p - permanent\n"
        "\n"
        "Host                      Port  Flags      Age Type   Address(es)\n"
    )


def _status(iface: InterfaceState) -> tuple[str, str]:
    if not iface.admin_up:
        return "administratively down", "down"
    return ("up", "up") if iface.oper_up else ("down", "down")


def _one_interface(model: str, iface: InterfaceState, c: Counters) -> str:
    link, proto = _status(iface)
    mac = dotted_mac(iface.mac)
    speed = int(iface.speed_mbps)
    load_in = min(255, max(1, int(255 * c.in_rate_bps / max(1.0, speed * 1e6))))
    load_out = min(255, max(1, int(255 * c.out_rate_bps / max(1.0, speed * 1e6))))
    lines = [
        f"{iface.name} is {link}, line protocol is {proto} (connected)"
        if proto == "up"
        else f"{iface.name} is {link}, line protocol is {proto} (notconnect)",
        f"  Hardware is {hardware(iface.name)}, address is {mac} (bia {mac})",
    ]
    if iface.description:
        lines.append(f"  Description: {iface.description}")
    if iface.ipv4 is not None:
        lines.append(f"  Internet address is {iface.ipv4.with_prefixlen}")
    pps_in = int(c.in_rate_bps / 8 / 700)
    pps_out = int(c.out_rate_bps / 8 / 700)
    lines += [
        f"  MTU {iface.mtu} bytes, BW {speed * 1000} Kbit/sec, DLY 10 usec,",
        f"     reliability 255/255, txload {load_out}/255, rxload {load_in}/255",
        "  Encapsulation ARPA, loopback not set",
        "  Keepalive set (10 sec)",
        f"  Full-duplex, {speed_text(speed)}, media type is {media_type(model, iface.name)}",
        "  input flow-control is off, output flow-control is unsupported",
        "  ARP type: ARPA, ARP Timeout 04:00:00",
        "  Last input 00:00:00, output 00:00:01, output hang never",
        '  Last clearing of "show interface" counters never',
        f"  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: {c.out_discards}",
        "  Queueing strategy: fifo",
        "  Output queue: 0/40 (size/max)",
        f"  5 minute input rate {int(c.in_rate_bps)} bits/sec, {pps_in} packets/sec",
        f"  5 minute output rate {int(c.out_rate_bps)} bits/sec, {pps_out} packets/sec",
        f"     {c.in_packets} packets input, {c.in_octets} bytes, 0 no buffer",
        f"     Received {c.in_broadcast} broadcasts ({c.in_multicast} multicasts)",
        "     0 runts, 0 giants, 0 throttles",
        f"     {c.in_errors} input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored",
        f"     0 watchdog, {c.in_multicast} multicast, 0 pause input",
        "     0 input packets with dribble condition detected",
        f"     {c.out_packets} packets output, {c.out_octets} bytes, 0 underruns",
        f"     {c.out_errors} output errors, 0 collisions, 1 interface resets",
        "     0 unknown protocol drops",
        "     0 babbles, 0 late collision, 0 deferred",
        "     0 lost carrier, 0 no carrier, 0 pause output",
        "     0 output buffer failures, 0 output buffers swapped out",
    ]
    return "\n".join(lines) + "\n"


def show_interfaces(state: DeviceState, only: str | None = None) -> str:
    state.sync()
    return "".join(
        _one_interface(state.model, i, i.counters())
        for i in state.interfaces.values()
        if only is None or i.name == only
    )


def show_interface_summary(state: DeviceState) -> str:
    state.sync()
    out = [
        "",
        " *: interface is up",
        " IHQ: pkts in input hold queue     IQD: pkts dropped from input queue",
        " OHQ: pkts in output hold queue    OQD: pkts dropped from output queue",
        " RXBS: rx rate (bits/sec)          RXPS: rx rate (pkts/sec)",
        " TXBS: tx rate (bits/sec)          TXPS: tx rate (pkts/sec)",
        " TRTL: throttle count",
        "",
        "  Interface                   IHQ       IQD       OHQ       OQD      RXBS      RXPS"
        "      TXBS      TXPS      TRTL",
        "-" * 113,
    ]
    for iface in state.interfaces.values():
        c = iface.counters()
        mark = "*" if iface.oper_up else " "
        cols = [0, c.in_discards, 0, c.out_discards, int(c.in_rate_bps)]
        cols += [int(c.in_rate_bps / 5600), int(c.out_rate_bps), int(c.out_rate_bps / 5600), 0]
        out.append(f"{mark} {iface.name:<24}" + "".join(f"{v:>10}" for v in cols))
    return "\n".join(out) + "\n"


def show_ip_interface_brief(state: DeviceState) -> str:
    """Columns as IOS prints them (interface 26 wide, then one space even when a name such as
    ``TenGigabitEthernet1/1/1`` fills it, so the IP address never runs into the name)."""
    out = ["Interface                  IP-Address      OK? Method Status                Protocol"]
    for iface in state.interfaces.values():
        link, proto = _status(iface)
        ip = str(iface.ipv4.ip) if iface.ipv4 is not None else "unassigned"
        method = "NVRAM" if iface.ipv4 is not None else "unset"
        out.append(f"{iface.name:<26} {ip:<15} YES {method:<6} {link:<21} {proto}")
    return "\n".join(out) + "\n"


def _caps_letters(nb: LldpNeighbor) -> str:
    letters = {"bridge": "B", "router": "R", "wlan-access-point": "W", "station": "S"}
    return ",".join(letters.get(c, "O") for c in nb.capabilities)


def show_lldp_neighbors(state: DeviceState, only: str | None = None) -> str:
    out = [
        "Capability codes:",
        "    (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device",
        "    (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other",
        "",
        "Device ID           Local Intf     Hold-time  Capability      Port ID",
    ]
    neighbors = state.lldp_neighbors(only)
    for nb in neighbors:
        out.append(
            f"{nb.system_name[:20]:<20}{short_name(nb.local_interface):<15}{120:<11}"
            f"{_caps_letters(nb):<16}{nb.port_id}"
        )
    out += ["", f"Total entries displayed: {len(neighbors)}", ""]
    return "\n".join(out)


def show_lldp_neighbors_detail(state: DeviceState, only: str | None = None) -> str:
    neighbors = state.lldp_neighbors(only)
    out: list[str] = []
    for nb in neighbors:
        caps = _caps_letters(nb)
        out += [
            "------------------------------------------------",
            f"Local Intf: {short_name(nb.local_interface)}",
            f"Chassis id: {dotted_mac(nb.chassis_id)}",
            f"Port id: {nb.port_id}",
            f"Port Description: {nb.port_description}",
            f"System Name: {nb.system_name}",
            "",
            "System Description: ",
            nb.system_description,
            "",
            f"Time remaining: {90 + state.rng.randint(0, 29)} seconds",
            f"System Capabilities: {caps}",
            f"Enabled Capabilities: {caps}",
            "Management Addresses:",
            f"    IP: {nb.mgmt_address}" if nb.mgmt_address else "    Other: 00 00 00 00 00 00",
            "Auto Negotiation - not supported",
            "Physical media capabilities - not advertised",
            "Media Attachment Unit type - not advertised",
            "Vlan ID: 1",
            "",
        ]
    out += ["", f"Total entries displayed: {len(neighbors)}", ""]
    return "\n".join(out)


def show_ip_access_lists(cfg: IosConfig, only: str | None = None) -> str:
    out: list[str] = []
    for name, entries in cfg.acls.items():
        if only is not None and name != only:
            continue
        out.append(f"Extended IP access list {name}")
        out += [f"    {seq} {ace}" for seq, ace in entries]
    return "\n".join(out) + ("\n" if out else "")


def show_class_map(cfg: IosConfig, only: str | None = None) -> str:
    out: list[str] = []
    maps = dict(cfg.class_maps)
    maps.setdefault("class-default", ("match-any", []))
    for name, (kind, acls) in maps.items():
        if only is not None and name != only:
            continue
        out.append(f" Class Map {kind} {name} (id {len(out) + 1})")
        if name == "class-default":
            out.append("   Match any ")
        out += [f"   Match access-group name {acl}" for acl in acls]
        out.append("")
    return "\n".join(out) + "\n"


def show_policy_map(cfg: IosConfig, only: str | None = None) -> str:
    out: list[str] = []
    for name, classes in cfg.policy_maps.items():
        if only is not None and name != only:
            continue
        out.append(f"  Policy Map {name}")
        for cname, pc in classes.items():
            out.append(f"    Class {cname}")
            if pc.priority_level is not None:
                out.append(f"      priority level {pc.priority_level}")
            if pc.bandwidth_kbps is not None:
                out.append(f"      bandwidth {pc.bandwidth_kbps} (kbps)")
            if pc.shape_average_bps is not None:
                out.append("      Average Rate Traffic Shaping")
                out.append(f"      cir {pc.shape_average_bps} (bps)")
        out.append("")
    return "\n".join(out) + "\n"


def _bps(rate_bps: float) -> str:
    """IOS prints a zero rate as ``0000``."""
    return str(int(rate_bps)) if int(rate_bps) else "0000"


def show_policy_map_interface(state: DeviceState, cfg: IosConfig, iface: str) -> str:
    """Per-class counters and rates from the device's traffic ledger (``subnet_octets``,
    ``subnet_rate_bps``), laid out like IOS-XE (compare tests/lab/golden/cisco_ios/
    show_policy-map_interface/real.txt): header, ``N packets, M bytes``, ``5 minute offered
    rate``, ``Match:``, the queueing block, then ``bandwidth N kbps`` and ``shape (average)``.
    The lab drops nothing (the traffic model already carries the shaped rate)."""
    attached = cfg.service_policies.get(iface, {})
    out = [f" {iface} ", ""]
    for direction in ("input", "output"):
        policy = attached.get(direction)
        if policy is None:
            continue
        out += [f"  Service-policy {direction}: {policy}", ""]
        for cname, pc in list(cfg.policy_maps.get(policy, {}).items()) + [("class-default", None)]:
            octets = 0
            rate = 0.0
            for subnet, way in class_subnets(cfg, cname):
                octets += state.subnet_octets(subnet, way)
                rate += state.subnet_rate_bps(subnet, way)
            packets = octets // 700
            kind, acls = cfg.class_maps.get(cname, ("match-any", []))
            out += [
                f"    Class-map: {cname} ({kind})  ",
                f"      {packets} packets, {octets} bytes",
                f"      5 minute offered rate {_bps(rate)} bps, drop rate 0000 bps",
            ]
            out += [f"      Match: access-group name {acl}" for acl in acls] or [
                "      Match: any "
            ]
            if pc is not None:
                out += _queueing(pc, packets, octets)
            out.append("")
    return "\n".join(out) + "\n"


def _queueing(pc: PolicyClass, packets: int, octets: int) -> list[str]:
    if pc.priority_level is not None:
        out = [
            "      Priority: Strict, b/w exceed drops: 0",
            "",
            f"      Priority Level: {pc.priority_level} ",
        ]
    else:
        out = []
    out += [
        "      Queueing",
        "      queue limit 64 packets",
        "      (queue depth/total drops/no-buffer drops) 0/0/0",
        f"      (pkts output/bytes output) {packets}/{octets}",
    ]
    if pc.bandwidth_kbps is not None:
        out.append(f"      bandwidth {pc.bandwidth_kbps} kbps")
    if pc.shape_average_bps is not None:
        bc = max(8000, pc.shape_average_bps // 250)
        out += [
            f"      shape (average) cir {pc.shape_average_bps}, bc {bc}, be {bc}",
            f"      target shape rate {pc.shape_average_bps}",
        ]
    return out
