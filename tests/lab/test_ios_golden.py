"""The simulated Cisco IOS output parses like real device output, with the same parsers.

For every folder under tests/lab/golden/cisco_ios/ the real output (see SOURCE.md there) and the
simulator's output for the same command go through the same parser (ntc-templates, napalm's own
TextFSM templates and napalm's ios getters); the results must have the same keys, the fields the
real device fills must be filled by the simulator too, and the value types must agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import napalm.ios
import pytest
import textfsm
from napalm.ios.ios import IOSDriver
from ntc_templates.parse import parse_output

from lab.ios.personality import IosPersonality
from lab.personality import SessionContext
from lab.state import build_states
from netops.inventory.schema import Inventory
from tests.helpers import golden_folders_match

GOLDEN = Path(__file__).parent / "golden" / "cisco_ios"
NAPALM_TEMPLATES = Path(napalm.ios.__file__).parent / "utils" / "textfsm_templates"

# folder -> the command the simulator is asked
COMMANDS = {
    "show_version": "show version",
    "show_interfaces": "show interfaces",
    "show_ip_interface_brief": "show ip interface brief",
    "show_lldp_neighbors": "show lldp neighbors",
    "show_lldp_neighbors_detail": "show lldp neighbors detail",
    "show_clock": "show clock",
    "show_policy-map": "show policy-map",
    "show_ip_access-lists": "show ip access-lists",
}
# Where a record's fields depend on what the entry says (ports, logging, time ranges), only the
# fields an agency ACL or policy can have are required to be filled; elsewhere every field is.
MUST_FILL: dict[str, set[str]] = {
    "show_ip_access-lists": {
        "acl_type",
        "acl_name",
        "line_num",
        "action",
        "protocol",
        "src_any",
        "src_network",
        "src_wildcard",
        "dst_any",
        "dst_network",
        "dst_wildcard",
    },
    "show_policy-map": {"policy_map", "class"},
}
# Fields that depend on the value (an uptime under a year has no years).
MAY_BE_EMPTY: dict[str, set[str]] = {"show_version": {"uptime_years"}}
QOS_CONFIG = [
    "configure terminal",
    "ip access-list extended NETOPS-RSUD",
    "permit ip any 10.10.2.0 0.0.0.255",
    "permit ip 10.10.2.0 0.0.0.255 any",
    "class-map match-any RSUD",
    "match access-group name NETOPS-RSUD",
    "policy-map NETOPS-DOWN",
    "class RSUD",
    "priority level 1",
    "shape average 10000000",
    "interface GigabitEthernet1/0/2",
    "service-policy output NETOPS-DOWN",
    "end",
]


@pytest.fixture
def ios(mini_inventory: Inventory) -> tuple[IosPersonality, SessionContext]:
    persona = IosPersonality(build_states(mini_inventory)["dist1"])
    session = persona.new_session("netops")
    session.mode = "enable"
    for line in QOS_CONFIG:
        out = persona.handle(line, session)
        assert "Invalid" not in out and "not configured" not in out, (line, out)
    return persona, session


def _run(ios: tuple[IosPersonality, SessionContext], command: str) -> str:
    persona, session = ios
    return persona.handle(command, session)


def _real(folder: str) -> str:
    return (GOLDEN / folder / "real.txt").read_text(encoding="utf-8")


def _assert_same_shape(
    real: list[dict[str, Any]],
    sim: list[dict[str, Any]],
    must_fill: set[str] | None = None,
    may_be_empty: frozenset[str] | set[str] = frozenset(),
) -> None:
    assert real, "the real output must parse to at least one record"
    assert sim, "the simulator's output must parse to at least one record"
    assert set(real[0]) == set(sim[0])
    for key in real[0]:
        required = (must_fill is None or key in must_fill) and key not in may_be_empty
        if required and any(r[key] not in ("", [], None) for r in real):
            assert any(s[key] not in ("", [], None) for s in sim), f"{key} left empty"
        assert {type(r[key]) for r in real} == {type(s[key]) for s in sim}, key


@pytest.mark.parametrize("folder", sorted(COMMANDS))
def test_ntc_template_parses_simulated_output_like_real_output(
    folder: str, ios: tuple[IosPersonality, SessionContext]
) -> None:
    command = COMMANDS[folder]
    real = parse_output(platform="cisco_ios", command=command, data=_real(folder))
    sim = parse_output(platform="cisco_ios", command=command, data=_run(ios, command))
    _assert_same_shape(real, sim, MUST_FILL.get(folder), MAY_BE_EMPTY.get(folder, set()))


def test_every_golden_folder_is_checked_and_has_a_source() -> None:
    cases = set(COMMANDS) | {"show_interface_summary", "show_policy-map_interface"}
    assert golden_folders_match(GOLDEN, cases, "{}/real.txt") == []


@pytest.mark.parametrize("template", ["show_lldp_neighbors_detail", "show_lldp_neighbors"])
def test_napalm_lldp_templates_parse_simulated_output_like_real_output(
    template: str, ios: tuple[IosPersonality, SessionContext]
) -> None:
    def parse(text: str) -> list[dict[str, Any]]:
        with open(NAPALM_TEMPLATES / f"{template}.tpl", encoding="utf-8") as fh:
            fsm = textfsm.TextFSM(fh)
        return [dict(zip(fsm.header, row, strict=True)) for row in fsm.ParseText(text)]

    real = parse(_real(template))
    sim = parse(_run(ios, template.replace("_", " ")))
    _assert_same_shape(real, sim)


class _Replay:
    """Stands in for netmiko inside napalm: answers each command from a dict of outputs."""

    def __init__(self, outputs: dict[str, str]) -> None:
        self.outputs = outputs

    def send_command(self, command: str, **_kw: Any) -> str:
        return self.outputs[command]


def _napalm(outputs: dict[str, str]) -> IOSDriver:
    driver = IOSDriver("127.0.0.1", "netops", "unused")
    driver.device = _Replay(outputs)
    return driver


def test_napalm_counters_getter_reads_simulated_output_like_real_output(
    ios: tuple[IosPersonality, SessionContext],
) -> None:
    real = _napalm(
        {
            "show interfaces": _real("show_interfaces"),
            "show interface summary": _real("show_interface_summary"),
        }
    ).get_interfaces_counters()
    sim = _napalm(
        {c: _run(ios, c) for c in ("show interfaces", "show interface summary")}
    ).get_interfaces_counters()
    real_fields = next(iter(real.values()))
    for counters in sim.values():
        assert set(counters) == set(real_fields)
        assert all(isinstance(v, int) for v in counters.values())
        assert counters["rx_octets"] > 0 and counters["tx_octets"] > 0
        assert counters["rx_discards"] >= 0  # read from "show interface summary"


def test_napalm_interfaces_getter_reads_simulated_output_like_real_output(
    ios: tuple[IosPersonality, SessionContext],
) -> None:
    real = _napalm({"show interfaces": _real("show_interfaces")}).get_interfaces()
    sim = _napalm({"show interfaces": _run(ios, "show interfaces")}).get_interfaces()
    assert set(sim) == {"GigabitEthernet1/0/1", "GigabitEthernet1/0/2"}
    for value in sim.values():
        assert set(value) == set(next(iter(real.values())))
        assert value["speed"] == 1000.0 and value["mtu"] == 1500


# Fields IOS prints for a class of netops' policy (bandwidth + shape average per agency).
POLICY_FIELDS = (
    "packets",
    "octets",
    "rate_interval_s",
    "offered_rate_bps",
    "drop_rate_bps",
    "total_drops",
    "packets_output",
    "octets_output",
    "shape_cir_bps",
    "bandwidth_kbps",
)


def test_policy_map_interface_reads_like_real_ios_xe_output_through_the_collector_parser(
    mini_inventory: Inventory,
) -> None:
    from collectors.parsers.ios_qos import parse_policy_map_interface

    persona = IosPersonality(build_states(mini_inventory)["dist1"])
    session = persona.new_session("netops")
    session.mode = "enable"
    persona.handle("configure terminal", session)
    for line in [
        "ip access-list extended NX-rsud-DOWN",
        "permit ip any 10.10.2.0 0.0.0.255",
        "class-map match-any NX-rsud-DOWN",
        "match access-group name NX-rsud-DOWN",
        "policy-map NX-DOWN",
        "class NX-rsud-DOWN",
        "bandwidth 60000",
        "shape average 180000000",
        "interface GigabitEthernet1/0/2",
        "service-policy output NX-DOWN",
        "end",
    ]:
        assert persona.handle(line, session) == "", line
    real = parse_policy_map_interface("real", _real("show_policy-map_interface"))
    sim = parse_policy_map_interface("dist1", persona.handle("show policy-map interface", session))
    assert [(c.interface, c.direction, c.policy, c.name) for c in sim] == [
        ("GigabitEthernet1/0/2", "output", "NX-DOWN", "NX-rsud-DOWN"),
        ("GigabitEthernet1/0/2", "output", "NX-DOWN", "class-default"),
    ]
    for name in POLICY_FIELDS:
        assert any(getattr(c, name) is not None for c in real), name
        assert getattr(sim[0], name) is not None, f"simulator leaves {name} out"
    assert (sim[0].shape_cir_bps, sim[0].bandwidth_kbps) == (180_000_000, 60_000)
    assert sim[0].matches == ["access-group name NX-rsud-DOWN"]
