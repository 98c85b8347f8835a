"""Agencies as the web UI shows them: the paginated list, one agency's record, its usage
summary (three numbers, percentile, volume, minutes at cap, suggestion), its chart series, its
path to the uplink with the weak points on it, and the monthly report.

SQL: :func:`agency_list` costs two queries whatever the number of rows (count + one page with
group, quota and the active-boost flag joined in); :func:`agency_record` two (the agency with
group and quota, then its boosts).  The numbers come from the core: :mod:`netops.bandwidth.plan`
(quota in force), :mod:`netops.bandwidth.shares` (promised / getting now / full contention),
:mod:`netops.bandwidth.measured` (measured rates, any shaper platform or the LAN port),
:mod:`netops.bandwidth.usage` (95th percentile, volume, minutes at cap, suggestion) and
:mod:`topology` (path, single points of failure).  Rates Mbit/s unless named ``_bps``; times
aware UTC; months are calendar months in WITA.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from netops.bandwidth.measured import AgencySeries, by_direction, measured_series
from netops.bandwidth.plan import DIRECTIONS, BandwidthPlan, Direction, build_plan
from netops.bandwidth.shares import fair_shares
from netops.bandwidth.usage import WITA, AgencyUsage, agency_usage, suggest_reallocation
from netops.inventory.schema import Inventory
from netops.storage.models import Agency, Boost, Group, Quota

SORTS = ("code", "name", "group", "guaranteed", "maximum", "priority")
PERIODS: dict[str, timedelta] = {
    "1h": timedelta(hours=1),
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
DEMAND_WINDOW = timedelta(minutes=15)
CHART_POINTS = 600


# --------------------------------------------------------------------------------------------
# List


@dataclass(frozen=True)
class AgencyRow:
    code: str
    name: str
    kind: str
    group: str
    guaranteed_down_mbps: float | None
    maximum_down_mbps: float | None
    guaranteed_up_mbps: float | None
    maximum_up_mbps: float | None
    priority: int | None
    boosted: bool


@dataclass(frozen=True)
class AgencyPage:
    rows: list[AgencyRow]
    total: int
    page: int
    per_page: int
    sort: str
    descending: bool
    search: str

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _filtered(stmt: Any, search: str, visible: frozenset[str] | None) -> Any:
    stmt = stmt.where(Agency.retired_at.is_(None))
    if visible is not None:
        stmt = stmt.where(Agency.code.in_(sorted(visible)))
    if search:
        like = "%" + search.lower().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
        like += "%"
        stmt = stmt.where(
            or_(
                func.lower(Agency.code).like(like, escape="\\"),
                func.lower(Agency.name).like(like, escape="\\"),
                func.lower(Agency.kind).like(like, escape="\\"),
                func.lower(Group.name).like(like, escape="\\"),
            )
        )
    return stmt


def agency_list(
    session: Session,
    *,
    search: str = "",
    sort: str = "code",
    descending: bool = False,
    page: int = 1,
    per_page: int = 25,
    visible: frozenset[str] | None = None,
    now: datetime | None = None,
) -> AgencyPage:
    """One page of current agencies matching ``search`` (code, name, kind or group, case
    insensitive), sorted by one of :data:`SORTS`; only codes in ``visible`` when given.
    Two queries."""
    when = now or datetime.now(UTC)
    sort = sort if sort in SORTS else "code"
    per_page = max(1, min(per_page, 200))
    search = search.strip()[:100]
    count_stmt = select(func.count(Agency.id)).join(Group, Agency.group_id == Group.id)
    total = int(session.scalar(_filtered(count_stmt, search, visible)) or 0)
    pages = max(1, -(-total // per_page))
    page = max(1, min(page, pages))
    boost = aliased(Boost)
    boosted = exists().where(
        and_(
            boost.quota_id == Quota.id,
            boost.retired_at.is_(None),
            boost.start_at <= when,
            boost.end_at > when,
        )
    )
    stmt: Any = (
        select(Agency, Group, Quota, boosted.label("boosted"))
        .join(Group, Agency.group_id == Group.id)
        .outerjoin(Quota, and_(Quota.agency_id == Agency.id, Quota.retired_at.is_(None)))
    )
    stmt = _filtered(stmt, search, visible)
    key: Any = {
        "code": Agency.code,
        "name": Agency.name,
        "group": Group.name,
        "guaranteed": Quota.guaranteed_down_mbps,
        "maximum": Quota.maximum_down_mbps,
        "priority": Quota.priority,
    }[sort]
    order = [key.desc() if descending else key.asc(), Agency.code.asc()]
    rows: list[Any] = list(
        session.execute(stmt.order_by(*order).offset((page - 1) * per_page).limit(per_page))
    )
    return AgencyPage(
        [
            AgencyRow(
                a.code,
                a.name,
                a.kind,
                g.name,
                q.guaranteed_down_mbps if q else None,
                q.maximum_down_mbps if q else None,
                q.guaranteed_up_mbps if q else None,
                q.maximum_up_mbps if q else None,
                q.priority if q else None,
                bool(b),
            )
            for a, g, q, b in rows
        ],
        total,
        page,
        per_page,
        sort,
        descending,
        search,
    )


# --------------------------------------------------------------------------------------------
# One agency


@dataclass(frozen=True)
class BoostInfo:
    start_at: datetime
    end_at: datetime
    maximum_down_mbps: float | None
    maximum_up_mbps: float | None
    reason: str | None
    state: Literal["active", "upcoming", "past"]


@dataclass(frozen=True)
class AgencyRecord:
    code: str
    name: str
    kind: str
    group: str
    group_description: str | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    subnets: list[str]
    guaranteed_down_mbps: float | None
    maximum_down_mbps: float | None
    guaranteed_up_mbps: float | None
    maximum_up_mbps: float | None
    priority: int | None
    boosts: list[BoostInfo]


def agency_record(session: Session, code: str, now: datetime | None = None) -> AgencyRecord | None:
    """The stored agency ``code`` with its group, quota and boosts; None when there is no current
    agency of that code.  Two queries."""
    when = now or datetime.now(UTC)
    row = session.execute(
        select(Agency, Group, Quota)
        .join(Group, Agency.group_id == Group.id)
        .outerjoin(Quota, and_(Quota.agency_id == Agency.id, Quota.retired_at.is_(None)))
        .where(Agency.code == code, Agency.retired_at.is_(None))
    ).first()
    if row is None:
        return None
    a, g, q = row
    boosts: list[BoostInfo] = []
    if q is not None:
        for b in session.scalars(
            select(Boost)
            .where(Boost.quota_id == q.id, Boost.retired_at.is_(None))
            .order_by(Boost.start_at)
        ):
            state: Literal["active", "upcoming", "past"] = (
                "active"
                if b.start_at <= when < b.end_at
                else "upcoming"
                if b.start_at > when
                else "past"
            )
            boosts.append(
                BoostInfo(
                    b.start_at, b.end_at, b.maximum_down_mbps, b.maximum_up_mbps, b.reason, state
                )
            )
    return AgencyRecord(
        a.code,
        a.name,
        a.kind,
        g.name,
        g.description,
        a.contact_name,
        a.contact_phone,
        a.contact_email,
        list(a.subnets or []),
        q.guaranteed_down_mbps if q else None,
        q.maximum_down_mbps if q else None,
        q.guaranteed_up_mbps if q else None,
        q.maximum_up_mbps if q else None,
        q.priority if q else None,
        boosts,
    )


# --------------------------------------------------------------------------------------------
# Usage


def only_agency(plan: BandwidthPlan, code: str) -> BandwidthPlan:
    """The plan with ``code`` as its only agency: measuring it reads only what can be that
    agency's (its subnets, its queue names, its LAN ports).  KeyError for an unknown code."""
    node = plan.agency(code)
    return dataclasses.replace(plan, agencies=(node,), _children={})


