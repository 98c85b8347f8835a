"""Links: each planned link's utilization now and its status (paginated), and one link's
utilization and status history.  Utilization per direction is read at end ``a`` (``a -> b`` is
what leaves ``a``), at end ``b`` when ``a`` has no samples, against the link's capacity.  Status:
``down`` (an end device unreachable, or LLDP/MNDP/CDP no longer reports the link, see
:mod:`netops.queries.alerts`), ``up`` (both ends polled and reachable), ``unknown``.  Each
function costs a constant number of SQL queries.  Rates bit/s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from netops.inventory.schema import Inventory, Link
from netops.queries import Page, paginate
from netops.queries.alerts import down_links
from netops.queries.windows import WindowStats, interface_windows
from netops.storage.telemetry import (
    DevicePoll,
    InterfaceRollup,
    InterfaceSample,
    device_status,
    latest_neighbors,
)
from topology.model import link_id

RATE_WINDOW_S = 900.0


def link_key(link: Link) -> str:
    """The link's id as the topology names it: ``dev:if--dev:if`` (ends sorted)."""
    return link_id((link.a.device, link.a.interface), (link.b.device, link.b.interface))


@dataclass(frozen=True)
class LinkRow:
    id: str
    a_device: str
    a_interface: str
    b_device: str
    b_interface: str
    medium: str
    length_km: float
    capacity_mbps: float
    description: str | None
    a_to_b_bps: float | None
    b_to_a_bps: float | None
    status: str
    reason: str

    @property
    def utilization(self) -> float | None:
        vals = [v for v in (self.a_to_b_bps, self.b_to_a_bps) if v is not None]
        return max(vals) / (self.capacity_mbps * 1e6) if vals else None


def _directions(
    link: Link, stats: dict[tuple[str, str], WindowStats]
) -> tuple[float, float] | None:
    a = stats.get((link.a.device, link.a.interface))
    if a is not None:
        return a.latest_b_bps, a.latest_a_bps  # out of a, into a
    b = stats.get((link.b.device, link.b.interface))
    if b is not None:
        return b.latest_a_bps, b.latest_b_bps  # into b = a -> b
    return None


def _rows(
    session: Session, inventory: Inventory, links: Sequence[Link], now_s: float
) -> list[LinkRow]:
    status = {s.device: s for s in device_status(session)}
    downs = {a.subject: a.message for a in down_links(inventory, status, latest_neighbors(session))}
    pairs = {(x.a.device, x.a.interface) for x in links} | {
        (x.b.device, x.b.interface) for x in links
    }
    stats = interface_windows(session, now_s, RATE_WINDOW_S, pairs=pairs) if pairs else {}
    out = []
    for x in links:
        lid = link_key(x)
        rates = _directions(x, stats)
        if lid in downs:
            st, reason = "down", downs[lid]
        elif all(h in status and status[h].reachable for h in (x.a.device, x.b.device)):
            st, reason = "up", ""
        else:
            st, reason = "unknown", "an end device was never polled"
        out.append(
            LinkRow(
                lid,
                x.a.device,
                x.a.interface,
                x.b.device,
                x.b.interface,
                str(x.medium),
                x.length_km,
                x.capacity_mbps,
                x.description,
                rates[0] if rates else None,
                rates[1] if rates else None,
                st,
                reason,
            )
        )
    return out


def link_list(
    session: Session,
    inventory: Inventory,
    now: datetime | None = None,
    *,
    page: int = 1,
    per_page: int = 50,
    q: str | None = None,
) -> Page[LinkRow]:
    """Links sorted by id, filtered by ``q`` (a device or interface name, the medium); four
    queries."""
    when = now or datetime.now(UTC)
    links = sorted(inventory.links, key=link_key)
    if q:
        ql = q.lower()
        links = [x for x in links if ql in link_key(x).lower() or ql == str(x.medium)]
    pg = paginate(links, page, per_page)
    return Page(
        _rows(session, inventory, pg.items, when.timestamp()), pg.page, pg.per_page, pg.total
    )


@dataclass(frozen=True)
class LinkPoint:
    at: datetime
    a_to_b_bps: float
    b_to_a_bps: float


@dataclass(frozen=True)
class StatusChange:
    """An end device's poll outcome changing (reachable or not) at ``at``."""

    at: datetime
    device: str
    reachable: bool
    error: str | None


@dataclass(frozen=True)
class LinkDetail:
    row: LinkRow
    since: datetime
    series: tuple[LinkPoint, ...]
    status_history: tuple[StatusChange, ...]


def find_link(inventory: Inventory, lid: str) -> Link:
    for x in inventory.links:
        if link_key(x) == lid:
            return x
    raise KeyError(f"no link {lid!r}")


def link_detail(
    session: Session, inventory: Inventory, lid: str, now: datetime | None = None, hours: int = 24
) -> LinkDetail:
    """One link: its row, utilization over the last ``hours`` (5-minute rollups where raw samples
    are gone, raw samples after), and its ends' reachability changes.  KeyError for an unknown
    id.  Seven queries."""
    when = now or datetime.now(UTC)
    since = when - timedelta(hours=hours)
    link = find_link(inventory, lid)
    row = _rows(session, inventory, [link], when.timestamp())[0]
    ends = [(link.a.device, link.a.interface), (link.b.device, link.b.interface)]
    lo, hi = since.timestamp(), when.timestamp()
    r = InterfaceRollup
    width = 300 if hours <= 7 * 24 else 3600
    rolled: Sequence[Any] = session.execute(
        select(r.device, r.interface, r.start_s, r.in_avg_bps, r.out_avg_bps)
        .where(
            tuple_(r.device, r.interface).in_(ends),
            r.width_s == width,
            r.start_s >= lo,
            r.start_s < hi,
        )
        .order_by(r.start_s)
    ).all()
    s = InterfaceSample
    raw: Sequence[Any] = session.execute(
        select(s.device, s.interface, s.at_s, s.in_bps, s.out_bps)
        .where(
            tuple_(s.device, s.interface).in_(ends),
            s.at_s >= lo,
            s.at_s <= hi,
            s.in_bps.is_not(None),
        )
        .order_by(s.at_s)
    ).all()

    # prefer end a; fall back to b (its in is a -> b)
    def pick(rows: Sequence[Any]) -> list[tuple[float, float, float]]:
        mine = [(t, o, i) for d, n, t, i, o in rows if (d, n) == ends[0]]
        if mine:
            return mine
        return [(t, i, o) for d, n, t, i, o in rows if (d, n) == ends[1]]

    points = pick(rolled)
    last_rolled = points[-1][0] + width if points else lo
    points += [p for p in pick(raw) if p[0] >= last_rolled]
    p = DevicePoll
    polls: Sequence[Any] = session.execute(
        select(p.device, p.started_s, p.reachable, p.error)
        .where(p.device.in_({link.a.device, link.b.device}), p.started_s >= lo, p.started_s <= hi)
        .order_by(p.started_s)
    ).all()
    changes: list[StatusChange] = []
    last: dict[str, bool] = {}
    for d, t, ok, err in polls:
        if last.get(d) != ok:
            changes.append(StatusChange(datetime.fromtimestamp(t, UTC), d, bool(ok), err))
            last[d] = ok
    return LinkDetail(
        row,
        since,
        tuple(
            LinkPoint(datetime.fromtimestamp(t, UTC), float(ab or 0.0), float(ba or 0.0))
            for t, ab, ba in points
        ),
        tuple(changes),
    )
