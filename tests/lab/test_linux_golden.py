"""The Linux personality's output parses like real Linux output, with the same parser.

Golden files in ``golden/linux/`` (origins in ``SOURCE.md``) and the simulator's output for the
same command go through the same parser (ntc-templates for ``ip link``/``ip address``, the
collectors' parsers (:mod:`collectors.parsers.linux`, :mod:`collectors.parsers.tc`) for ``ip -s
link``, ``tc class show`` and ``tc filter show``, ``json`` for lldpcli, line-wise checks for
lldpcli text and ``tc qdisc show``); the records must have the same keys and the fields real
output always fills must be filled.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ntc_templates.parse import parse_output

from collectors.parsers.linux import parse_ip_s_link, parse_tc_classes, parse_tc_filters
from lab.personalities import personality_for
from lab.state import build_states
from netops.inventory.loader import load_inventory
from tests.helpers import MINI, golden_folders_match, parsed_real_and_simulated

GOLDEN = Path(__file__).parent / "golden" / "linux"
SETUP = [
    "sudo tc qdisc add dev eth1 root handle 1: htb default 30",
    "sudo tc class add dev eth1 parent 1: classid 1:1 htb rate 200mbit ceil 200mbit",
    "sudo tc class add dev eth1 parent 1:1 classid 1:10 htb rate 60mbit ceil 180mbit prio 1",
    "sudo tc class add dev eth1 parent 1:1 classid 1:30 htb rate 5mbit ceil 200mbit prio 3",
    "sudo tc filter add dev eth1 parent 1: protocol ip prio 1 u32 match ip dst 10.10.2.0/24 "
    "flowid 1:10",
]


def _records(parsed: list[Any]) -> list[dict[str, Any]]:
    """Dataclass records (nested ones flattened) as dicts."""
    out = []
    for item in parsed:
        record: dict[str, Any] = {}
        for key, value in dataclasses.asdict(item).items():
            record.update(value if isinstance(value, dict) else {key: value})
        out.append(record)
    return out


def _lldp_text(text: str) -> list[dict[str, Any]]:
    """Key: value lines of one lldpcli neighbour block as a record (labels as keys)."""
    record: dict[str, Any] = {}
    for line in text.splitlines():
        m = re.match(
            r"^\s*(Interface|ChassisID|SysName|SysDescr|PortID|PortDescr|TTL):\s+(.*)$", line
        )
        if m:
            record.setdefault(m.group(1), m.group(2))
    return [record] if record else []


def _lldp_json(text: str) -> list[dict[str, Any]]:
    data = json.loads(text)
    out = []
    for ifname, entry in data["lldp"]["interface"].items():
        ((name, chassis),) = entry["chassis"].items()
        out.append(
            {
                "ifname": ifname,
                "via": entry["via"],
                "sysname": name,
                "chassis_id": chassis["id"]["value"],
                "descr": chassis["descr"],
                "capabilities": [c["type"] for c in chassis["capability"]],
                "port_id": entry["port"]["id"]["value"],
                "port_descr": entry["port"]["descr"],
                "ttl": entry["port"]["ttl"],
            }
        )
    return out


def _qdisc(text: str) -> list[dict[str, Any]]:
    out = []
    for line in text.splitlines():
        m = re.match(r"^qdisc (\S+) (\S+:) (root|parent \S+)", line)
        if m:
            out.append({"kind": m.group(1), "handle": m.group(2), "where": m.group(3)})
    return out


def _filters(text: str) -> list[dict[str, Any]]:
    return [
        {"flowid": f.classid, "prio": f.prio, "offset": m.offset, "network": str(m.network)}
        for f in parse_tc_filters("dev", "eth1", text)
        for m in f.matches
    ]


Parser = Callable[[str], list[dict[str, Any]]]
CASES: dict[str, tuple[str, Parser]] = {
    "ip_link_show": (
        "ip link show",
        lambda t: parse_output(platform="linux", command="ip link show", data=t),
    ),
    "ip_address_show": (
        "ip address show",
        lambda t: parse_output(platform="linux", command="ip address show", data=t),
    ),
    "ip_s_link_show": (
        "ip -s link show dev eth1",
        lambda t: _records(parse_ip_s_link("dev", t)),
    ),
    "tc_s_class_show": (
        "tc -s class show dev eth1",
        lambda t: _records(parse_tc_classes("dev", "eth1", t)),
    ),
    "tc_class_show": (
        "tc class show dev eth1",
        lambda t: _records(parse_tc_classes("dev", "eth1", t, stats=False)),
    ),
    "tc_qdisc_show": ("tc qdisc show dev eth1", _qdisc),
    "tc_filter_show": ("tc filter show dev eth1", _filters),
    "lldpcli_show_neighbors": ("lldpcli show neighbors", _lldp_text),
    "lldpcli_json_show_neighbors": ("lldpcli -f json show neighbors", _lldp_json),
}
# Fields real samples fill only for some entries (a leaf qdisc, an unmatched filter).
OPTIONAL = {"leaf", "prio", "parent", "offset", "network", "est_rate_bps", "est_pps"}


@pytest.fixture(scope="module")
def simulator_outputs() -> dict[str, str]:
    states = build_states(load_inventory(MINI).inventory, seed=5)
    p = personality_for("linux")(states["rsud-gw"])
    s = p.new_session("netops", "")
    for command in SETUP:
        assert p.handle(command, s) == "", command
    return {folder: p.handle(command, s) for folder, (command, _) in CASES.items()}


def test_every_golden_folder_has_a_case_and_a_source_note() -> None:
    assert golden_folders_match(GOLDEN, CASES) == []


@pytest.mark.parametrize("folder", sorted(CASES))
def test_simulator_output_parses_like_real_output(
    folder: str, simulator_outputs: dict[str, str]
) -> None:
    _, parse = CASES[folder]
    real_records, sim = parsed_real_and_simulated(GOLDEN, folder, parse, simulator_outputs[folder])
    keys = set(real_records[0])
    always_set = {k for k in keys if all(r.get(k) not in ("", [], None) for r in real_records)}
    for record in sim:
        assert set(record) == keys, folder
        missing = {k for k in always_set - OPTIONAL if record.get(k) in ("", [], None)}
        assert not missing, f"{folder}: fields empty in simulator output: {sorted(missing)}"
        for key in always_set:
            if record.get(key) is not None:
                assert type(record[key]) is type(real_records[0][key]), (folder, key)
