"""A refused or empty answer is never a fact: each platform's refusal words end the getter with
CommandRefused naming the device, the command and the words; napalm's 'Unknown'/-1 never pass.

The refusal texts are what the platforms print (IOS ``% Invalid input detected at '^' marker.``
after a caret line, RouterOS ``bad command name``, bash ``command not found``); the answers are
the real golden outputs of tests/collectors/cisco_ios (see SOURCE.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.parsers import ios
from collectors.refusals import check_output, refusal_words
from netops.errors import CommandRefused, ParseError

HERE = Path(__file__).parent
C2950 = HERE / "cisco_ios" / "facts" / "c2950"

REFUSALS = [
    ("cisco_ios", "show lldp neighbors detail", "% LLDP is not enabled"),
    ("cisco_ios", "show version", "          ^\n% Invalid input detected at '^' marker."),
    ("cisco_ios", "show ip interface", "% Incomplete command."),
    ("mikrotik_routeros", "/ip neighbor print", "bad command name neighbor (line 1 column 5)"),
    ("mikrotik_routeros", "/interface print x", "syntax error (line 1 column 18)"),
    ("mikrotik_routeros", "/export x", "expected end of command (line 1 column 9)"),
    ("linux", "lldpcli -f json show neighbors", "bash: lldpcli: command not found"),
    ("cisco_ios", "show version", ""),
    ("linux", "ip -j -s link", "  \n"),
]


@pytest.mark.parametrize(("platform", "command", "said"), REFUSALS)
def test_refusal_raises_naming_device_command_and_words(
    platform: str, command: str, said: str
) -> None:
    with pytest.raises(CommandRefused) as info:
        check_output("dist1", platform, command, said)
    message = str(info.value)
    assert message.startswith("dist1: ") and repr(command) in message
    words = said.strip().splitlines()[-1].strip() if said.strip() else ""
    assert info.value.words == words
    assert (words in message) if words else "answered nothing" in message


def test_an_empty_table_is_an_answer_only_where_allowed() -> None:
    assert check_output("r1", "linux", "tc class show dev eth1", "", may_be_empty=True) == ""
    with pytest.raises(CommandRefused):
        check_output(
            "r1",
            "linux",
            "tc class show dev eth1",
            "bash: tc: command not found",
            may_be_empty=True,
        )


def test_configuration_quoting_error_words_deeper_down_is_not_a_refusal() -> None:
    text = "Building configuration...\n\nhostname x\n!\nbanner motd ^C% Invalid input^C\n"
    assert refusal_words("cisco_ios", text) is None


def c2950_outputs() -> dict[str, str]:
    return {p.stem.replace("_", " "): p.read_text(encoding="utf-8") for p in C2950.glob("*.txt")}


@pytest.mark.parametrize("refused", ["show version", "show hosts", "show ip interface brief"])
def test_ios_facts_with_one_command_refused_fail_instead_of_storing_unknown(refused: str) -> None:
    outputs = c2950_outputs()
    assert ios.parse_facts("sw1", outputs).hostname  # the real sample parses whole
    outputs[refused] = "% Invalid input detected at '^' marker."
    with pytest.raises(ParseError) as info:
        ios.parse_facts("sw1", outputs)
    assert "sw1" in str(info.value) and refused in str(info.value)


def test_napalm_unknown_fields_are_an_error_not_facts() -> None:
    napalm_facts = {
        "hostname": "Unknown",
        "model": "Unknown",
        "os_version": "Unknown",
        "serial_number": "Unknown",
        "uptime": -1,
    }
    with pytest.raises(ParseError) as info:
        ios.facts_from_napalm("sw1", napalm_facts)
    assert "hostname, model, os_version, uptime" in str(info.value)


def test_ios_no_neighbours_only_when_the_device_said_total_entries_zero() -> None:
    said_none = "\nTotal entries displayed: 0\n"
    assert (
        ios.parse_neighbors(
            "sw1", {"show lldp neighbors detail": said_none, "show lldp neighbors": said_none}
        )
        == []
    )
    with pytest.raises(CommandRefused) as info:
        ios.parse_neighbors("sw1", {"show lldp neighbors detail": "% LLDP is not enabled"})
    assert "LLDP is not enabled" in str(info.value)
    with pytest.raises(ParseError):
        ios.parse_neighbors(
            "sw1",
            {
                "show lldp neighbors detail": "Capability codes:\n",
                "show lldp neighbors": "Capability codes:\n",
            },
        )
