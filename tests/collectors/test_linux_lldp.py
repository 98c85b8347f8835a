"""``lldpcli -f json show neighbors`` through the Linux collector's parser, on lldpd's output.

The golden file is tests/lab/golden/linux/lldpcli_json_show_neighbors/real.json: the JSON that
lldpd's own integration test expects from ``lldpcli -f json`` (origin and the restored keys in
that folder's SOURCE.md), so the lab's simulator and the collector are held to the same output.
Expected values are read off that JSON by hand.
"""

from __future__ import annotations

import json

import pytest

from collectors.base import Neighbor
from collectors.parsers import linux
from netops.errors import ParseError
from tests.helpers import ROOT

REAL = ROOT / "tests" / "lab" / "golden" / "linux" / "lldpcli_json_show_neighbors" / "real.json"


def test_lldpd_json_gives_the_neighbour_its_port_id_and_management_address() -> None:
    # eth0 <- chassis "ns-2.example.com", port id (subtype mac) 00:00:00:00:00:02,
    # mgmt-ip fe80::200:ff:fe00:2
    assert linux.parse_lldp("rsud-gw", REAL.read_text(encoding="utf-8")) == [
        Neighbor("eth0", "ns-2.example.com", "00:00:00:00:00:02", "fe80::200:ff:fe00:2", "lldp")
    ]


def test_neighbour_without_a_system_name_is_a_parse_error_naming_device_and_interface() -> None:
    data = json.loads(REAL.read_text(encoding="utf-8"))
    data["lldp"]["interface"]["eth0"]["chassis"] = {}
    with pytest.raises(ParseError, match=r"rsud-gw: .*neighbour on eth0 has no system name"):
        linux.parse_lldp("rsud-gw", json.dumps(data))


def test_lldpcli_reply_cut_short_is_a_parse_error() -> None:
    text = REAL.read_text(encoding="utf-8")
    with pytest.raises(ParseError, match="rsud-gw"):
        linux.parse_lldp("rsud-gw", text[: len(text) // 2])