def agency_series(
    session: Session,
    inventory: Inventory,
    plan: BandwidthPlan,
    code: str,
    since: datetime,
    until: datetime,
) -> AgencySeries:
    """The measured rates of one agency in ``[since, until)`` (bit/s), as
    :func:`netops.bandwidth.measured.measured_series` attributes them."""
    return measured_series(
        session, inventory, only_agency(plan, code), since, until, own_queues_first=True
    )[code]


@dataclass(frozen=True)
class Share:
    """One direction's three numbers (Mbit/s)."""

    direction: Direction
    guaranteed_mbps: float
    maximum_mbps: float
    getting_now_mbps: float
    full_contention_mbps: float
    demand_mbps: float | None
    uplink_mbps: float
    oversubscribed: bool


def current_demand_mbps(
    session: Session, inventory: Inventory, plan: BandwidthPlan, now: datetime
) -> dict[Direction, dict[str, float]]:
    """Every agency's latest measured rate of the last 15 minutes (what ``netops bandwidth
    shares --from-db`` uses as demand)."""
    measured = measured_series(
        session, inventory, plan, now - DEMAND_WINDOW, now + timedelta(seconds=1)
    )
    series = by_direction(measured)
    return {d: {c: v[-1][1] / 1e6 for c, v in series[d].items() if v} for d in DIRECTIONS}


