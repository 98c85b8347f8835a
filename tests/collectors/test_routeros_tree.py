"""Queue tree statistics: parser errors on cut, refused and garbage output (real texts, see
``mikrotik_routeros/tree_queues/SOURCE.md``), and what the RouterOS driver reads over SSH."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from collectors.drivers.routeros import RouterOSCollector
from collectors.parsers import routeros_tree as tree
from netops.errors import ParseError

CASES = Path(__file__).parent / "mikrotik_routeros" / "tree_queues"
BLOG_STATS = CASES / "fq-codel-blog" / "queue_tree_print_stats_without-paging.txt"
FORUM = CASES / "forum-qos-outgoing"


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_stats_cut_before_the_byte_counter_is_a_parse_error_naming_device_and_item() -> None:
    text = _text(BLOG_STATS)
    cut = text[: text.index("bytes=26698400069")]  # the second queue loses its counters
    with pytest.raises(
        ParseError, match=r"core1: .*print stats.*item 1 incomplete \(truncated\?\)"
    ):
        tree.parse_tree_queues("core1", "", cut)


def test_refused_tree_command_is_reported_with_the_routeros_error_line() -> None:
    with pytest.raises(ParseError, match=r"core1: '/queue tree print stats .*refused: bad command"):
        tree.parse_tree_queues("core1", "", "bad command name tree (line 1 column 8)")


def test_unreadable_rate_is_a_parse_error_naming_the_queue_and_property() -> None:
    text = _text(BLOG_STATS).replace("rate=52320 ", "rate=52,320 ")
    with pytest.raises(
        ParseError, match=r"queue tree 'queue-download': rate='52,320' is not a rate"
    ):
        tree.parse_tree_queues("core1", "", text)


def test_detail_item_without_a_name_is_truncated_output() -> None:
    text = _text(FORUM / "queue_tree_print_detail_without-paging.txt")
    cut = text.replace('name="Critical" ', "")
    with pytest.raises(ParseError, match=r"print detail.*item 2 has no name"):
        tree.parse_tree_queues("core1", cut)


def test_an_inner_queue_without_marks_takes_its_childrens_direction_and_its_interface() -> None:
    queues = tree.parse_tree_queues(
        "dev",
        _text(FORUM / "queue_tree_print_detail_without-paging.txt"),
        mangle=_text(FORUM / "ip_firewall_mangle_print_detail_without-paging.txt"),
    )
    outgoing = next(q for q in queues if q.name == "Outgoing queue")
    assert (outgoing.target, outgoing.parent, outgoing.max_limit_down_bps) == (
        "Public",
        "Public",
        4_350_000,
    )
    # port- and interface-based marks name no subnet: the target is the mark itself
    assert {q.target for q in queues if q.parent == "Outgoing queue"} == {
        "link_critical",
        "time_critical",
        "critical",
        "high_pri_interactive",
        "low_pri_interactive",
        "high_pri_non_interactive",
        "low_pri_non_interactive",
        "non_critical",
    }


def test_mangle_rules_by_subnet_give_a_foreign_queue_its_direction_and_target() -> None:
    # the forum router's rules, marking by source subnet instead of by out-interface
    rules = _text(FORUM / "ip_firewall_mangle_print_detail_without-paging.txt").replace(
        "out-interface=Public src-port=68", "src-address=192.168.88.0/24 src-port=68"
    )
    queues = tree.parse_tree_queues(
        "dev", _text(FORUM / "queue_tree_print_detail_without-paging.txt"), mangle=rules
    )
    link = next(q for q in queues if q.name == "Link-critical")
    assert (link.target, link.max_limit_up_bps, link.max_limit_down_bps) == (
        "192.168.88.0/24",
        4_350_000,
        None,
    )
    others = [q for q in queues if q.parent == "Outgoing queue" and q.name != "Link-critical"]
    assert all(q.max_limit_down_bps == 4_350_000 for q in others)


# -- the driver over real SSH against the lab ----------------------------------------------------


class _Recording:
    """The netmiko session, with the commands sent through it noted."""

    def __init__(self, conn: Any) -> None:
        self.__dict__["conn"] = conn
        self.__dict__["sent"] = []

    def send_command(self, command: str, **kwargs: Any) -> Any:
        self.sent.append(command)
        return self.conn.send_command(command, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.conn, name, value)


@pytest.fixture
def core1(lab_factory: Any, mini_inventory: Any, lab_secrets: Any, tmp_path: Path) -> Iterator[Any]:
    from collectors.connect import close_session, open_session
    from netops.settings import Settings

    lab = lab_factory(mini_inventory, devices=["core1"])
    device = next(d for d in mini_inventory.devices if d.hostname == "core1")
    cred = next(c for c in mini_inventory.credentials if c.name == device.credentials)
    settings = Settings(loopback_only=True, data_dir=tmp_path, known_hosts=tmp_path / "known_hosts")
    conn = open_session(device, cred, lab_secrets, lab.endpoints["core1"], settings)
    try:
        yield _Recording(conn)
    finally:
        close_session(conn)


@pytest.mark.lab
def test_a_router_without_a_queue_tree_costs_one_command_more(core1: Any) -> None:
    ros = RouterOSCollector(core1, "core1")
    assert ros.get_queues() == []
    assert core1.sent == [
        "/queue simple print detail without-paging",
        "/queue simple print stats without-paging",
        tree.CMD_TREE_STATS,
    ]


@pytest.mark.lab
def test_a_tree_queue_named_like_a_simple_queue_is_kept_apart(core1: Any) -> None:
    core1.send_command("/queue simple add name=dup target=10.10.2.0/24 max-limit=5M/10M")
    core1.send_command("/queue tree add name=dup parent=ether2 max-limit=7M")
    core1.sent.clear()
    queues = {q.name: q for q in RouterOSCollector(core1, "core1").get_queues()}
    assert set(queues) == {"dup", "tree:dup"}
    assert queues["dup"].max_limit_down_bps == 10_000_000
    assert (queues["tree:dup"].max_limit_down_bps, queues["tree:dup"].target) == (
        7_000_000,
        "ether2",
    )
    assert core1.sent[2:] == [tree.CMD_TREE_STATS, tree.CMD_TREE, tree.CMD_MANGLE]
