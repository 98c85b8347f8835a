"""Boosts: time-limited raises of an agency's maximum (e.g. Dinas Pendidikan during PPDB week).

Pure functions; the scheduler job that pushes and records boosts lives in ``netops.bandwidth.jobs``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from netops.inventory.schema import Boost, Quota


def _aware(at: datetime) -> datetime:
    # Boost times always carry a zone (schema rule); a naive "now" is taken as UTC.
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def active_boosts(quota: Quota, at: datetime) -> tuple[Boost, ...]:
    """The boosts of ``quota`` in force at ``at`` (start inclusive, end exclusive)."""
    when = _aware(at)
    return tuple(b for b in quota.boosts if b.start <= when < b.end)


def active_quota(agency_quota: Quota, at: datetime) -> Quota:
    """The quota in force at ``at``: each active boost raises the maximum (Mbit/s) to its value.

    Overlapping boosts take the highest maximum per direction.  A boost never lowers a maximum and
    never changes the guarantee.  Returns ``agency_quota`` itself when no boost is active.
    """
    boosts = active_boosts(agency_quota, at)
    if not boosts:
        return agency_quota
    down = agency_quota.maximum_down_mbps
    up = agency_quota.maximum_up_mbps
    for b in boosts:
        if b.maximum_down_mbps is not None:
            down = max(down, b.maximum_down_mbps)
        if b.maximum_up_mbps is not None:
            up = max(up, b.maximum_up_mbps)
    return agency_quota.model_copy(update={"maximum_down_mbps": down, "maximum_up_mbps": up})


def boost_window_key(agency_code: str, boost: Boost) -> str:
    """A stable identifier for one boost window, used to record applied/expired events once."""
    return f"{agency_code}@{boost.start.isoformat()}/{boost.end.isoformat()}"
