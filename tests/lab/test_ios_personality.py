"""The Cisco IOS personality as pure text in, text out (no SSH)."""

from __future__ import annotations

import pytest

from lab.ios.personality import IosPersonality
from lab.personalities import personality_for
from lab.personality import SessionContext
from lab.state import build_states
from netops.errors import LabError
from netops.inventory.schema import Inventory


@pytest.fixture
def ios(mini_inventory: Inventory) -> IosPersonality:
    state = build_states(mini_inventory)["dist1"]
    state.extra["enable_password"] = "s3cret"
    return IosPersonality(state)


@pytest.fixture
def enabled(ios: IosPersonality) -> SessionContext:
    session = ios.new_session("netops")
    session.mode = "enable"
    return session


def test_registry_finds_ios_and_lists_valid_names_for_unknown_ones() -> None:
    assert personality_for("cisco_ios") is IosPersonality
    with pytest.raises(
        LabError, match="no lab personality for platform 'junos'; valid: .*cisco_ios"
    ):
        personality_for("junos")


def test_prompts_follow_the_mode(ios: IosPersonality, enabled: SessionContext) -> None:
    expected = [
        ("configure terminal", "dist1(config)#"),
        ("interface Gi1/0/1", "dist1(config-if)#"),
        ("exit", "dist1(config)#"),
        ("ip access-list extended A", "dist1(config-ext-nacl)#"),
        ("class-map match-any C", "dist1(config-cmap)#"),
        ("policy-map P", "dist1(config-pmap)#"),
        ("class C", "dist1(config-pmap-c)#"),
        ("exit", "dist1(config-pmap)#"),
        ("end", "dist1#"),
        ("disable", "dist1>"),
    ]
    for line, prompt in expected:
        ios.handle(line, enabled)
        assert ios.prompt(enabled) == prompt, line


def test_enable_asks_for_the_secret_without_echo(ios: IosPersonality) -> None:
    session = ios.new_session("netops")
    assert ios.prompt(session) == "dist1>"
    ios.handle("enable", session)
    assert ios.prompt(session) == "Password: " and session.echo is False
    assert ios.handle("wrong", session) == "% Bad secrets\n\n"
    assert ios.prompt(session) == "dist1>"
    ios.handle("en", session)
    ios.handle("s3cret", session)
    assert ios.prompt(session) == "dist1#"


def test_abbreviated_keywords_work(ios: IosPersonality, enabled: SessionContext) -> None:
    assert ios.handle("sh ip int br", enabled).startswith("Interface ")
    assert "uptime is" in ios.handle("sh ver", enabled)
    ios.handle("conf t", enabled)
    assert enabled.mode == "config"
    ios.handle("int gi 1/0/2", enabled)
    assert enabled.scratch["interface"] == "GigabitEthernet1/0/2"
    ios.handle("end", enabled)
    assert ios.handle("wr mem", enabled) == "Building configuration...\n[OK]\n"


def test_invalid_input_puts_the_caret_under_the_bad_word(
    ios: IosPersonality, enabled: SessionContext
) -> None:
    out = ios.handle("show ip bogus", enabled)
    assert out == " " * len("dist1#show ip ") + "^\n% Invalid input detected at '^' marker.\n\n"
    assert ios.handle("show", enabled) == "% Incomplete command.\n\n"
    ios.handle("configure terminal", enabled)
    out = ios.handle("interface Gi9/9", enabled)
    assert "% Invalid input detected" in out
    assert enabled.mode == "config"


def test_privileged_commands_are_refused_in_user_mode(ios: IosPersonality) -> None:
    session = ios.new_session("netops")
    assert "% Invalid input" in ios.handle("show running-config", session)
    assert "% Invalid input" in ios.handle("configure terminal", session)
    assert session.mode == "user"


def test_pipes_filter_like_ios(ios: IosPersonality, enabled: SessionContext) -> None:
    assert ios.handle("show running-config | include ^hostname", enabled) == "hostname dist1\n"
    section = ios.handle("show run | section interface GigabitEthernet1/0/1", enabled)
    assert section.splitlines()[0] == "interface GigabitEthernet1/0/1"
    assert " description to core1" in section and "GigabitEthernet1/0/2" not in section
    begin = ios.handle("show running-config | begin ^line vty", enabled)
    assert begin.startswith("line vty 0 4") and begin.rstrip().endswith("end")
    excluded = ios.handle("show ip interface brief | exclude GigabitEthernet1/0/1", enabled)
    assert "GigabitEthernet1/0/2" in excluded and "GigabitEthernet1/0/1" not in excluded
    assert "% Invalid input" in ios.handle("show version | frobnicate x", enabled)


def test_no_forms_remove_configuration(ios: IosPersonality, enabled: SessionContext) -> None:
    for line in [
        "configure terminal",
        "ip access-list extended A",
        "permit ip any 10.10.2.0 0.0.0.255",
        "exit",
        "class-map match-any C",
        "match access-group name A",
        "policy-map P",
        "class C",
        "shape average 2000000",
        "bandwidth 1000",
        "interface GigabitEthernet1/0/2",
        "service-policy output P",
        "end",
    ]:
        assert ios.handle(line, enabled) in (
            "",
            "Enter configuration commands, one per line.  End with CNTL/Z.\n",
        )
    caps = ios.shaping_caps()
    assert [(str(c.subnet), c.direction, c.max_bps, c.guaranteed_bps) for c in caps] == [
        ("10.10.2.0/24", "down", 2e6, 1e6)
    ]
    ios.handle("configure terminal", enabled)
    assert ios.handle("no policy-map P", enabled) == "Policy map P is being used\n"
    ios.handle("interface GigabitEthernet1/0/2", enabled)
    ios.handle("no service-policy output P", enabled)
    assert ios.shaping_caps() == []
    ios.handle("exit", enabled)
    ios.handle("no policy-map P", enabled)
    ios.handle("no class-map match-any C", enabled)
    ios.handle("ip access-list extended A", enabled)
    ios.handle("no permit ip any 10.10.2.0 0.0.0.255", enabled)
    ios.handle("end", enabled)
    assert "policy-map P" not in ios.handle("show running-config", enabled)
    assert ios.handle("show ip access-lists A", enabled) == "Extended IP access list A\n"


