"""Each lab device tells one story about what it is: ``show version``, ``show interfaces``,
napalm's facts, LLDP and RouterOS' system pages all follow the model's identity table."""

from __future__ import annotations

from typing import Any

import pytest
from napalm.ios.ios import IOSDriver
from ntc_templates.parse import parse_output

from lab.identities.cisco_ios import identity as ios_identity
from lab.identities.routeros import identity as ros_identity
from lab.ios.personality import IosPersonality
from lab.routeros.personality import RouterOsPersonality
from lab.state import DeviceState, build_states
from netops.inventory.loader import load_inventory
from tests.helpers import SAMPLE

EXPECTED_IOS = {
    # model -> (version, software image, processor)
    "C9300-24S": ("17.9.4a", "CAT9K_IOSXE", "X86"),
    "C9200L-48P-4G": ("17.9.4a", "CAT9K_LITE_IOSXE", "ARM64"),
    "WS-C3850-12S": ("16.12.10a", "CAT3K_CAA-UNIVERSALK9-M", "MIPS"),
    "WS-C2960X-24TS-L": ("15.2(7)E8", "C2960X-UNIVERSALK9-M", "APM86XXX"),
    "WS-C3750E-24TD": ("15.2(4)E10", "C3750E-UNIVERSALK9-M", "PowerPC405"),
}


@pytest.fixture(scope="module")
def states() -> dict[str, DeviceState]:
    return build_states(load_inventory(SAMPLE).inventory)


def _ios(state: DeviceState, command: str) -> str:
    persona = IosPersonality(state)
    session = persona.new_session("netops")
    session.mode = "enable"
    return persona.handle(command, session)


def _first_of_model(states: dict[str, DeviceState], model: str) -> DeviceState:
    return next(s for s in states.values() if s.model == model)


@pytest.mark.parametrize("model", sorted(set(EXPECTED_IOS) - {"WS-C3750E-24TD"}))
def test_show_version_names_the_models_own_software_image_and_processor(
    model: str, states: dict[str, DeviceState]
) -> None:
    state = _first_of_model(states, model)
    version, image, processor = EXPECTED_IOS[model]
    out = _ios(state, "show version")
    [parsed] = parse_output(platform="cisco_ios", command="show version", data=out)
    assert (parsed["version"], parsed["software_image"]) == (version, image)
    assert parsed["hardware"] == [model]
    assert f"cisco {model} ({processor}) processor" in out
    assert "C3750E" not in out or model.startswith("WS-C3750E")


def test_unknown_cisco_models_fall_back_to_the_3750e_identity() -> None:
    assert ios_identity("WS-C3750E-24TD").image == EXPECTED_IOS["WS-C3750E-24TD"][1]
    assert ios_identity("ISR4331").prefix == "WS-C3750"


def test_napalm_facts_and_lldp_description_agree_with_show_version(
    states: dict[str, DeviceState],
) -> None:
    state = states["dist-ring1"]

    class Replay:
        def send_command(self, command: str, **_kw: Any) -> str:
            return _ios(state, command)

    driver = IOSDriver("127.0.0.1", "netops", "unused")
    driver.device = Replay()
    facts = driver.get_facts()
    ident = ios_identity(state.model)
    assert facts["model"] == "C9300-24S"
    assert facts["os_version"] == ident.banner_line().split("], ", 1)[1]
    assert "TenGigabitEthernet1/1/1" in facts["interface_list"]
    # What a neighbour learns over LLDP about dist-ring1 is its own software line.
    seen = [
        nb for s in states.values() for nb in s.lldp_neighbors() if nb.system_name == "dist-ring1"
    ]
    assert seen and {nb.system_description for nb in seen} == {ident.banner_line()}


def test_ten_gigabit_ports_say_ten_gigabit_10gbs_and_an_sfp_plus_media(
    states: dict[str, DeviceState],
) -> None:
    rows = parse_output(
        platform="cisco_ios",
        command="show interfaces",
        data=_ios(states["dist-ring1"], "show interfaces"),
    )
    te = [r for r in rows if r["interface"].startswith("TenGigabitEthernet")]
    assert te, "dist-ring1 has TenGigabitEthernet ports in the sample inventory"
    for r in te:
        assert (r["hardware_type"], r["speed"], r["bandwidth"]) == (
            "Ten Gigabit Ethernet",
            "10Gb/s",
            "10000000 Kbit",
        )
        assert r["media_type"].startswith("SFP-10GBase-")
    copper = parse_output(
        platform="cisco_ios",
        command="show interfaces",
        data=_ios(states["acc-kominfo"], "show interfaces GigabitEthernet1/0/1"),
    )
    assert copper[0]["media_type"] == "10/100/1000BaseTX"


def _ros(state: DeviceState, command: str) -> str:
    persona = RouterOsPersonality(state)
    return persona.handle(command, persona.new_session("netops"))


@pytest.mark.parametrize(
    ("model", "board", "arch"),
    [
        ("hEX S (RB760iGS)", "hEX S", "mmips"),
        ("CCR2116-12G-4S+", "CCR2116-12G-4S+", "arm64"),
        ("RB4011iGS+RM", "RB4011iGS+RM", "arm"),
        ("DynaDish 5 (RBDynaDishG-5HacD)", "DynaDish 5", "mipsbe"),
    ],
)
def test_routeros_resource_and_routerboard_follow_the_board(
    model: str, board: str, arch: str, states: dict[str, DeviceState]
) -> None:
    state = _first_of_model(states, model)
    [res] = parse_output(
        platform="mikrotik_routeros",
        command="/system resource print",
        data=_ros(state, "/system resource print"),
    )
    assert (res["board_name"], res["architecture_name"]) == (board, arch)
    assert res["cpu"] == ros_identity(model).cpu
    rb = _ros(state, "/system routerboard print")
    assert f"board-name: {board}" in rb
    assert f"model: {ros_identity(model).model_code}" in rb
