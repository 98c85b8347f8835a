"""RouterOS pages built from the device state: ``/system ...``, ``/interface``, ``/ip neighbor``.

Dates use the ``mon/dd/yyyy`` form (RouterOS before 7.10) because that is what the ntc-templates
the collectors rely on accept; everything else follows RouterOS 7 output.
"""

from __future__ import annotations

import time

from lab.identities.routeros import identity
from lab.routeros.render import column_table, item_lines, key_value_page, stats_table
from lab.routeros.units import format_duration, group_thousands
from lab.routeros.words import quote
from lab.state import DeviceState, InterfaceState, LldpNeighbor

WITA_OFFSET_S = 8 * 3600
STATS_COLUMNS = [
    "RX-BYTE",
    "TX-BYTE",
    "RX-PACKET",
    "TX-PACKET",
    "RX-DROP",
    "TX-DROP",
    "TX-QUEUE-DROP",
    "RX-ERROR",
    "TX-ERROR",
]
PLATFORM_NAMES = {"mikrotik_routeros": "MikroTik", "cisco_ios": "Cisco IOS", "linux": "Linux"}


def ros_datetime(epoch_s: float) -> tuple[str, str]:
    """(``jul/21/2023``, ``10:00:47``) in WITA (UTC+8), the regency's time zone."""
    t = time.gmtime(epoch_s + WITA_OFFSET_S)
    return time.strftime("%b/%d/%Y", t).lower(), time.strftime("%H:%M:%S", t)


def interface_type(name: str) -> str:
    if name.startswith("wlan"):
        return "wlan"
    if name.startswith("bridge"):
        return "bridge"
    if name.startswith("vlan"):
        return "vlan"
    return "ether"


