"""Cross-check of ``shapers[].mode`` against the device's platform: exact message and place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from netops.inventory.schema import ShaperMode

if TYPE_CHECKING:
    from tests.inventory.conftest import Doc

MIKROTIK_SHAPER = "  - {device: core1, lan_interface: ether2, wan_interface: ether1}\n"


def _add_shaper(doc: Doc, line: str) -> Doc:
    return doc.edit(MIKROTIK_SHAPER, MIKROTIK_SHAPER + line + "\n")


def test_tree_mode_on_a_cisco_shaper_is_an_error_at_its_line_naming_device_and_platform(
    doc: Doc,
) -> None:
    line = (
        "  - {device: dist1, lan_interface: GigabitEthernet1/0/2,"
        " wan_interface: GigabitEthernet1/0/1, mode: tree}"
    )
    _add_shaper(doc, line)
    assert doc.problems() == [
        f"{doc.at('device: dist1, lan_interface')} shapers[1].mode: mode 'tree' exists only on "
        "mikrotik_routeros; dist1 is cisco_ios: use mode: simple"
    ]


def test_tree_mode_on_a_linux_shaper_is_an_error_in_block_style_at_the_mode_line(
    doc: Doc,
) -> None:
    _add_shaper(
        doc, "  - device: rsud-gw\n    lan_interface: eth1\n    wan_interface: eth0\n    mode: tree"
    )
    assert doc.problems() == [
        f"{doc.at('    mode: tree')} shapers[1].mode: mode 'tree' exists only on "
        "mikrotik_routeros; rsud-gw is linux: use mode: simple"
    ]


def test_tree_mode_on_the_mikrotik_shaper_is_valid(doc: Doc) -> None:
    doc.edit(MIKROTIK_SHAPER, MIKROTIK_SHAPER.replace("ether1}", "ether1, mode: tree}"))
    loaded = doc.load(strict=True)
    assert loaded.warnings == ()
    assert [s.mode for s in loaded.inventory.shapers] == [ShaperMode.TREE]


def test_simple_mode_written_out_on_a_cisco_shaper_is_valid(doc: Doc) -> None:
    _add_shaper(
        doc,
        "  - {device: dist1, lan_interface: GigabitEthernet1/0/2,"
        " wan_interface: GigabitEthernet1/0/1, mode: simple}",
    )
    loaded = doc.load(strict=True)
    assert [s.mode for s in loaded.inventory.shapers] == [ShaperMode.SIMPLE] * 2


def test_tree_mode_on_an_unknown_device_reports_only_the_unknown_device(doc: Doc) -> None:
    _add_shaper(doc, "  - {device: dist9, lan_interface: a, wan_interface: b, mode: tree}")
    assert doc.problems() == [
        f"{doc.at('device: dist9')} shapers[1].device: unknown device 'dist9' "
        "(did you mean 'dist1'?)"
    ]


def test_every_tree_shaper_off_mikrotik_is_reported_in_document_order(doc: Doc) -> None:
    _add_shaper(
        doc,
        "  - {device: rsud-gw, lan_interface: eth1, wan_interface: eth0, mode: tree}\n"
        "  - {device: dist1, lan_interface: GigabitEthernet1/0/2,"
        " wan_interface: GigabitEthernet1/0/1, mode: tree}",
    )
    assert [p.split(" ", 2)[:2] for p in doc.problems()] == [
        [doc.at("device: rsud-gw, lan_interface"), "shapers[1].mode:"],
        [doc.at("device: dist1, lan_interface"), "shapers[2].mode:"],
    ]
