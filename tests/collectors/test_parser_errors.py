"""Parsers refuse empty, truncated, refused and garbage outputs instead of returning data."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.parsers import ios, linux, routeros
from netops.errors import ParseError

HERE = Path(__file__).parent


def _text(rel: str) -> str:
    return (HERE / rel).read_text(encoding="utf-8")


STATS_DETAIL = (
    "mikrotik_routeros/counters/stats-detail-doc/interface_print_stats-detail_without-paging.txt"
)
STATS_TABLE = "mikrotik_routeros/counters/stats-table-doc/interface_print_stats_without-paging.txt"


def test_stats_detail_cut_inside_a_record_is_a_parse_error_naming_device_and_item() -> None:
    text = _text(STATS_DETAIL)
    cut = text[: text.index("tx-packet=216")]  # ether2 loses tx-packet
    with pytest.raises(ParseError, match=r"core1: .*item 1 lacks tx-packet"):
        routeros.parse_counters_detail("core1", cut)


def test_stats_table_row_cut_mid_line_is_a_parse_error() -> None:
    text = _text(STATS_TABLE)
    cut = text[: text.index("32 398 973") + 6]
    with pytest.raises(ParseError, match="row 3 is incomplete"):
        routeros.parse_counters_table("core1", cut)


def test_routeros_error_reply_is_reported_not_parsed() -> None:
    with pytest.raises(ParseError, match="bad command name"):
        routeros.parse_counters_detail("core1", "bad command name stats-detail (line 1 column 18)")


def test_routeros_facts_from_garbage_fail_cleanly() -> None:
    with pytest.raises(ParseError, match="core1"):
        routeros.parse_facts("core1", "\x1b[?1049h#$%^ noise", "  name: core1", "", "")


def test_export_without_sections_is_rejected_as_empty_or_truncated() -> None:
    with pytest.raises(ParseError, match="not an export"):
        routeros.parse_export("core1", "# jan/02/1970 00:00:00 by RouterOS 7.12\n")


def test_ip_link_json_cut_short_is_a_parse_error() -> None:
    text = _text("linux/counters/netns-veth/ip_-j_-s_link.txt")
    with pytest.raises(ParseError, match="rsud-gw: 'ip -j -s link': not JSON"):
        linux.parse_links("rsud-gw", text[: len(text) // 2])


def test_tc_class_without_its_sent_line_is_truncated() -> None:
    text = _text("linux/queues/netns-htb/tc_-s_class_show_dev_d0.txt")
    cut = text[: text.rindex(" Sent")]
    with pytest.raises(ParseError, match="class 1:30 has no 'Sent' line"):
        linux.parse_tc_classes("rsud-gw", "d0", cut)


def test_shell_error_is_reported() -> None:
    with pytest.raises(ParseError, match="command not found"):
        linux.parse_links("rsud-gw", "bash: ip: command not found")


def test_ios_show_interfaces_cut_before_counters_is_refused() -> None:
    text = _text("cisco_ios/counters/csr1000v/show_interfaces.txt")
    with pytest.raises(ParseError, match="dist1"):
        ios.parse_counters("dist1", {"show interfaces": text[:300]})


def test_ios_empty_show_version_is_refused() -> None:
    with pytest.raises(ParseError, match="dist1: show version"):
        ios.parse_facts("dist1", {"show version": ""})


@pytest.mark.parametrize(
    ("text", "bps"),
    [("10M", 10_000_000), ("64000", 64_000), ("27.8kbps", 27_800), ("1G", 1_000_000_000)],
)
def test_routeros_rates_are_bits_per_second(text: str, bps: int) -> None:
    assert routeros.ros_rate_bps(text) == bps


def test_routeros_zero_limit_reads_as_no_limit_in_queue_stats() -> None:
    assert routeros.ros_rate_bps("0") == 0
    detail = (
        'Flags: X - disabled\n 0    name="rsud" target=10.10.2.0/24 limit-at=0/30M max-limit=0/0'
    )
    (q,) = routeros.parse_queues("core1", detail)
    assert (q.limit_at_up_bps, q.limit_at_down_bps, q.max_limit_down_bps) == (
        None,
        30_000_000,
        None,
    )


def test_stats_table_cell_that_is_not_a_number_is_a_parse_error_naming_the_line() -> None:
    text = _text(STATS_TABLE).replace("32 398 973", "32 39x 973")
    with pytest.raises(ParseError, match=r"core1: .*line 7: cell '32 39x 973' is not a number"):
        routeros.parse_counters_table("core1", text)


def test_records_with_text_before_the_first_item_are_refused() -> None:
    with pytest.raises(ParseError, match="line 1: text before the first item"):
        routeros.parse_counters_detail("core1", "Interrupted\n 0 R name=ether1 rx-byte=1")


def test_tc_bps_unit_is_bytes_per_second() -> None:
    assert linux.tc_rate_bps("1Kbps") == 8_000
    assert linux.tc_rate_bps("60Mbit") == 60_000_000


def test_tc_class_line_without_rate_is_a_parse_error_naming_the_line() -> None:
    text = "class htb 1:1 root rate 200Mbit ceil 200Mbit burst 1600b cburst 1600b\n"
    text += "class htb 1:10 parent 1:1 prio 1 burst 1600b\n"
    with pytest.raises(ParseError, match=r"rsud-gw: 'tc class show dev d0': line 2: unreadable"):
        linux.parse_tc_classes("rsud-gw", "d0", text, stats=False)


def test_ip_s_link_cut_before_its_tx_counters_is_truncated() -> None:
    text = _text("linux/ip_s_link/uxg-lite/ip_-s_link.txt")
    cut = text[: text.index("    TX:")]
    with pytest.raises(ParseError, match="br0 has no RX/TX counters"):
        linux.parse_ip_s_link("rsud-gw", cut)


def test_simple_queue_export_with_an_unreadable_limit_names_the_line() -> None:
    text = "/queue simple\nadd name=a target=10.0.0.0/24\nadd name=b max-limit=fast/1M\n"
    with pytest.raises(ParseError, match=r"core1: .*line 3: not a RouterOS rate: 'fast'"):
        routeros.parse_simple_queue_export("core1", text)


def test_tc_units_in_every_spelling_tc_prints_or_accepts() -> None:
    assert [linux.tc_rate_bps(t) for t in ("150Mbit", "150mbit", "1Mibit", "8000")] == [
        150_000_000,
        150_000_000,
        1_048_576,
        8_000,
    ]
    assert [linux.tc_size_bytes(t) for t in ("1600b", "5Kb", "15k", "1590b")] == [
        1600,
        5120,
        15360,
        1590,
    ]
    with pytest.raises(ValueError, match="not a tc size"):
        linux.tc_size_bytes("5Kbit/s")


@pytest.mark.parametrize(
    "text", ["Error: Invalid handle.", 'Cannot find device "eth7"', 'Illegal "rate"']
)
def test_tc_error_replies_are_refused_by_the_class_parser(text: str) -> None:
    with pytest.raises(ParseError, match=f"rsud-gw: 'tc -s class show dev eth7' failed: {text}"):
        linux.parse_tc_classes("rsud-gw", "eth7", text)


def test_routeros_cli_error_is_found_on_any_line() -> None:
    text = "\nvalue of max-limit out of range (0..4294967295)"
    assert routeros.error_line(text) == text.strip()
    assert routeros.error_line('0  name="x" comment="expected end"') is None
