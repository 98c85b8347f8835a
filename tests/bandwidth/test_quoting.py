"""Quoting and validation of user-supplied strings per platform, and renderers under attack."""

from __future__ import annotations

import ipaddress
import re

import pytest

from netops.bandwidth import cisco, linux_tc, mikrotik
from netops.bandwidth.entries import QueueEntry, ShaperTarget
from netops.bandwidth.quoting import (
    ios_name,
    ios_text,
    routeros_quote,
    routeros_unquote,
    safe_code,
    safe_interface,
    safe_subnet,
)
from netops.errors import UnsafeValue
from netops.inventory.schema import Platform

from .hostile import HOSTILE_CODES, HOSTILE_NAMES


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_routeros_quote_round_trips_and_leaves_nothing_active(name: str) -> None:
    q = routeros_quote(name)
    assert routeros_unquote(q) == name
    inner = q[1:-1]
    # no unescaped quote, no variable, no command substitution, nothing outside printable ASCII
    assert not re.search(r'(?<!\\)"', inner)
    assert not re.search(r"(?<!\\)\$", inner)
    assert all(" " <= ch <= "~" for ch in q)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_ios_text_keeps_only_safe_ascii(name: str) -> None:
    text = ios_text(name)
    assert re.fullmatch(r"[A-Za-z0-9 .,_&()'/:+@#-]*", text)
    assert "\n" not in text and "?" not in text


def test_ios_text_folds_accents_and_drops_the_rest() -> None:
    assert ios_text("Dinas Pendidikan & Kebudayaan") == "Dinas Pendidikan & Kebudayaan"
    assert ios_text("Kecamatan Sukasada \u2014 Bali") == "Kecamatan Sukasada Bali"
    assert ios_text("Caf\u00e9") == "Cafe"


@pytest.mark.parametrize("code", HOSTILE_CODES)
def test_unsafe_codes_are_refused_with_the_value_in_the_message(code: str) -> None:
    with pytest.raises(UnsafeValue, match=re.escape(repr(code))):
        safe_code(code)


def test_long_codes_get_distinct_short_ios_names() -> None:
    a = ios_name("dinas-pendidikan-dan-kebudayaan-kabupaten-a", "DOWN")
    b = ios_name("dinas-pendidikan-dan-kebudayaan-kabupaten-b", "DOWN")
    assert a != b and len(a) <= 40 and len(b) <= 40
    assert cisco.key_of(ios_name("rsud", "UP")) == "a:rsud"


def test_interfaces_and_subnets_are_validated() -> None:
    assert safe_interface("GigabitEthernet1/0/2") == "GigabitEthernet1/0/2"
    with pytest.raises(UnsafeValue):
        safe_interface("eth0; reboot")
    assert str(safe_subnet(ipaddress.IPv4Network("10.0.0.0/8"))) == "10.0.0.0/8"
    for bad in ("10.0.0.1/8", "10.0.0.0/8 any", "x"):
        with pytest.raises(UnsafeValue):
            safe_subnet(bad)


def _target(platform: Platform, key: str, label: str) -> ShaperTarget:
    net = (ipaddress.IPv4Network("10.9.0.0/24"),)
    entries = (
        QueueEntry("root", "down", net, 10_000_000, 10_000_000),
        QueueEntry(key, "down", net, 1_000_000, 5_000_000, 3, "root", label),
    )
    if platform == Platform.CISCO_IOS:
        entries = (QueueEntry(key, "down", net, 1_000_000, 5_000_000, 0, None, label),)
    return ShaperTarget("dev", platform, "eth1", "eth0", entries)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_only_reach_quoted_comments_or_sanitised_descriptions(name: str) -> None:
    ros = mikrotik.render_full(_target(Platform.MIKROTIK_ROUTEROS, "a:ok", name))
    assert len(ros) == 2 and all(c.startswith("/queue simple add ") for c in ros)
    assert all("\n" not in c and "\r" not in c for c in ros)
    comment = re.search(r'comment=("(?:[^"\\]|\\.)*")$', ros[1])
    assert comment and routeros_unquote(comment.group(1)) == f"netops: {name}"

    ios = cisco.render_full(_target(Platform.CISCO_IOS, "a:ok", name), descriptions=True)
    assert all("\n" not in ln and "\r" not in ln and "?" not in ln for ln in ios)
    descr = [ln for ln in ios if ln.startswith(" description")]
    assert len(descr) == (1 if ios_text(name) else 0)
    assert all(re.fullmatch(r" description [A-Za-z0-9 .,_&()'/:+@#-]+", d) for d in descr)

    tc = linux_tc.render_full(_target(Platform.LINUX, "a:ok", name))
    assert all(re.fullmatch(r"tc [a-z]+ [a-z]+ dev eth1 [A-Za-z0-9 :./]+", c) for c in tc)


@pytest.mark.parametrize("code", HOSTILE_CODES)
def test_hostile_codes_are_refused_by_routeros_and_ios_and_never_reach_tc_commands(
    code: str,
) -> None:
    for platform, render in (
        (Platform.MIKROTIK_ROUTEROS, mikrotik.render_full),
        (Platform.CISCO_IOS, cisco.render_full),
    ):
        with pytest.raises(UnsafeValue):
            render(_target(platform, f"a:{code}", "x"))
    # tc names classes by number: the code is not refused there because it never appears
    tc = linux_tc.render_full(_target(Platform.LINUX, f"a:{code}", "x"))
    assert all(re.fullmatch(r"tc [a-z]+ [a-z]+ dev eth1 [A-Za-z0-9 :./]+", c) for c in tc)
    assert not any(code in c for c in tc if len(code) > 1)
