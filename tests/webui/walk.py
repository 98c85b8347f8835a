"""The route walk's data: how to fill each URL variable of every registered rule.

:data:`OTHER_AGENCY_VALUES` maps a URL variable name to values that point at data of agencies
other than the walking agency user's (``rsud``): other agency codes, devices serving only other
agencies, and so on.  A rule with a variable missing here fails the walk, so a new route is
walked as soon as it is registered: add its variable names here.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from werkzeug.routing import Rule

WALKING_AGENCY = "rsud"
OTHER_AGENCIES = {
    "diskominfo": "Dinas Komunikasi dan Informatika",
    "kec-utara": "Kecamatan Utara",
}

# URL variable -> values to try (other agencies' things, or neutral values for assets).
OTHER_AGENCY_VALUES: dict[str, list[str]] = {
    "code": list(OTHER_AGENCIES),
    "agency": list(OTHER_AGENCIES),
    "agency_code": list(OTHER_AGENCIES),
    "hostname": ["core1", "ptp-utara"],
    "device": ["core1", "ptp-utara"],
    "interface": ["ether4", "ether1"],
    "link": ["1", "3"],
    "link_id": ["1", "3"],
    "uplink": ["isp-a"],
    "name": ["isp-a", "opd", "kecamatan"],
    "group": ["opd", "kecamatan"],
    "site": ["dc", "kec-utara"],
    "period": ["24h"],
    "month": ["2026-12"],
    "version": ["1"],
    "a": ["1"],
    "b": ["2"],
    "package": ["netops"],
    "filename": ["css/netops.css"],
}

# The walking user's own agency: its pages are walked too, and must not show other agencies.
OWN_AGENCY_VALUES: dict[str, list[str]] = {
    "code": [WALKING_AGENCY],
    "agency": [WALKING_AGENCY],
    "agency_code": [WALKING_AGENCY],
}

SKIP_METHODS = {"HEAD", "OPTIONS"}


def urls(rule: Rule, own: bool = False) -> Iterator[str]:
    """Every URL of ``rule`` with its variables filled from :data:`OTHER_AGENCY_VALUES` (with
    ``own``: agency variables from :data:`OWN_AGENCY_VALUES`); AssertionError naming the
    variable when one is unknown."""
    names = sorted(rule.arguments)
    missing = [n for n in names if n not in OTHER_AGENCY_VALUES]
    assert not missing, (
        f"route {rule.rule} ({rule.endpoint}) has URL variable(s) {missing} the route walk "
        "cannot fill: add them to OTHER_AGENCY_VALUES in tests/webui/walk.py"
    )
    table = {**OTHER_AGENCY_VALUES, **(OWN_AGENCY_VALUES if own else {})}
    for combo in itertools.product(*(table[n] for n in names)):
        values = dict(zip(names, combo, strict=True))
        yield rule.build(values, append_unknown=False)[1]


def methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - SKIP_METHODS)
