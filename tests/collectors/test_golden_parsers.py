"""Golden-file tests: REAL device outputs (see SOURCE.md) parsed by the pure parsers.

Layout: ``tests/collectors/<platform>/<getter>/<case>/{<command outputs>, expected.json}``.  A
command's output file is named after the command (spaces -> ``_``, ``/`` dropped).  Adding a
device output is adding a folder; ``expected.json`` holds the records as plain JSON.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from collectors.parsers import ios, ios_qos, linux, routeros, routeros_tree

HERE = Path(__file__).parent
PLATFORMS = ("cisco_ios", "mikrotik_routeros", "linux")


def slug(command: str) -> str:
    return re.sub(r"[\s/]+", "_", command.strip(" /")) + ".txt"


def read(case: Path, command: str, default: str | None = None) -> str:
    path = case / slug(command)
    if not path.exists() and default is not None:
        return default
    return path.read_text(encoding="utf-8")


def ios_outputs(case: Path) -> dict[str, str]:
    return {p.stem.replace("_", " "): p.read_text(encoding="utf-8") for p in case.glob("*.txt")}


def ros_counters(case: Path) -> Any:
    if (case / slug(routeros.CMD_COUNTERS)).exists():
        return routeros.parse_counters_detail("dev", read(case, routeros.CMD_COUNTERS))
    return routeros.parse_counters_table("dev", read(case, routeros.CMD_COUNTERS_TABLE))


def linux_queues(case: Path) -> Any:
    out = []
    for f in sorted(case.glob(slug(linux.cmd_tc_class("*")))):
        dev = f.stem.rsplit("_", 1)[1]
        classes = linux.parse_tc_classes("dev", dev, f.read_text(encoding="utf-8"))
        filters = linux.parse_tc_filters("dev", dev, read(case, linux.cmd_tc_filter(dev), ""))
        out.extend(linux.tc_queues(dev, classes, filters))
    return out


def tc_classes(case: Path) -> Any:
    """``tc class show`` and ``tc -s class show`` files, per device, in name order."""
    out = {}
    for f in sorted(case.glob("tc_*class_show_dev_*.txt")):
        dev = f.stem.rsplit("_dev_", 1)[1]
        text = f.read_text(encoding="utf-8")
        out[dev] = linux.parse_tc_classes("dev", dev, text, stats=f.name.startswith("tc_-s_"))
    return out


def tc_filters(case: Path) -> Any:
    out = {}
    for f in sorted(case.glob(slug(linux.cmd_tc_filter("*")))):
        dev = f.stem.rsplit("_dev_", 1)[1]
        out[dev] = linux.parse_tc_filters("dev", dev, f.read_text(encoding="utf-8"))
    return out


def ros_records(case: Path) -> Any:
    """Any RouterOS ``key=value`` listing (queue tree, mangle...) through the generic parser."""
    return {
        f.name: routeros.parse_records(f.read_text(encoding="utf-8"))
        for f in sorted(case.glob("*.txt"))
    }


PARSERS: dict[tuple[str, str], Callable[[Path], Any]] = {
    ("cisco_ios", "facts"): lambda c: ios.parse_facts("dev", ios_outputs(c)),
    ("cisco_ios", "interfaces"): lambda c: ios.parse_interfaces("dev", ios_outputs(c)),
    ("cisco_ios", "counters"): lambda c: ios.parse_counters("dev", ios_outputs(c)),
    ("cisco_ios", "neighbors"): lambda c: ios.parse_neighbors("dev", ios_outputs(c)),
    ("cisco_ios", "queues"): lambda c: ios_qos.parse_queues("dev", ios_outputs(c)),
    ("mikrotik_routeros", "facts"): lambda c: routeros.parse_facts(
        "dev",
        read(c, routeros.CMD_RESOURCE),
        read(c, routeros.CMD_IDENTITY),
        read(c, routeros.CMD_ROUTERBOARD, ""),
        read(c, routeros.CMD_INTERFACES, ""),
    ),
    ("mikrotik_routeros", "interfaces"): lambda c: routeros.parse_interfaces(
        "dev", read(c, routeros.CMD_INTERFACES)
    ),
    ("mikrotik_routeros", "counters"): ros_counters,
    ("mikrotik_routeros", "neighbors"): lambda c: routeros.parse_neighbors(
        "dev", read(c, routeros.CMD_NEIGHBORS)
    ),
    ("mikrotik_routeros", "queues"): lambda c: routeros.parse_queues(
        "dev", read(c, routeros.CMD_QUEUES), read(c, routeros.CMD_QUEUE_STATS, "")
    ),
    ("mikrotik_routeros", "records"): ros_records,
    ("mikrotik_routeros", "tree_queues"): lambda c: routeros_tree.parse_tree_queues(
        "dev",
        read(c, routeros_tree.CMD_TREE, ""),
        read(c, routeros_tree.CMD_TREE_STATS, ""),
        read(c, routeros_tree.CMD_MANGLE, ""),
    ),
    ("mikrotik_routeros", "simple_queues"): lambda c: routeros.parse_simple_queues(
        "dev", read(c, routeros.CMD_QUEUES)
    ),
    ("mikrotik_routeros", "simple_queue_export"): lambda c: routeros.parse_simple_queue_export(
        "dev", read(c, routeros.CMD_QUEUE_EXPORT)
    ),
    ("linux", "tc_classes"): tc_classes,
    ("linux", "tc_filters"): tc_filters,
    ("linux", "ip_s_link"): lambda c: linux.parse_ip_s_link("dev", read(c, "ip -s link")),
    ("linux", "facts"): lambda c: linux.parse_facts(
        "dev",
        read(c, linux.CMD_HOSTNAME),
        read(c, linux.CMD_UPTIME),
        read(c, linux.CMD_UNAME),
        read(c, linux.CMD_LINKS),
    ),
    ("linux", "interfaces"): lambda c: [
        link.info for link in linux.parse_links("dev", read(c, linux.CMD_LINKS))
    ],
    ("linux", "counters"): lambda c: [
        link.counters for link in linux.parse_links("dev", read(c, linux.CMD_LINKS))
    ],
    ("linux", "queues"): linux_queues,
}


def to_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: to_plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(value)
    return value


def cases() -> list[Any]:
    found = []
    for platform in PLATFORMS:
        for case in sorted((HERE / platform).glob("*/*")):
            if case.is_dir():
                found.append(
                    pytest.param(platform, case, id=f"{platform}-{case.parent.name}-{case.name}")
                )
    return found


@pytest.mark.parametrize(("platform", "case"), cases())
def test_real_output_parses_to_expected_records(platform: str, case: Path) -> None:
    parser = PARSERS[(platform, case.parent.name)]
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    assert to_plain(parser(case)) == expected


def test_every_getter_of_every_platform_has_a_golden_case() -> None:
    covered = {(p, c.parent.name) for p in PLATFORMS for c in (HERE / p).glob("*/*") if c.is_dir()}
    assert set(PARSERS) <= covered


def test_u32_matches_read_as_subnets_and_directions() -> None:
    text = (HERE / "linux/tc_filters/netns-htb/tc_filter_show_dev_d0.txt").read_text()
    down, up = linux.parse_tc_filters("rsud-gw", "d0", text)
    assert [(m.ip_field, str(m.network)) for m in down.matches] == [("dst", "10.10.2.0/24")]
    assert [(m.ip_field, str(m.network)) for m in up.matches] == [("src", "10.10.2.0/24")]
    assert (down.classid, down.prio, up.classid, up.prio) == ("1:10", 10, "1:30", 11)
