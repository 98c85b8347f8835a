"""Cross-checks on names: every duplicate and every reference kind, with exact message and place."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.inventory.conftest import Doc


def test_mini_inventory_is_valid_without_warnings(doc: Doc) -> None:
    loaded = doc.load(strict=True)
    assert loaded.warnings == ()
    assert [d.hostname for d in loaded.inventory.devices] == [
        "core1",
        "dist1",
        "rsud-gw",
        "ptp-utara",
    ]


# --- duplicates -----------------------------------------------------------------------------


def test_duplicate_credential_name_points_at_both_definitions(doc: Doc) -> None:
    doc.edit(
        "    password_ref: NETOPS_LAB_PASSWORD\n",
        "    password_ref: NETOPS_LAB_PASSWORD\n"
        "  - name: lab\n    username: other\n    password_ref: OTHER\n",
    )
    assert doc.problems() == [
        f"{doc.at('- name: lab', 2)} credentials[1].name: duplicate credential name 'lab' "
        f"(first defined at credentials[0].name (line {doc.line('- name: lab')}))"
    ]


def test_duplicate_uplink_name(doc: Doc) -> None:
    doc.edit(
        "    cost_idr_per_month: 10000000\n",
        "    cost_idr_per_month: 10000000\n"
        "  - {name: isp-a, provider: ISP B, down_mbps: 50, up_mbps: 50, device: core1,"
        " interface: ether4}\n",
    )
    assert doc.problems() == [
        f"{doc.at('name: isp-a, provider: ISP B')} uplinks[1].name: duplicate uplink name "
        f"'isp-a' (first defined at uplinks[0].name (line {doc.line('- name: isp-a')}))"
    ]


def test_duplicate_group_name(doc: Doc) -> None:
    doc.edit("  - name: kecamatan\n", "  - name: opd\n")
    assert doc.problems() == [
        f"{doc.at('- name: opd', 2)} groups[1].name: duplicate group name 'opd' "
        f"(first defined at groups[0].name (line {doc.line('- name: opd')}))",
        # The agency of the group that is now gone is reported too: every error at once.
        f"{doc.at('group: kecamatan')} agencies[2].group: unknown group 'kecamatan' "
        "(known groups: opd)",
    ]


def test_duplicate_agency_code(doc: Doc) -> None:
    doc.edit("  - code: rsud\n", "  - code: diskominfo\n")
    doc.edit("{name: rsud, agency: rsud,", "{name: rsud, agency: diskominfo,")
    doc.edit("{name: eth1, speed_mbps: 1000, agency: rsud}", "{name: eth1, speed_mbps: 1000}")
    assert doc.problems() == [
        f"{doc.at('- code: diskominfo', 2)} agencies[1].code: duplicate agency code 'diskominfo' "
        f"(first defined at agencies[0].code (line {doc.line('- code: diskominfo')}))",
    ]


def test_duplicate_site_name(doc: Doc) -> None:
    doc.edit("{name: rsud, agency: rsud,", "{name: dc, agency: rsud,")
    assert doc.problems() == [
        f"{doc.at('{name: dc, agency: rsud')} sites[1].name: duplicate site name 'dc' "
        f"(first defined at sites[0].name (line {doc.line('{name: dc, agency: diskominfo')}))",
        f"{doc.at('site: rsud')} devices[2].site: unknown site 'rsud' (known sites: dc, kec-utara)",
    ]


def test_duplicate_device_hostname(doc: Doc) -> None:
    doc.edit("  - hostname: ptp-utara\n", "  - hostname: dist1\n")
    doc.edit("b: {device: ptp-utara, interface: wlan1}", "b: {device: dist1, interface: wlan1}")
    # The interfaces of both definitions count as known, so the link to dist1 wlan1 adds no
    # second, derived error.
    assert doc.problems() == [
        f"{doc.at('- hostname: dist1', 2)} devices[3].hostname: duplicate device hostname "
        f"'dist1' (first defined at devices[1].hostname (line {doc.line('- hostname: dist1')}))"
    ]


def test_duplicate_interface_name_within_one_device(doc: Doc) -> None:
    doc.edit("{name: ether4, speed_mbps: 1000, agency: diskominfo}", "{name: ether3}")
    assert doc.problems() == [
        f"{doc.at('{name: ether3}')} devices[0].interfaces[3].name: duplicate interface name "
        f"'ether3' on device 'core1' (first defined at devices[0].interfaces[2].name "
        f"(line {doc.line('{name: ether3, speed_mbps')}))"
    ]


def test_same_interface_name_on_two_devices_is_fine(doc: Doc) -> None:
    # core1 and ptp-utara both have ether1 in the fixture.
    assert doc.problems() == []


def test_duplicate_shaper_for_same_device_and_lan_interface(doc: Doc) -> None:
    doc.edit(
        "  - {device: core1, lan_interface: ether2, wan_interface: ether1}\n",
        "  - {device: core1, lan_interface: ether2, wan_interface: ether1}\n"
        "  - {device: core1, lan_interface: ether2, wan_interface: ether3}\n",
    )
    assert doc.problems() == [
        f"{doc.at('wan_interface: ether3')} shapers[1]: duplicate shaper for core1 ether2 "
        f"(first defined at shapers[0] (line {doc.line('wan_interface: ether1')}))"
    ]


# --- references ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        (
            "    group: kecamatan\n",
            "    group: kecamatn\n",
            "agencies[2].group",
            "unknown group 'kecamatn' (did you mean 'kecamatan'?)",
        ),
        (
            "{name: rsud, agency: rsud,",
            "{name: rsud, agency: rsud-x,",
            "sites[1].agency",
            "unknown agency 'rsud-x' (did you mean 'rsud'?)",
        ),
        (
            "    site: kec-utara\n",
            "    site: kec-selatan\n",
            "devices[3].site",
            "unknown site 'kec-selatan' (did you mean 'kec-utara'?)",
        ),
        (
            "    site: rsud\n    credentials: lab\n",
            "    site: rsud\n    credentials: admin\n",
            "devices[2].credentials",
            "unknown credential 'admin' (known credentials: lab)",
        ),
        (
            "{name: ether1, speed_mbps: 100, agency: kec-utara}",
            "{name: ether1, speed_mbps: 100, agency: kec-utar}",
            "devices[3].interfaces[1].agency",
            "unknown agency 'kec-utar' (did you mean 'kec-utara'?)",
        ),
        (
            "    device: core1\n    interface: ether1\n",
            "    device: core2\n    interface: ether1\n",
            "uplinks[0].device",
            "unknown device 'core2' (did you mean 'core1'?)",
        ),
        (
            "    device: core1\n    interface: ether1\n",
            "    device: core1\n    interface: sfp1\n",
            "uplinks[0].interface",
            "unknown interface 'sfp1' on device 'core1' "
            "(known interfaces on core1: ether1, ether2, ether3, ether4)",
        ),
        (
            "b: {device: rsud-gw, interface: eth0}",
            "b: {device: rsud-g, interface: eth0}",
            "links[1].b.device",
            "unknown device 'rsud-g' (did you mean 'rsud-gw'?)",
        ),
        (
            "a: {device: core1, interface: ether3}",
            "a: {device: core1, interface: ether33}",
            "links[2].a.interface",
            "unknown interface 'ether33' on device 'core1' (did you mean 'ether3'?)",
        ),
        (
            "{device: core1, lan_interface: ether2,",
            "{device: core9, lan_interface: ether2,",
            "shapers[0].device",
            "unknown device 'core9' (did you mean 'core1'?)",
        ),
        (
            "lan_interface: ether2, wan_interface: ether1}",
            "lan_interface: ether22, wan_interface: ether1}",
            "shapers[0].lan_interface",
            "unknown interface 'ether22' on device 'core1' (did you mean 'ether2'?)",
        ),
        (
            "lan_interface: ether2, wan_interface: ether1}",
            "lan_interface: ether2, wan_interface: wan}",
            "shapers[0].wan_interface",
            "unknown interface 'wan' on device 'core1' "
            "(known interfaces on core1: ether1, ether2, ether3, ether4)",
        ),
        (
            "lan_interface: ether2, wan_interface: ether1}",
            "lan_interface: ether2, wan_interface: ether1, groups: [opd, kec]}",
            "shapers[0].groups[1]",
            "unknown group 'kec' (known groups: kecamatan, opd)",
        ),
    ],
    ids=[
        "agency.group",
        "site.agency",
        "device.site",
        "device.credentials",
        "interface.agency",
        "uplink.device",
        "uplink.interface",
        "link.device",
        "link.interface",
        "shaper.device",
        "shaper.lan_interface",
        "shaper.wan_interface",
        "shaper.groups",
    ],
)
def test_unknown_reference_names_file_line_path_and_suggests(
    doc: Doc, old: str, new: str, path: str, message: str
) -> None:
    doc.edit(old, new)
    changed = next(n for o, n in zip(old.splitlines(), new.splitlines(), strict=True) if o != n)
    assert doc.problems() == [f"{doc.at(changed)} {path}: {message}"]


def test_issue_example_unknown_link_device_with_did_you_mean(doc: Doc) -> None:
    doc.edit("  - hostname: dist1\n", "  - hostname: dist-sawan1\n")
    doc.edit(
        "{a: {device: core1, interface: ether2}, b: {device: dist1,",
        "{a: {device: core1, interface: ether2}, b: {device: dist-sawan,",
    )
    doc.edit(
        "{a: {device: dist1, interface: GigabitEthernet1/0/2}",
        "{a: {device: dist-sawan1, interface: GigabitEthernet1/0/2}",
    )
    assert doc.problems() == [
        f"{doc.at('device: dist-sawan,')} links[0].b.device: unknown device 'dist-sawan' "
        "(did you mean 'dist-sawan1'?)"
    ]


def test_unknown_reference_with_nothing_defined_says_so(doc: Doc) -> None:
    doc.edit(
        "credentials:\n  - name: lab\n    username: netops\n"
        "    password_ref: NETOPS_LAB_PASSWORD\n",
        "credentials: []\n",
    )
    problems = doc.problems()
    assert len(problems) == 4
    assert problems[0].endswith(
        "devices[0].credentials: unknown credential 'lab' (no credentials are defined)"
    )


# --- links and shapers ---------------------------------------------------------------------


def test_interface_used_by_two_links_names_the_first_link(doc: Doc) -> None:
    doc.edit(
        "a: {device: core1, interface: ether3}, b: {device: ptp-utara",
        "a: {device: core1, interface: ether2}, b: {device: ptp-utara",
    )
    assert doc.problems() == [
        f"{doc.at('wlan1}, medium: wireless')} links[2].a: interface core1 ether2 is already "
        f"used by links[0] (line {doc.line('interface: ether2}, b: {device: dist1')})"
    ]


def test_link_from_an_interface_to_itself(doc: Doc) -> None:
    doc.edit("b: {device: ptp-utara, interface: wlan1}", "b: {device: core1, interface: ether3}")
    assert doc.problems() == [
        f"{doc.at('medium: wireless')} links[2].b: link connects core1 ether3 to itself"
    ]


def test_shaper_with_same_lan_and_wan_interface(doc: Doc) -> None:
    doc.edit("wan_interface: ether1}", "wan_interface: ether2}")
    assert doc.problems() == [
        f"{doc.at('wan_interface: ether2}')} shapers[0].wan_interface: wan_interface 'ether2' is "
        "the same as lan_interface: download and upload must be shaped on different interfaces"
    ]


def test_every_error_is_reported_at_once_in_document_order(doc: Doc) -> None:
    doc.edit("    group: kecamatan\n", "    group: nowhere\n")
    doc.edit("    site: kec-utara\n", "    site: nowhere\n")
    doc.edit("b: {device: rsud-gw, interface: eth0}", "b: {device: rsud-gw, interface: eth9}")
    doc.edit("{device: core1, lan_interface: ether2,", "{device: nowhere, lan_interface: ether2,")
    problems = doc.problems()
    assert [p.split(" ")[1] for p in problems] == [
        "agencies[2].group:",
        "devices[3].site:",
        "links[1].b.interface:",
        "shapers[0].device:",
    ]
    lines = [int(p.split(" ")[0].split(":")[1]) for p in problems]
    assert lines == sorted(lines)