def all_shares(
    plan: BandwidthPlan, demand: dict[Direction, dict[str, float]]
) -> dict[str, dict[Direction, Share]]:
    """Every agency's promised / getting now / full contention (one HTB run per direction and
    case for the whole plan), by code."""
    out: dict[str, dict[Direction, Share]] = {}
    for d in DIRECTIONS:
        table = fair_shares(plan, d, demand[d])
        for row in table.rows:
            out.setdefault(row.code, {})[d] = Share(
                d,
                row.guaranteed_mbps,
                row.maximum_mbps,
                row.getting_now_mbps,
                row.full_contention_mbps,
                row.demand_mbps,
                table.uplink_mbps,
                table.oversubscribed,
            )
    return out


def shares_of(
    plan: BandwidthPlan, code: str, demand: dict[Direction, dict[str, float]]
) -> dict[Direction, Share]:
    """Promised, getting now (HTB model on the measured demands) and at full contention of one
    agency (KeyError for a code the plan lacks)."""
    return all_shares(plan, demand)[code]


def month_start(now: datetime) -> datetime:
    """Midnight of the first day of ``now``'s month in WITA, as UTC."""
    local = now.astimezone(WITA)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """``"2026-12"`` -> (1 Dec 2026 00:00 WITA, 1 Jan 2027 00:00 WITA) in UTC.  ValueError for a
    malformed month."""
    start = datetime.strptime(month, "%Y-%m").replace(tzinfo=WITA)
    nxt = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start.astimezone(UTC), nxt.astimezone(UTC)


@dataclass(frozen=True)
class Suggestion:
    direction: Direction
    guaranteed_mbps: float
    suggested_mbps: float
    maximum_mbps: float


@dataclass(frozen=True)
class UsageSummary:
    """An agency over a period (usually its month so far) in both directions."""

    code: str
    since: datetime
    until: datetime
    usage: dict[Direction, AgencyUsage]
    source: str
    suggestion: list[Suggestion]


def usage_summary(
    session: Session,
    inventory: Inventory,
    plan: BandwidthPlan,
    code: str,
    since: datetime,
    until: datetime,
) -> UsageSummary:
    """95th percentile, volume, minutes at the cap and status per direction over
    ``[since, until)``, and a suggested guarantee where the agency needs more (1.2 x its 95th
    percentile within its maximum and the uplink, :func:`netops.bandwidth.usage.
    suggest_reallocation`)."""
    node = plan.agency(code)
    series = agency_series(session, inventory, plan, code, since, until)
    usage = {
        d: agency_usage(
            code, d, node.guaranteed_mbps(d) * 1e6, node.maximum_mbps(d) * 1e6, series.of(d)
        )
        for d in DIRECTIONS
    }
    suggestion = []
    for d in DIRECTIONS:
        if usage[d].status != "needs-more":
            continue
        (r,) = suggest_reallocation([usage[d]], plan.root.maximum_mbps(d))
        if r.suggested_mbps > r.guaranteed_mbps:
            suggestion.append(
                Suggestion(d, r.guaranteed_mbps, r.suggested_mbps, node.maximum_mbps(d))
            )
    return UsageSummary(code, since, until, usage, series.source, suggestion)