def resource(state: DeviceState) -> str:
    """``/system resource print`` of the device's board (:mod:`lab.identities.routeros`)."""
    ident = identity(state.model)
    build_date, build_time = ros_datetime(state.boot_time_s - 40 * 86400)
    total_mib = float(ident.memory_mib)
    load = int(2 + 10 * state.rng.random())
    rows = [
        ("uptime", format_duration(state.uptime_s())),
        ("version", f"{state.os_version} (stable)"),
        ("build-time", f"{build_date.capitalize()} {build_time}"),
        ("factory-software", "7.1"),
        ("free-memory", f"{total_mib * 0.82:.1f}MiB"),
        ("total-memory", f"{total_mib:.1f}MiB"),
        ("cpu", ident.cpu),
        ("cpu-count", str(ident.cpu_count)),
        ("cpu-frequency", f"{ident.cpu_mhz}MHz"),
        ("cpu-load", f"{load}%"),
        ("free-hdd-space", f"{ident.hdd_mib * 0.7:.1f}MiB"),
        ("total-hdd-space", f"{float(ident.hdd_mib):.1f}MiB"),
        ("write-sect-since-reboot", str(int(state.uptime_s() // 600))),
        ("write-sect-total", str(int(state.uptime_s() // 60) + 18342)),
        ("bad-blocks", "0%"),
        ("architecture-name", ident.architecture),
        ("board-name", ident.board_name),
        ("platform", "MikroTik"),
    ]
    return key_value_page(rows)


def routerboard(state: DeviceState) -> str:
    ident = identity(state.model)
    return key_value_page(
        [
            ("routerboard", "yes"),
            ("board-name", ident.board_name),
            ("model", ident.model_code),
            ("revision", "r2"),
            ("serial-number", state.serial),
            ("firmware-type", "al2" if ident.architecture.startswith("arm") else "qca9550L"),
            ("factory-firmware", "7.1"),
            ("current-firmware", state.os_version),
            ("upgrade-firmware", state.os_version),
        ]
    )


def clock(state: DeviceState, time_zone: str) -> str:
    date, clock_time = ros_datetime(state.now_s())
    return key_value_page(
        [
            ("time", clock_time),
            ("date", date),
            ("time-zone-autodetect", "no"),
            ("time-zone-name", time_zone),
            ("gmt-offset", "+08:00"),
            ("dst-active", "no"),
        ]
    )


def _flags(iface: InterfaceState) -> str:
    status = "X" if not iface.admin_up else ("R" if iface.oper_up else " ")
    return " " + status + " "


def interface_print(state: DeviceState, mode: str, names: list[str], width: int) -> str:
    """``/interface print`` in ``mode`` ``""``, ``detail``, ``terse``, ``stats`` (a column
    table) or ``stats-detail`` (``key=value`` items with digit-grouped counters)."""
    ifaces = [state.interfaces[n] for n in names]
    numbers = {n: i for i, n in enumerate(state.interfaces)}
    if mode == "stats-detail":
        return _stats_detail(state, ifaces, numbers, width)
    if mode == "stats":
        state.sync()
        rows = []
        for iface in ifaces:
            c = iface.counters()
            values = [
                c.in_octets,
                c.out_octets,
                c.in_packets,
                c.out_packets,
                c.in_discards,
                c.out_discards,
                0,
                c.in_errors,
                c.out_errors,
            ]
            flags = ("X" if not iface.admin_up else "") + ("R" if iface.oper_up else "")
            rows.append((numbers[iface.name], flags, iface.name, iface.description, values))
        return stats_table("Flags: X - DISABLED; R - RUNNING", STATS_COLUMNS, rows)
    if mode in ("detail", "terse"):
        index_width = max(len(str(numbers[i.name])) for i in ifaces) if ifaces else 1
        lines = (
            [] if mode == "terse" else ["Flags: D - dynamic; X - disabled, R - running; S - slave"]
        )
        for iface in ifaces:
            pairs = _joined_pairs(state, iface, quoted=mode == "detail")
            n = numbers[iface.name]
            if mode == "terse":
                comment = f"comment={quote(iface.description)} " if iface.description else ""
                lines.append(
                    f"{str(n).rjust(index_width)} {_flags(iface)} {comment}{' '.join(pairs)}"
                )
            else:
                lines.extend(
                    item_lines(n, index_width, _flags(iface), iface.description, pairs, width)
                )
                lines.append("")
        return "\n".join(lines)
    table_rows = [
        (
            numbers[i.name],
            ("X" if not i.admin_up else "") + ("R" if i.oper_up else ""),
            i.description,
            [i.name, interface_type(i.name), str(i.mtu), "1598", "9796", i.mac.upper()],
        )
        for i in ifaces
    ]
    return column_table(
        "Flags: X - DISABLED; R - RUNNING",
        ["NAME", "TYPE", "ACTUAL-MTU", "L2MTU", "MAX-L2MTU", "MAC-ADDRESS"],
        table_rows,
    )


def _stats_detail(
    state: DeviceState, ifaces: list[InterfaceState], numbers: dict[str, int], width: int
) -> str:
    """As RouterOS 7 prints ``/interface print stats-detail`` (see the golden file): link
    history, then counters; fast-path counters mirror the received traffic."""
    state.sync()
    index_width = max((len(str(numbers[i.name])) for i in ifaces), default=1)
    lines = ["Flags: D - dynamic; X - disabled, R - running; S - slave; P - passthrough"]
    for iface in ifaces:
        c = iface.counters()
        pairs = [f'name="{iface.name}"', *_link_history(state, iface)]
        counters = [
            ("rx-byte", c.in_octets),
            ("tx-byte", c.out_octets),
            ("rx-packet", c.in_packets),
            ("tx-packet", c.out_packets),
            ("rx-drop", c.in_discards),
            ("tx-drop", c.out_discards),
            ("tx-queue-drop", 0),
            ("rx-error", c.in_errors),
            ("tx-error", c.out_errors),
            ("fp-rx-byte", c.in_octets),
            ("fp-tx-byte", 0),
            ("fp-rx-packet", c.in_packets),
            ("fp-tx-packet", 0),
        ]
        pairs += [f"{k}={group_thousands(v)}" for k, v in counters]
        n = numbers[iface.name]
        lines.extend(item_lines(n, index_width, _flags(iface), iface.description, pairs, width))
    return "\n".join(lines)


def _joined_pairs(state: DeviceState, iface: InterfaceState, *, quoted: bool) -> list[str]:
    q = '"' if quoted else ""
    pairs = [
        f"name={q}{iface.name}{q}",
        f"default-name={q}{iface.name}{q}",
        f"type={q}{interface_type(iface.name)}{q}",
        f"mtu={iface.mtu}",
        f"actual-mtu={iface.mtu}",
        "l2mtu=1598",
        "max-l2mtu=9796",
        f"mac-address={iface.mac.upper()}",
    ]
    return pairs + _link_history(state, iface)


def _link_history(state: DeviceState, iface: InterfaceState) -> list[str]:
    date, t = ros_datetime(state.boot_time_s + 12)
    down = [f"last-link-down-time={date} {t}"] if not iface.oper_up else []
    return [*down, f"last-link-up-time={date} {t}", f"link-downs={0 if iface.oper_up else 1}"]


def neighbors(state: DeviceState, *, detail: bool, width: int) -> str:
    """``/ip neighbor print [detail]`` from the state's LLDP neighbours."""
    entries = state.lldp_neighbors()
    if not detail:
        rows = [
            (
                n,
                "",
                "",
                [nb.local_interface, nb.mgmt_address, nb.chassis_id.upper(), nb.system_name],
            )
            for n, nb in enumerate(entries)
        ]
        return column_table(
            "Columns: INTERFACE, ADDRESS, MAC-ADDRESS, IDENTITY",
            ["INTERFACE", "ADDRESS", "MAC-ADDRESS", "IDENTITY"],
            rows,
        ).split("\n", 1)[1]
    lines: list[str] = []
    for n, nb in enumerate(entries):
        platform = PLATFORM_NAMES.get(nb.platform, nb.platform or "unknown")
        version, board = neighbor_version_board(nb)
        uptime = format_duration(nb.remote.uptime_s()) if nb.remote is not None else "0s"
        pairs = [
            f"interface={nb.local_interface}",
            f"address={nb.mgmt_address}",
            f"address4={nb.mgmt_address}",
            f"mac-address={nb.chassis_id.upper()}",
            f'identity="{nb.system_name}"',
            f'platform="{platform}"',
            f'version="{version}"',
            "unpack=none",
            f"age={5 + n * 7}s",
            f"uptime={uptime}",
            f'software-id="{nb.chassis_id.replace(":", "")[-8:].upper()}"',
            f'board="{board}"',
            "ipv6=no",
            f'interface-name="{nb.port_id}"',
            f'system-description="{nb.system_description}"',
            "system-caps=" + ",".join(nb.capabilities),
            "system-caps-enabled=" + ",".join(nb.capabilities),
        ]
        lines.extend(item_lines(n, len(str(len(entries) - 1)), "", "", pairs, width))
        lines.append("")
    return "\n".join(lines)


def neighbor_version_board(nb: LldpNeighbor) -> tuple[str, str]:
    """(``version``, ``board``) RouterOS shows for a neighbour: a MikroTik's own version and
    board name (spaces kept: ``hEX S``), a Cisco's IOS version and model."""
    remote = nb.remote
    if remote is None:
        return nb.system_description, nb.platform or "unknown"
    if remote.platform == "mikrotik_routeros":
        return f"{remote.os_version} (stable)", identity(remote.model).board_name
    return remote.os_version, remote.model
