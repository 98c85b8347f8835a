"""Cisco IOS queue counters: the ``show policy-map interface`` / ``show ip access-lists`` parser,
the naming it shares with the bandwidth manager, and ``get_queues`` over real SSH against the lab.

Golden cases (real IOS-XE outputs) live in ``cisco_ios/queues/`` and run in
test_golden_parsers.py; this module checks the behaviour those cases do not pin down.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from collectors.parsers import ios_qos
from collectors.parsers.ios_qos import AclEntry, PolicyClass
from netops.bandwidth import cisco
from netops.bandwidth.plan import Direction
from netops.errors import ParseError

HERE = Path(__file__).parent
GOLDEN = HERE / "cisco_ios" / "queues"
REAL_ACLS = HERE.parent / "lab" / "golden" / "cisco_ios" / "show_ip_access-lists" / "real.txt"
NET = ipaddress.IPv4Network


def _golden(case: str) -> str:
    return (GOLDEN / case / "show_policy-map_interface.txt").read_text(encoding="utf-8")


def _cls(name: str, interface: str, **kw: Any) -> PolicyClass:
    c = PolicyClass(interface, "output", kw.pop("policy", "NX-DOWN"), name, **kw)
    if c.packets is None:
        c.packets = 0
    return c


# -- parser on real output ---------------------------------------------------------------


def test_real_acl_listing_gives_permit_entries_with_source_and_destination_subnets() -> None:
    acls = ios_qos.parse_access_lists("r1", REAL_ACLS.read_text(encoding="utf-8"))
    assert acls["sample"] == [
        (NET("10.10.37.18/32"), NET("10.10.37.17/32")),
        (NET("10.10.37.18/32"), NET("10.10.37.17/32")),
        (NET("10.10.37.16/30"), NET("10.10.37.17/32")),
    ]
    # standard ACLs match on the source only; "deny any" and the non-contiguous wildcard
    # "10.0.10.0, wildcard bits 0.255.0.255" select no subnet
    assert acls["99"] == [(NET("172.16.191.199/32"), None)]
    assert acls["test"] == []
    assert acls["101"][-1] == (NET("10.0.0.0/8"), NET("10.1.0.0/32"))


def test_priority_queue_block_of_a_child_policy_does_not_overwrite_the_parent_class() -> None:
    classes = ios_qos.parse_policy_map_interface("pe1", _golden("iosxe-input-and-output-policies"))
    parent = next(c for c in classes if c.policy == "L3VPN_out" and c.name == "class-default")
    # the "queue stats for all priority classes" block that follows says 123456/7890123
    assert (parent.packets_output, parent.octets_output) == (11511, 111611)
    child = next(c for c in classes if c.name == "IPP67")
    assert child.path == ("L3VPN_out", "class-default") and child.bandwidth_kbps == 234


def test_second_packet_line_under_a_match_statement_is_not_taken_as_the_class_total() -> None:
    classes = ios_qos.parse_policy_map_interface("r1", _golden("iosxe-two-interfaces-wred"))
    silver = classes[0]
    assert (silver.interface, silver.name, silver.packets, silver.octets) == (
        "serial3/1",
        "silver",
        366,
        87840,
    )
    assert (silver.rate_interval_s, silver.offered_rate_bps, silver.drop_rate_bps) == (
        30,
        15000,
        300,
    )
    # the config echo inside serial3/1's section ("class prec2 / bandwidth 1000") is not a class
    assert [c.name for c in classes] == ["silver", "prec2", "class-default"]
    assert classes[1].interface == "Ethernet0/0/1" and classes[1].bandwidth_kbps == 1000


def test_shaping_class_default_is_kept_as_a_queue_and_plain_class_default_is_not() -> None:
    queues = ios_qos.parse_queues(
        "r1", {ios_qos.CMD_POLICY: _golden("iosxe-shaped-parent-bandwidth-kbps")}
    )
    names = [q.name for q in queues]
    assert "GigabitEthernet4.1:output:parent-policy/class-default" in names
    assert not any(n.endswith("child-policy/class-default") for n in names)
    parent = queues[names.index("GigabitEthernet4.1:output:parent-policy/class-default")]
    assert parent.max_limit_down_bps == 1_000_000_000


# -- errors --------------------------------------------------------------------------------


def test_empty_output_means_no_policy_attached_and_no_queues() -> None:
    assert ios_qos.parse_queues("r1", {ios_qos.CMD_POLICY: "", ios_qos.CMD_ACLS: ""}) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("                  ^\n% Invalid input detected at '^' marker.\n", "refused"),
        ("xq$$ 81!! zz\n~~ noise noise\n", "garbage"),
        (
            " Gi1/0/2\n\n  Service-policy output: NX-DOWN\n\n"
            "    Class-map: NX-a-DOWN (match-any)\n",
            "truncated",
        ),
        ("    Class-map: NX-a-DOWN (match-any)\n      1 packets, 2 bytes\n", "outside a policy"),
    ],
    ids=["refused", "garbage", "truncated", "headless"],
)
def test_bad_policy_output_raises_parse_error_naming_the_device(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message) as err:
        ios_qos.parse_queues("dist7", {ios_qos.CMD_POLICY: text})
    assert "dist7" in str(err.value)


def test_refused_or_garbage_acl_listing_raises_parse_error() -> None:
    with pytest.raises(ParseError, match="refused"):
        ios_qos.parse_access_lists("r1", "% Invalid input detected at '^' marker.\n")
    with pytest.raises(ParseError, match="r1"):
        ios_qos.parse_access_lists("r1", "this is not\nan access list\n")


# -- netops classes: pairing and names shared with the bandwidth manager ---------------------


def test_each_netops_class_is_one_queue_on_its_direction_with_acl_subnets_as_target() -> None:
    classes = [
        _cls(
            "NX-rsud-DOWN",
            "Gi1/0/2",
            octets_output=5000,
            shape_cir_bps=180_000_000,
            bandwidth_kbps=60_000,
            matches=["access-group name NX-rsud-DOWN"],
        ),
        _cls(
            "NX-rsud-UP",
            "Gi1/0/1",
            policy="NX-UP",
            octets_output=700,
            shape_cir_bps=80_000_000,
            bandwidth_kbps=30_000,
            matches=["access-group name NX-rsud-UP"],
        ),
        _cls("class-default", "Gi1/0/2", octets_output=99),
    ]
    acls: dict[str, list[AclEntry]] = {
        "NX-rsud-DOWN": [(None, NET("10.10.9.0/24")), (None, NET("10.10.2.0/24"))],
        "NX-rsud-UP": [(NET("10.10.2.0/24"), None), (NET("10.10.9.0/24"), None)],
    }
    down, up = ios_qos.queues_from_classes(classes, acls)
    assert down.name == "Gi1/0/2:output:NX-DOWN/NX-rsud-DOWN"
    assert up.name == "Gi1/0/1:output:NX-UP/NX-rsud-UP"
    assert down.target == up.target == "10.10.2.0/24,10.10.9.0/24"
    assert (down.limit_at_down_bps, down.max_limit_down_bps, down.bytes_down) == (
        60_000_000,
        180_000_000,
        5000,
    )
    assert (down.limit_at_up_bps, down.max_limit_up_bps, down.bytes_up) == (None, None, 0)
    assert (up.limit_at_up_bps, up.max_limit_up_bps, up.bytes_up) == (30_000_000, 80_000_000, 700)
    assert (up.limit_at_down_bps, up.max_limit_down_bps, up.bytes_down) == (None, None, 0)
    assert down.extra["class_down"] == "NX-rsud-DOWN" and up.extra["interface_up"] == "Gi1/0/1"


def test_stored_cisco_queue_names_carry_the_class_name_netops_renders() -> None:
    """The bandwidth read side finds an agency's Cisco samples by the ``/``-, ``:``- or
    space-separated part equal to :func:`netops.bandwidth.cisco.class_name`."""
    import re

    for direction, iface, policy in (("down", "Gi1/0/2", "NX-DOWN"), ("up", "Gi1/0/1", "NX-UP")):
        rendered = cisco.class_name(_entry("kec-utara", direction))
        [q] = ios_qos.queues_from_classes([_cls(rendered, iface, policy=policy)], {})
        assert rendered in re.split(r"[/:\s]+", q.name)
        assert (q.bytes_down if direction == "down" else q.bytes_up) == 0


def test_foreign_class_direction_follows_what_its_acl_matches() -> None:
    classes = [
        _cls("VOIP", "Gi0/1", policy="WAN", octets=10, matches=["access-group name SRC"]),
        _cls("BULK", "Gi0/1", policy="WAN", octets=20, matches=["dscp af11 (10)"]),
    ]
    acls: dict[str, list[AclEntry]] = {"SRC": [(NET("10.9.0.0/16"), None)]}
    voip, bulk = ios_qos.queues_from_classes(classes, acls)
    assert (voip.name, voip.target, voip.bytes_up, voip.bytes_down) == (
        "Gi0/1:output:WAN/VOIP",
        "10.9.0.0/16",
        10,
        0,
    )
    assert (bulk.target, bulk.bytes_down, bulk.bytes_up) == ("BULK", 20, 0)


def test_long_agency_codes_give_both_directions_the_same_shortened_base_name() -> None:
    code = "dinas-pekerjaan-umum-dan-penataan-ruang-kabupaten"
    down = cisco.class_name(_entry(code, "down"))
    up = cisco.class_name(_entry(code, "up"))
    assert len(down) <= 40 and len(up) <= 40
    assert cisco.split_class_name(down) == (cisco.base_name(code), "down")
    assert cisco.split_class_name(up) == (cisco.base_name(code), "up")
    # the code cannot be read back from a shortened name
    assert cisco.key_of(down) is None and cisco.key_of(up) is None


def test_short_codes_render_the_same_class_names_as_before() -> None:
    assert cisco.class_name(_entry("rsud", "down")) == "NX-rsud-DOWN"
    assert cisco.class_name(_entry("rsud", "up")) == "NX-rsud-UP"
    assert cisco.key_of("NX-dinas-abcdef-DOWN") == "a:dinas-abcdef"


def _entry(code: str, direction: str) -> Any:
    from netops.bandwidth.entries import QueueEntry

    return QueueEntry(f"a:{code}", direction, (), 0, 0)  # type: ignore[arg-type]


# -- over real SSH against the lab -----------------------------------------------------------


@pytest.mark.lab
@pytest.mark.slow
def test_cisco_shaper_classes_are_polled_stored_and_read_back_per_agency_by_usage(
    lab_factory: Any, mini_inventory: Any, lab_secrets: Any, sqlite_engine: Engine, tmp_path: Path
) -> None:
    from collectors.engine import Poller
    from lab.state import ManualClock
    from netops.bandwidth.service import apply_device
    from netops.settings import Settings
    from netops.storage.telemetry import QueueSample
    from tests.bandwidth.labkit import PEAK_S, context, with_shapers

    inv = with_shapers(mini_inventory, "dist1")
    # Lab and poller share one hand-moved clock: the second poll is exactly 60 s of device
    # time after the first, so the byte deltas give rates without sleeping.
    clock = ManualClock(PEAK_S)
    lab = lab_factory(inv, clock=clock)
    ctx = context(inv, lab, lab_secrets, tmp_path, engine=sqlite_engine)
    try:
        result = apply_device(ctx, "dist1", dry_run=False)
    finally:
        ctx.close()  # the push's own SSH session; the poller opens its own
    assert result.ok, result
    settings = Settings(data_dir=tmp_path, loopback_only=True, device_timeout_s=5, poll_workers=2)
    poller = Poller(
        inv, settings, lab_secrets, lab.endpoints, engine=sqlite_engine, retries=1, clock=clock
    )
    try:
        first = poller.poll(["queues"])
        clock.advance(60)
        second = poller.poll(["queues"])
    finally:
        poller.close()
    assert not first.failed and not second.failed, [r.error for r in first.failed + second.failed]
    with sqlite_engine.connect() as conn:
        rows = conn.execute(select(QueueSample).where(QueueSample.device == "dist1")).all()
    latest = {r.queue_name: r for r in rows}
    agencies = [a for a in ctx.plan().agencies if a.subnets]
    expected: dict[str, tuple[Any, Direction]] = {}
    directions: tuple[tuple[Direction, str, str], ...] = (
        ("down", "GigabitEthernet1/0/2", "NX-DOWN"),
        ("up", "GigabitEthernet1/0/1", "NX-UP"),
    )
    for a in agencies:
        for d, iface, policy in directions:
            name = cisco.class_name(_entry(a.code, d))
            expected[f"{iface}:output:{policy}/{name}"] = (a, d)
    assert set(latest) == set(expected)
    for name, (agency, d) in expected.items():
        r = latest[name]
        assert r.target == ",".join(str(s) for s in agency.subnets)
        limit, ceil, rate = (
            (r.limit_at_down_bps, r.max_limit_down_bps, r.rate_down_bps)
            if d == "down"
            else (r.limit_at_up_bps, r.max_limit_up_bps, r.rate_up_bps)
        )
        assert ceil == round(agency.maximum_mbps(d) * 1000) * 1000, name
        assert limit == round(agency.guaranteed_mbps(d) * 1000) * 1000, name
        assert rate is not None and 0 <= rate <= ceil, name
    assert any(r.bytes_down > 0 for r in latest.values()), "the lab's ledger moves no counter"

    # the bandwidth read side (usage, shares --from-db) maps the stored classes to agencies
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session

    from netops.bandwidth.measured import measured_series

    with Session(sqlite_engine) as session:
        measured = measured_series(
            session,
            inv,
            ctx.plan(),
            datetime(2000, 1, 1, tzinfo=UTC),
            datetime.fromtimestamp(clock() + 1, UTC),
        )
    for a in agencies:
        m = measured[a.code]
        assert m.source == "queue dist1" and m.down and m.up, a.code