def downsample(
    series: Sequence[tuple[float, float]],
    since_s: float,
    until_s: float,
    points: int = CHART_POINTS,
) -> list[tuple[float, float]]:
    """At most ``points`` (t_s, mean rate) pairs: the mean of each equal time bucket of
    ``[since_s, until_s)`` that holds samples (buckets without samples are left out, so a gap in
    measurement shows as a gap, not as zero).  Series with fewer points are returned as they are."""
    if len(series) <= points or until_s <= since_s:
        return [(float(t), float(v)) for t, v in series]
    width = (until_s - since_s) / points
    sums: dict[int, tuple[float, float, int]] = {}
    for t, v in series:
        i = min(int((t - since_s) // width), points - 1)
        st, sv, n = sums.get(i, (0.0, 0.0, 0))
        sums[i] = (st + t, sv + v, n + 1)
    return [(st / n, sv / n) for _, (st, sv, n) in sorted(sums.items())]


@dataclass(frozen=True)
class ChartData:
    code: str
    period: str
    since: datetime
    until: datetime
    down: list[tuple[float, float]]  # (t_s, Mbit/s)
    up: list[tuple[float, float]]
    guaranteed_down_mbps: float
    maximum_down_mbps: float
    guaranteed_up_mbps: float
    maximum_up_mbps: float
    source: str


def chart_data(
    session: Session,
    inventory: Inventory,
    plan: BandwidthPlan,
    code: str,
    period: str,
    now: datetime,
) -> ChartData:
    """The usage chart of one agency over ``period`` (one of :data:`PERIODS`; KeyError else):
    measured rates in Mbit/s, at most :data:`CHART_POINTS` per direction, with the quota lines."""
    since = now - PERIODS[period]
    series = agency_series(session, inventory, plan, code, since, now)
    node = plan.agency(code)
    lo, hi = since.timestamp(), now.timestamp()

    def mbps(d: Direction) -> list[tuple[float, float]]:
        return [(t, v / 1e6) for t, v in downsample(series.of(d), lo, hi)]

    return ChartData(
        code,
        period,
        since,
        now,
        mbps("down"),
        mbps("up"),
        node.guaranteed_down_mbps,
        node.maximum_down_mbps,
        node.guaranteed_up_mbps,
        node.maximum_up_mbps,
        series.source,
    )


def daily_volumes(
    series: AgencySeries, since: datetime, until: datetime
) -> list[tuple[datetime, float, float]]:
    """(day start in WITA, octets down, octets up) per calendar day (WITA) of ``[since, until)``,
    from the measured series (each sample's rate held until the next, as in
    :func:`netops.bandwidth.usage.volume_octets`)."""
    from netops.bandwidth.usage import volume_octets

    days: list[tuple[datetime, float, float]] = []
    day = since.astimezone(WITA).replace(hour=0, minute=0, second=0, microsecond=0)
    while day < until:
        nxt = day + timedelta(days=1)
        lo, hi = day.timestamp(), nxt.timestamp()
        vol = [volume_octets([(t, v) for t, v in series.of(d) if lo <= t < hi]) for d in DIRECTIONS]
        days.append((day, vol[0], vol[1]))
        day = nxt
    return days


def plan_at(inventory: Inventory, now: datetime) -> BandwidthPlan:
    return build_plan(inventory, now)


# --------------------------------------------------------------------------------------------
# Path and weak points


@dataclass(frozen=True)
class WeakPoint:
    """A single link or device whose failure cuts this agency off (with how many agencies and
    guaranteed Mbit/s in all)."""

    kind: str  # "link" or "device"
    name: str
    agencies_cut: int
    guaranteed_down_mbps: float


@dataclass(frozen=True)
class AgencyPathInfo:
    code: str
    reachable: bool
    devices: list[str]  # from the agency's device up to the uplink device
    hops: int
    length_km: float
    bottleneck_mbps: float | None
    bottleneck_link: str | None
    redundancy: int  # 0 (a single failure can cut it off), 1 or 2 (two or more paths)
    weak_points: list[WeakPoint]


@dataclass(frozen=True)
class TopologyView:
    """The topology analyses of one inventory version (computed once, shared by requests)."""

    paths: object  # topology.paths.PathsResult
    weak: object  # topology.weak.WeakPoints
    weak_by_agency: Mapping[str, tuple[WeakPoint, ...]]  # the weak points that cut each agency off


def topology_view(inventory: Inventory) -> TopologyView:
    """Paths and weak points of the planned topology (raises TopologyError without uplink)."""
    from topology.model import build_model
    from topology.network import compile_network
    from topology.paths import agency_paths
    from topology.weak import weak_points

    net = compile_network(build_model(inventory))
    weak = weak_points(net)
    by_agency: dict[str, list[WeakPoint]] = {}
    for i in (*weak.devices, *weak.links):
        point = WeakPoint(i.kind, i.name, i.agencies, i.guaranteed_down_mbps)
        for code in weak.agencies_cut(i):
            by_agency.setdefault(code, []).append(point)
    return TopologyView(
        agency_paths(net), weak, {code: tuple(ps) for code, ps in by_agency.items()}
    )


def agency_path(view: TopologyView, code: str) -> AgencyPathInfo | None:
    """The agency's route to the uplink and the single points of failure on it; None when the
    topology does not place the agency."""
    from topology.paths import PathsResult
    from topology.weak import WeakPoints

    paths, weak = view.paths, view.weak
    assert isinstance(paths, PathsResult) and isinstance(weak, WeakPoints)
    p = paths.paths.get(code)
    if p is None:
        return None
    points = list(view.weak_by_agency.get(code, ()))
    return AgencyPathInfo(
        code,
        p.reachable,
        paths.route(code),
        p.hops,
        p.length_km,
        p.bottleneck_mbps,
        p.bottleneck_link,
        weak.redundancy.get(code, 0),
        points,
    )
