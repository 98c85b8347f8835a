"""The RouterOS personality's output parses like real RouterOS output, with the same parser.

Each folder under ``golden/mikrotik_routeros/`` holds real device output (``real*.txt``; origins in
``SOURCE.md``).  Both the real text and the simulator's output for the same command are parsed with
the same parser (ntc-templates where a template exists, else the collectors' parsers in
:mod:`collectors.parsers.routeros`); the simulator must give records with every key all real
records have, every field that all real samples populate populated too, and values of the same
kind (number, address, text).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from ntc_templates.parse import parse_output

from collectors.parsers.routeros import Record, parse_records, parse_stats_table
from lab.personalities import personality_for
from lab.state import build_states
from netops.inventory.loader import load_inventory
from tests.helpers import MINI, golden_folders_match, parsed_real_and_simulated

GOLDEN = Path(__file__).parent / "golden" / "mikrotik_routeros"

Parser = Callable[[str], list[dict[str, object]]]


def ntc(command: str) -> Parser:
    def parse(text: str) -> list[dict[str, object]]:
        return parse_output(platform="mikrotik_routeros", command=command, data=text)  # type: ignore[no-any-return]

    return parse


def props(parser: Callable[[str], list[Record]]) -> Parser:
    """A collectors' record parser as records of properties (flags and comment left aside)."""

    def parse(text: str) -> list[dict[str, object]]:
        return [dict(r.props) for r in parser(text)]

    return parse


# folder -> (command sent to the simulator, parser); setup commands run first.
CASES: dict[str, tuple[str, Parser]] = {
    "system_resource_print": ("/system resource print", ntc("/system resource print")),
    "system_identity_print": ("/system identity print", ntc("/system identity print")),
    "system_routerboard_print": ("/system routerboard print", ntc("/system routerboard print")),
    "system_clock_print": ("/system clock print", ntc("/system clock print")),
    "interface_print_terse_without-paging": (
        "/interface print terse without-paging",
        ntc("/interface print terse without-paging"),
    ),
    "interface_print_detail": ("/interface print detail", ntc("/interface print detail")),
    "ip_address_print": ("/ip address print", ntc("/ip address print")),
    "ip_neighbor_print_detail": ("/ip neighbor print detail", ntc("/ip neighbor print detail")),
    "ip_address_export_verbose": (
        "/ip address export verbose",
        ntc("/ip address export verbose"),
    ),
    "interface_print_stats": ("/interface print stats", props(parse_stats_table)),
    "interface_print_stats-detail": ("/interface print stats-detail", props(parse_records)),
    "queue_simple_print_stats": ("/queue simple print stats", props(parse_records)),
}
# Parts of a duration that are legitimately absent when zero (RouterOS prints 1w2d5m, no 0h).
ZERO_OMITTED = {"uptime_weeks", "uptime_days", "uptime_hours", "uptime_minutes", "uptime_seconds"}
SETUP = [
    "/queue simple add name=rsud target=10.10.2.0/24 max-limit=80M/180M limit-at=30M/60M",
]


def kind(value: object) -> str:
    """A coarse type of a parsed value, so '12' and 'abc' and '10.0.0.1' are told apart."""
    if isinstance(value, list):
        return "list"
    text = str(value)
    if re.fullmatch(r"\d[\d/ ]*", text):  # RouterOS 7 groups digits: "205 164 277"
        return "number"
    try:
        ipaddress.ip_interface(text)
        return "address"
    except ValueError:
        return "text"


@pytest.fixture(scope="module")
def simulator_outputs() -> dict[str, str]:
    states = build_states(load_inventory(MINI).inventory, seed=3)
    p = personality_for("mikrotik_routeros")(states["core1"])
    s = p.new_session("netops", "ct511w4098h")
    for command in SETUP:
        assert p.handle(command, s) == ""
    return {folder: p.handle(command, s) for folder, (command, _) in CASES.items()}


def test_every_golden_folder_has_a_case_and_a_source_note() -> None:
    assert golden_folders_match(GOLDEN, CASES) == []


@pytest.mark.parametrize("folder", sorted(CASES))
def test_simulator_output_parses_like_real_output(
    folder: str, simulator_outputs: dict[str, str]
) -> None:
    _, parse = CASES[folder]
    real_records, sim = parsed_real_and_simulated(GOLDEN, folder, parse, simulator_outputs[folder])
    # RouterOS leaves some keys out of some items (no last-link-down-time on a port never down)
    common = set.intersection(*(set(r) for r in real_records))
    always_set = {k for k in common if all(r.get(k) not in ("", [], None) for r in real_records)}
    for record in sim:
        assert set(record) >= common - {"comment", "flags"}, (folder, common - set(record))
        missing = {k for k in always_set - ZERO_OMITTED if record.get(k) in ("", [], None)}
        if folder == "ip_neighbor_print_detail" and missing == {"board"}:
            # A board name with a space (board="LHG 5 ac", as RouterOS prints it) is beyond
            # the template's BOARD (\S+); the text itself must still carry it.
            assert re.search(r'board="\S+ [^"]+"', simulator_outputs[folder]), record
            missing = set()
        assert not missing, f"{folder}: fields empty in simulator output: {sorted(missing)}"
        for key in always_set - missing - ZERO_OMITTED:
            real_kinds = {kind(r[key]) for r in real_records}
            assert kind(record[key]) in real_kinds, (folder, key, record[key], real_kinds)
