"""The lab's Cisco IOS answers to common commands parse like real device output.

For every folder under tests/lab/golden/cisco_ios_common/ the real samples (see SOURCE.md there)
and the lab's output for the same command on a device of the sample inventory go through the same
ntc-templates template: every field a real sample fills must be filled by the lab too, and the
lab's record count must follow the device's state (its interfaces, links and addresses).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ntc_templates.parse import parse_output

from lab.identities.cisco_ios import media_type
from lab.ios.personality import IosPersonality
from lab.personality import SessionContext
from lab.state import DeviceState, InterfaceState, build_states
from netops.inventory.loader import load_inventory
from tests.helpers import SAMPLE, golden_folders_match, parsed_real_and_simulated

GOLDEN = Path(__file__).parent / "golden" / "cisco_ios_common"


@dataclass(frozen=True)
class Case:
    command: str
    hostname: str
    rows: Callable[[DeviceState], int]
    # Fields a real sample fills that depend on what the device has (none of it in the lab).
    may_be_empty: frozenset[str] = frozenset()


def _n_interfaces(st: DeviceState) -> int:
    return len(st.interfaces)


def _addressed_up(st: DeviceState) -> list[InterfaceState]:
    return [i for i in st.interfaces.values() if i.oper_up and i.ipv4 is not None]


def _arp_rows(st: DeviceState) -> int:
    # own address + the far end of every up link
    return sum(1 + (i.peer is not None and i.peer.ipv4 is not None) for i in _addressed_up(st))


def _route_rows(st: DeviceState) -> int:
    # default route + connected and local per addressed up port
    return 1 + 2 * len(_addressed_up(st))


def _cdp_rows(st: DeviceState) -> int:
    peers = [st.link_peer(n) for n, i in st.interfaces.items() if i.oper_up]
    return sum(p is not None and p.platform in ("cisco_ios", "mikrotik_routeros") for p in peers)


def _inventory_rows(st: DeviceState) -> int:
    # chassis, power supply, one optic per linked SFP/SFP+ port
    optics = [
        n
        for n, i in st.interfaces.items()
        if i.peer is not None and "SFP" in media_type(st.model, n)
    ]
    return 2 + len(optics)


def _logging_rows(st: DeviceState) -> int:
    # restart, link and line protocol up per port after boot, one event per port down now
    return 1 + 2 * len(st.interfaces) + sum(not i.oper_up for i in st.interfaces.values())


CASES: dict[str, Case] = {
    "show_ip_interface_brief": Case("show ip interface brief", "dist-ring1", _n_interfaces),
    "show_ip_interface": Case(
        "show ip interface",
        "dist-ring1",
        _n_interfaces,
        frozenset({"vrf", "ip_helper", "outgoing_acl", "inbound_acl"}),
    ),
    "show_inventory": Case("show inventory", "dist-ring1", _inventory_rows),
    "show_cdp_neighbors": Case("show cdp neighbors", "dist-ring1", _cdp_rows),
    "show_cdp_neighbors_detail": Case("show cdp neighbors detail", "dist-ring1", _cdp_rows),
    # Connected, local and static routes carry no route type (E2, IA...) or age.
    "show_ip_route": Case(
        "show ip route", "acc-kominfo", _route_rows, frozenset({"type", "uptime"})
    ),
    "show_ip_arp": Case("show ip arp", "dist-ring1", _arp_rows),
    "show_arp": Case("show arp", "dist-ring1", _arp_rows),
    "show_mac_address-table": Case("show mac address-table", "acc-setda", lambda st: 4),
    # Every lab port is routed (no switchport), so no VLAN lists a port.
    "show_vlan_brief": Case(
        "show vlan brief", "acc-setda", lambda st: 5, frozenset({"interfaces"})
    ),
    "show_interfaces_status": Case("show interfaces status", "acc-kominfo", _n_interfaces),
    "show_logging": Case("show logging", "dist-ring3", _logging_rows),
    "show_environment_temperature": Case(
        "show environment temperature", "dist-ring1", lambda st: 1
    ),
}


@pytest.fixture(scope="module")
def states() -> dict[str, DeviceState]:
    return build_states(load_inventory(SAMPLE).inventory)


def run(states: dict[str, DeviceState], hostname: str, command: str) -> str:
    persona = IosPersonality(states[hostname])
    session: SessionContext = persona.new_session("netops")
    session.mode = "enable"
    return persona.handle(command, session)


@pytest.mark.parametrize("folder", sorted(CASES))
def test_lab_output_parses_with_ntc_templates_like_real_samples_with_rows_per_state(
    folder: str, states: dict[str, DeviceState]
) -> None:
    case = CASES[folder]

    def parse(text: str) -> list[dict[str, Any]]:
        return parse_output(platform="cisco_ios", command=case.command, data=text)

    out = run(states, case.hostname, case.command)
    real, sim = parsed_real_and_simulated(GOLDEN, folder, parse, out)
    assert set(real[0]) == set(sim[0])
    for key in real[0]:
        if key in case.may_be_empty or all(r[key] in ("", [], None) for r in real):
            continue
        assert any(s[key] not in ("", [], None) for s in sim), f"{key} left empty:\n{out}"
    assert len(sim) == case.rows(states[case.hostname]), out


def test_every_common_golden_folder_is_checked_and_has_a_source() -> None:
    assert golden_folders_match(GOLDEN, CASES, "{}/real") == []


def test_ten_gigabit_names_keep_their_ip_address_column_apart(
    states: dict[str, DeviceState],
) -> None:
    rows = parse_output(
        platform="cisco_ios",
        command="show ip interface brief",
        data=run(states, "dist-ring1", "show ip interface brief"),
    )
    by_name = {r["interface"]: r["ip_address"] for r in rows}
    te = states["dist-ring1"].interfaces["TenGigabitEthernet1/1/1"]
    assert te.ipv4 is not None
    assert by_name["TenGigabitEthernet1/1/1"] == str(te.ipv4.ip)


def test_show_ip_interface_gives_napalm_each_address_and_prefix(
    states: dict[str, DeviceState],
) -> None:
    from napalm.ios.ios import IOSDriver

    class Replay:
        def send_command(self, command: str, **_kw: Any) -> str:
            return run(states, "dist-ring1", command)

    driver = IOSDriver("127.0.0.1", "netops", "unused")
    driver.device = Replay()
    got = driver.get_interfaces_ip()
    want = {
        name: {"ipv4": {str(i.ipv4.ip): {"prefix_length": i.ipv4.network.prefixlen}}}
        for name, i in states["dist-ring1"].interfaces.items()
        if i.ipv4 is not None
    }
    assert got == want