def test_bad_values_are_rejected_and_change_nothing(
    ios: IosPersonality, enabled: SessionContext
) -> None:
    for line in ["configure terminal", "ip access-list extended A"]:
        ios.handle(line, enabled)
    assert "% Invalid input" in ios.handle("permit ip any 10.10.2.0; reload", enabled)
    assert "% Invalid input" in ios.handle("permit ip any 999.1.1.1 0.0.0.255", enabled)
    ios.handle("exit", enabled)
    assert "% Invalid input" in ios.handle("policy-map bad;name", enabled)
    assert ios.handle("policy-map P", enabled) == ""
    assert ios.handle("class nope", enabled) == "class-map nope not configured\n"
    ios.handle("class class-default", enabled)
    assert "% Invalid input" in ios.handle("shape average lots", enabled)
    assert "% Invalid input" in ios.handle("bandwidth 1", enabled)
    assert ios.config.acls["A"] == []


def test_reboot_restores_the_startup_configuration(
    ios: IosPersonality, enabled: SessionContext
) -> None:
    for line in ["configure terminal", "interface Gi1/0/1", "description saved one", "end"]:
        ios.handle(line, enabled)
    ios.handle("write memory", enabled)
    for line in [
        "configure terminal",
        "interface Gi1/0/1",
        "description unsaved",
        "shutdown",
        "end",
    ]:
        ios.handle(line, enabled)
    ios.state.reboot()
    ios.on_reboot()
    iface = ios.state.interfaces["GigabitEthernet1/0/1"]
    assert (iface.description, iface.admin_up) == ("saved one", True)


def test_terminal_settings_change_the_session(ios: IosPersonality, enabled: SessionContext) -> None:
    assert enabled.terminal_length == 24
    assert ios.handle("terminal length 0", enabled) == ""
    assert ios.handle("terminal width 511", enabled) == ""
    assert (enabled.terminal_length, enabled.terminal_width) == (0, 511)
    ios.handle("exit", enabled)
    assert enabled.closed


def test_abbreviations_are_unique_prefixes_within_the_current_mode(
    ios: IosPersonality, enabled: SessionContext
) -> None:
    # exec mode: "s" is show/ssh/send/setup/systat; "con" is configure/connect
    assert ios.handle("s ver", enabled) == '% Ambiguous command:  "s ver"\n'
    assert ios.handle("con t", enabled) == '% Ambiguous command:  "con t"\n'
    assert ios.handle("sh cl", enabled) == '% Ambiguous command:  "sh cl"\n'  # clock, class-map
    assert "uptime is" in ios.handle("sho vers", enabled)
    ios.handle("conf t", enabled)
    # global configuration: "cl" is class-map/clock, "cla" only class-map
    assert ios.handle("cl C", enabled).startswith("% Ambiguous command")
    assert ios.handle("cla match-any C", enabled) == ""
    assert enabled.mode == "config-cmap"
    ios.handle("exit", enabled)
    ios.handle("pol P", enabled)
    # inside a policy-map "c" can only be the policy-map's own class command
    assert ios.handle("c C", enabled) == ""
    assert enabled.mode == "config-pmap-c" and enabled.scratch["class"] == "C"
    # in the class: "sh" is shape (not show), "s" is ambiguous (service-policy, set, shape)
    assert ios.handle("sh av 2000000", enabled) == ""
    assert ios.handle("s average 1", enabled).startswith("% Ambiguous command")
    assert ios.config.policy_maps["P"]["C"].shape_average_bps == 2_000_000


def test_a_command_of_a_parent_mode_moves_the_session_to_that_mode(
    ios: IosPersonality, enabled: SessionContext
) -> None:
    for line in ["configure terminal", "class-map match-any A", "class-map match-any B"]:
        ios.handle(line, enabled)
    for line in ["policy-map P", "class A", "bandwidth 1000", "class B", "bandwidth 2000"]:
        assert ios.handle(line, enabled) == "", line
    assert enabled.mode == "config-pmap-c" and enabled.scratch["class"] == "B"
    assert {n: c.bandwidth_kbps for n, c in ios.config.policy_maps["P"].items()} == {
        "A": 1000,
        "B": 2000,
    }
    # "class" in class mode never created a class-map
    assert set(ios.config.class_maps) == {"A", "B"}
    # a global command from deep inside leaves the policy-map
    assert ios.handle("interface Gi1/0/2", enabled) == ""
    assert (enabled.mode, enabled.scratch) == ("config-if", {"interface": "GigabitEthernet1/0/2"})
    assert ios.handle("service-policy output P", enabled) == ""
    # "no class" from class mode removes the class from the policy-map
    for line in ["policy-map P", "class A", "no class B"]:
        ios.handle(line, enabled)
    assert set(ios.config.policy_maps["P"]) == {"A"}
    assert "% Invalid input" in ios.handle("frobnicate now", enabled)
