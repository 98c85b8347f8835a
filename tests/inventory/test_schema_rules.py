"""Per-entry schema rules (netops.inventory.schema) as the loader reports them: one broken value
each, asserting the exact message and its file:line path."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from netops.errors import InventoryError
from netops.inventory import load_inventory, load_inventory_text

if TYPE_CHECKING:
    from tests.inventory.conftest import Doc

CASES = [
    # (id, old, new, path, message)
    (
        "hostname-pattern",
        "  - hostname: rsud-gw\n",
        "  - hostname: rsud gw;reboot\n",
        "devices[2].hostname",
        "String should match pattern '^[A-Za-z0-9][A-Za-z0-9._-]*$' (got 'rsud gw;reboot')",
    ),
    (
        "name-too-long",
        "  - name: kecamatan\n",
        "  - name: " + "k" * 64 + "\n",
        "groups[1].name",
        "String should have at most 63 characters (got '" + "k" * 56 + "...)",
    ),
    (
        "text-control-character",
        "    name: RSUD Kabupaten Contoh\n",
        '    name: "RSUD\\u0007Contoh"\n',
        "agencies[1].name",
        "String should match pattern '^[^\\x00-\\x1f\\x7f]+$' (got 'RSUD\\x07Contoh')",
    ),
    (
        "text-right-to-left-override",
        "    name: RSUD Kabupaten Contoh\n",
        '    name: "RSUD \\u202Eharoj"\n',
        "agencies[1].name",
        "invisible or control character U+202E is not allowed in text (got 'RSUD \\u202eharoj')",
    ),
    (
        "text-zero-width-space",
        "    name: RSUD Kabupaten Contoh\n",
        '    name: "RSUD\\u200BContoh"\n',
        "agencies[1].name",
        "invisible or control character U+200B is not allowed in text (got 'RSUD\\u200bContoh')",
    ),
    (
        "text-c1-control",
        "    name: RSUD Kabupaten Contoh\n",
        '    name: "RSUD\\x85Contoh"\n',
        "agencies[1].name",
        "invisible or control character U+0085 is not allowed in text (got 'RSUD\\x85Contoh')",
    ),
    (
        "interface-name-pattern",
        "{name: eth1, speed_mbps: 1000, agency: rsud}",
        "{name: 'eth1 ; rm', speed_mbps: 1000, agency: rsud}",
        "devices[2].interfaces[1].name",
        "String should match pattern '^[A-Za-z0-9][A-Za-z0-9./:_-]*$' (got 'eth1 ; rm')",
    ),
    (
        "negative-speed",
        "{name: wlan1, speed_mbps: 300,",
        "{name: wlan1, speed_mbps: -300,",
        "devices[3].interfaces[0].speed_mbps",
        "Input should be greater than or equal to 0 (got -300)",
    ),
    (
        "speed-not-a-number",
        "{name: wlan1, speed_mbps: 300,",
        "{name: wlan1, speed_mbps: fast,",
        "devices[3].interfaces[0].speed_mbps",
        "Input should be a valid number, unable to parse string as a number (got 'fast')",
    ),
    (
        "platform-enum",
        "    platform: linux\n",
        "    platform: junos\n",
        "devices[2].platform",
        "Input should be 'cisco_ios', 'mikrotik_routeros' or 'linux' (got 'junos')",
    ),
    (
        "role-enum",
        "    role: wireless-ptp\n",
        "    role: ptp\n",
        "devices[3].role",
        "Input should be 'core', 'distribution', 'access' or 'wireless-ptp' (got 'ptp')",
    ),
    (
        "medium-enum",
        "medium: wireless,",
        "medium: laser,",
        "links[2].medium",
        "Input should be 'fiber', 'wireless' or 'copper' (got 'laser')",
    ),
    (
        "agency-kind-enum",
        "    kind: rsud\n",
        "    kind: hospital\n",
        "agencies[1].kind",
        "Input should be 'sekretariat', 'dprd', 'dinas', 'badan', 'inspektorat', 'kantor', "
        "'satpol', 'kecamatan', 'kelurahan', 'rsud', 'puskesmas', 'upt' or 'lainnya' "
        "(got 'hospital')",
    ),
    (
        "password-ref-is-not-echoed",
        "    password_ref: NETOPS_LAB_PASSWORD\n",
        "    password_ref: s3cret-Passw0rd\n",
        "credentials[0].password_ref",
        "String should match pattern '^[A-Z][A-Z0-9_]*$'",
    ),
    (
        "username-pattern",
        "    username: netops\n",
        "    username: net ops\n",
        "credentials[0].username",
        "String should match pattern '^[A-Za-z0-9._@-]+$' (got 'net ops')",
    ),
    (
        "guaranteed-above-maximum",
        "      guaranteed_down_mbps: 20\n",
        "      guaranteed_down_mbps: 61\n",
        "agencies[2].quota",
        "guaranteed_down_mbps 61 is above maximum_down_mbps 60",
    ),
    (
        "priority-range",
        "      priority: 4\n",
        "      priority: 9\n",
        "agencies[2].quota.priority",
        "Input should be less than or equal to 8 (got 9)",
    ),
    (
        "boost-ends-before-start",
        'end: "2026-06-08T00:00:00+08:00"',
        'end: "2026-05-08T00:00:00+08:00"',
        "agencies[2].quota.boosts[0]",
        "boost ends (2026-05-08T00:00:00+08:00) before it starts (2026-06-01T00:00:00+08:00)",
    ),
    (
        "boost-without-time-zone",
        '{start: "2026-06-01T00:00:00+08:00", end: "2026-06-08T00:00:00+08:00"',
        '{start: "2026-06-01T00:00:00", end: "2026-06-08T00:00:00"',
        "agencies[2].quota.boosts[0]",
        "boost start and end need a time zone, e.g. 2026-06-01T00:00:00+08:00",
    ),
    (
        "boost-raises-nothing",
        "maximum_down_mbps: 90, reason: PPDB}",
        "reason: PPDB}",
        "agencies[2].quota.boosts[0]",
        "a boost raises maximum_down_mbps, maximum_up_mbps or both",
    ),
    (
        "subnet-with-host-bits",
        "subnets: [10.10.2.0/24]",
        "subnets: [10.10.2.1/24]",
        "agencies[1].subnets",
        "subnet '10.10.2.1/24' is not an IPv4 network in CIDR form: 10.10.2.1/24 has host bits set",
    ),
    (
        "contact-email",
        "    kind: rsud\n",
        "    kind: rsud\n    contact: {name: Budi, email: budi-at-rsud}\n",
        "agencies[1].contact.email",
        "String should match pattern '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' (got 'budi-at-rsud')",
    ),
    (
        "latitude-range",
        "latitude: -8.1180,",
        "latitude: -98.1180,",
        "sites[1].latitude",
        "Input should be greater than or equal to -90 (got -98.118)",
    ),
    (
        "longitude-range",
        "longitude: 115.1500}",
        "longitude: 215.1500}",
        "sites[2].longitude",
        "Input should be less than or equal to 180 (got 215.15)",
    ),
    (
        "mgmt-address",
        "    mgmt_address: 10.255.0.3\n",
        "    mgmt_address: 10.255.0.300\n",
        "devices[2].mgmt_address",
        "Input is not a valid IPv4 address (got '10.255.0.300')",
    ),
    (
        "mgmt-port-range",
        "    mgmt_address: 10.255.0.3\n",
        "    mgmt_address: 10.255.0.3\n    mgmt_port: 70000\n",
        "devices[2].mgmt_port",
        "Input should be less than or equal to 65535 (got 70000)",
    ),
    (
        "link-length-range",
        "length_km: 6.5,",
        "length_km: 650,",
        "links[2].length_km",
        "Input should be less than or equal to 500 (got 650)",
    ),
    (
        "link-capacity-positive",
        "length_km: 6.5, capacity_mbps: 300}",
        "length_km: 6.5, capacity_mbps: 0}",
        "links[2].capacity_mbps",
        "Input should be greater than 0 (got 0)",
    ),
    (
        "uplink-down-positive",
        "    down_mbps: 200\n",
        "    down_mbps: 0\n",
        "uplinks[0].down_mbps",
        "Input should be greater than 0 (got 0)",
    ),
    (
        "uplink-cost-not-negative",
        "    cost_idr_per_month: 10000000\n",
        "    cost_idr_per_month: -1\n",
        "uplinks[0].cost_idr_per_month",
        "Input should be greater than or equal to 0 (got -1)",
    ),
    (
        "version",
        "version: 1\n",
        "version: 2\n",
        "version",
        "Input should be less than or equal to 1 (got 2)",
    ),
    (
        "unknown-key",
        "    model: LHG 5 ac\n",
        "    modle: LHG 5 ac\n",
        "devices[3].modle",
        "unknown key 'modle'",
    ),
    (
        "wrong-type-list-for-mapping",
        "    credentials: lab\n    model: CCR2004",
        "    credentials: [lab]\n    model: CCR2004",
        "devices[0].credentials",
        "Input should be a valid string",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "path", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_schema_rule_reports_file_line_path_and_expectation(
    doc: Doc, old: str, new: str, path: str, message: str
) -> None:
    doc.edit(old, new)
    changed = next(
        (n for o, n in zip(old.splitlines(), new.splitlines(), strict=False) if o != n),
        new.splitlines()[-1],
    )
    assert doc.problems() == [f"{doc.at(changed)} {path}: {message}"]


def test_password_pasted_into_password_ref_is_never_printed(doc: Doc) -> None:
    doc.edit("    password_ref: NETOPS_LAB_PASSWORD\n", "    password_ref: s3cret-Passw0rd\n")
    assert not any("s3cret" in p for p in doc.problems())


def test_missing_required_key_names_the_entry(doc: Doc) -> None:
    doc.edit("    provider: ISP A\n", "")
    assert doc.problems() == [
        f"{doc.at('- name: isp-a')} uplinks[0].provider: missing required key 'provider'"
    ]


def test_several_schema_errors_are_all_reported(doc: Doc) -> None:
    doc.edit("latitude: -8.1180,", "latitude: -98.1180,")
    doc.edit("    mgmt_address: 10.255.0.3\n", "    mgmt_address: 10.255.0.300\n")
    doc.edit("medium: wireless,", "medium: laser,")
    paths = [p.split(" ")[1] for p in doc.problems()]
    assert paths == ["sites[1].latitude:", "devices[2].mgmt_address:", "links[2].medium:"]


def test_top_level_must_be_a_mapping() -> None:
    with pytest.raises(InventoryError) as info:
        load_inventory_text("- just\n- a list\n", "inventory.yaml")
    assert str(info.value) == (
        "inventory.yaml:1 the inventory must be a YAML mapping at the top level"
    )


def test_empty_file_is_reported_not_crashed() -> None:
    with pytest.raises(InventoryError) as info:
        load_inventory_text("", "inventory.yaml")
    assert str(info.value) == (
        "inventory.yaml:1 the inventory must be a YAML mapping at the top level"
    )


def test_yaml_syntax_error_names_the_line() -> None:
    text = "version: 1\nregion: X\ndevices:\n  - {hostname: a, site: [b}\n"
    with pytest.raises(InventoryError) as info:
        load_inventory_text(text, "inventory.yaml")
    assert str(info.value).startswith("inventory.yaml:4 YAML syntax error: ")


def test_duplicate_yaml_key_names_the_second_occurrence() -> None:
    text = "version: 1\nregion: X\nregion: Y\n"
    with pytest.raises(InventoryError) as info:
        load_inventory_text(text, "inventory.yaml")
    assert str(info.value) == "inventory.yaml:3 region: duplicate key 'region'"


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(InventoryError) as info:
        load_inventory(missing)
    assert str(info.value) == f"{missing} file not found"


def test_errors_from_a_file_name_that_file(tmp_path: Path, mini_text: str) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(mini_text.replace("medium: wireless,", "medium: laser,"), encoding="utf-8")
    with pytest.raises(InventoryError) as info:
        load_inventory(path)
    (problem,) = info.value.problems
    assert problem.file == str(path)
    assert problem.path == "links[2].medium"
