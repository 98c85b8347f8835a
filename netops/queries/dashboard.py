"""The NOC dashboard: uplinks, agencies' promised/used bars, what is down, weak points, alerts.

:func:`dashboard` costs a constant number of SQL queries (about a dozen) whatever the number of
devices, interfaces, agencies or stored samples: recent telemetry is aggregated in SQL over the
last 15 minutes (:mod:`netops.queries.windows`), the uplinks' 24 hours come from the 5-minute
rollups, and the agency bars are one page of the list (busiest first).  Rates bit/s, capacities
Mbit/s.  An uplink's interface faces the provider: download is what comes *in*.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, select, tuple_
from sqlalchemy.orm import Session

from netops.bandwidth.boosts import active_boosts, active_quota
from netops.bandwidth.plan import BandwidthPlan, build_plan
from netops.inventory.schema import Inventory
from netops.queries import Page, paginate
from netops.queries.agency_rates import AgencyRate, agency_rates
from netops.queries.alerts import (
    SUSTAIN_S,
    Alert,
    agencies_at_max,
    changed_configs,
    down_links,
    drifted_shapers,
    hot_links,
    latest_config_versions,
    latest_drift,
    sort_alerts,
    unreachable_devices,
)
from netops.queries.topology_cache import WeakPoint, weak_points_of
from netops.queries.windows import WindowStats, interface_windows
from netops.storage.telemetry import (
    InterfaceRollup,
    InterfaceSample,
    device_status,
    latest_neighbors,
)

DAY_S = 86_400.0
ROLLUP_WIDTH_S = 300
FRESH_S = 600.0
"""A "now" rate older than this is shown as unknown."""


@dataclass(frozen=True)
class UplinkPoint:
    at_s: float
    down_bps: float
    up_bps: float


@dataclass(frozen=True)
class UplinkStatus:
    name: str
    provider: str
    device: str
    interface: str
    down_mbps: float
    up_mbps: float
    current_down_bps: float | None
    current_up_bps: float | None
    series: tuple[UplinkPoint, ...]
    """24 h, oldest first: 5-minute averages, then the raw samples newer than the rollups."""

    @property
    def utilization_down(self) -> float | None:
        if self.current_down_bps is None:
            return None
        return self.current_down_bps / (self.down_mbps * 1e6)

    @property
    def utilization_up(self) -> float | None:
        if self.current_up_bps is None:
            return None
        return self.current_up_bps / (self.up_mbps * 1e6)


@dataclass(frozen=True)
class AgencyBar:
    """Promised (guaranteed, maximum in force) and used (current) per direction, Mbit/s."""

    code: str
    name: str
    group: str
    guaranteed_down_mbps: float
    maximum_down_mbps: float
    guaranteed_up_mbps: float
    maximum_up_mbps: float
    current_down_mbps: float | None
    current_up_mbps: float | None
    boosted: bool
    source: str

    @property
    def used_fraction(self) -> float:
        """Current download against the maximum (0 when not measured)."""
        if not self.current_down_mbps or self.maximum_down_mbps <= 0:
            return 0.0
        return self.current_down_mbps / self.maximum_down_mbps


@dataclass(frozen=True)
class Dashboard:
    at: datetime
    uplinks: tuple[UplinkStatus, ...]
    agencies: Page[AgencyBar]
    devices_total: int
    devices_down: tuple[str, ...]
    links_total: int
    links_down: tuple[str, ...]
    weak_points: tuple[WeakPoint, ...]
    alerts: tuple[Alert, ...]


def _uplink_series(
    session: Session, pairs: Collection[tuple[str, str]], since_s: float, now_s: float
) -> dict[tuple[str, str], list[UplinkPoint]]:
    """5-minute rollup averages in ``[since_s, now_s)`` then raw samples after the last complete
    bucket, per (device, interface); in = download.  Two queries."""
    if not pairs:
        return {}
    r = InterfaceRollup
    rows: Sequence[Any] = session.execute(
        select(r.device, r.interface, r.start_s, r.in_avg_bps, r.out_avg_bps)
        .where(
            tuple_(r.device, r.interface).in_(list(pairs)),
            r.width_s == ROLLUP_WIDTH_S,
            r.start_s >= since_s,
            r.start_s < now_s,
        )
        .order_by(r.start_s)
    ).all()
    out: dict[tuple[str, str], list[UplinkPoint]] = {p: [] for p in pairs}
    last_bucket_end: dict[tuple[str, str], float] = {}
    for d, i, start, a, b in rows:
        out[(d, i)].append(UplinkPoint(float(start), float(a), float(b)))
        last_bucket_end[(d, i)] = float(start) + ROLLUP_WIDTH_S
    s = InterfaceSample
    raw_since = min(last_bucket_end.values(), default=since_s) if last_bucket_end else since_s
    raw: Sequence[Any] = session.execute(
        select(s.device, s.interface, s.at_s, s.in_bps, s.out_bps)
        .where(
            and_(
                tuple_(s.device, s.interface).in_(list(pairs)),
                s.at_s >= max(raw_since, since_s),
                s.at_s <= now_s,
                s.in_bps.is_not(None),
            )
        )
        .order_by(s.at_s)
    ).all()
    for d, i, at, a, b in raw:
        if at >= last_bucket_end.get((d, i), since_s):
            out[(d, i)].append(UplinkPoint(float(at), float(a or 0.0), float(b or 0.0)))
    return out


def _fresh(stats: WindowStats | None, now_s: float) -> bool:
    return stats is not None and stats.last_s >= now_s - FRESH_S


def uplink_statuses(
    session: Session,
    inventory: Inventory,
    now_s: float,
    stats: dict[tuple[str, str], WindowStats],
) -> list[UplinkStatus]:
    pairs = [(u.device, u.interface) for u in inventory.uplinks]
    series = _uplink_series(session, pairs, now_s - DAY_S, now_s)
    out = []
    for u in inventory.uplinks:
        key = (u.device, u.interface)
        s = stats.get(key)
        fresh = _fresh(s, now_s)
        out.append(
            UplinkStatus(
                u.name,
                u.provider,
                u.device,
                u.interface,
                u.down_mbps,
                u.up_mbps,
                s.latest_a_bps if fresh and s else None,
                s.latest_b_bps if fresh and s else None,
                tuple(series.get(key, [])),
            )
        )
    return out


def agency_bars(
    inventory: Inventory, plan: BandwidthPlan, rates: dict[str, AgencyRate], now: datetime
) -> list[AgencyBar]:
    """Every agency's bar, busiest first (current download against its maximum), then by code."""
    groups = {a.code: a.group for a in inventory.agencies}
    out = []
    for ag in inventory.agencies:
        q = active_quota(ag.quota, now)
        r = rates.get(ag.code)
        down = r.down.current_bps / 1e6 if r and r.down else None
        up = r.up.current_bps / 1e6 if r and r.up else None
        out.append(
            AgencyBar(
                ag.code,
                ag.name,
                groups.get(ag.code, ""),
                q.guaranteed_down_mbps,
                q.maximum_down_mbps,
                q.guaranteed_up_mbps,
                q.maximum_up_mbps,
                down,
                up,
                bool(active_boosts(ag.quota, now)),
                r.source if r else "",
            )
        )
    out.sort(key=lambda b: (-b.used_fraction, b.code))
    return out


@dataclass(frozen=True)
class Snapshot:
    """The whole network's dashboard state at ``at`` (every agency bar, every alert)."""

    at: datetime
    uplinks: tuple[UplinkStatus, ...]
    bars: tuple[AgencyBar, ...]
    devices_total: int
    devices_down: tuple[str, ...]
    links_total: int
    links_down: tuple[str, ...]
    weak_points: tuple[WeakPoint, ...]
    alerts: tuple[Alert, ...]


def snapshot(session: Session, inventory: Inventory, now: datetime | None = None) -> Snapshot:
    """Evaluate everything at ``now`` (default: the current time): about a dozen queries."""
    when = now or datetime.now(UTC)
    now_s = when.timestamp()
    plan = build_plan(inventory, when)
    stats = interface_windows(session, now_s, SUSTAIN_S)
    rates = agency_rates(session, inventory, plan, now_s, SUSTAIN_S, iface_stats=stats)
    status = {s.device: s for s in device_status(session)}
    neighbors = latest_neighbors(session)
    alerts: list[Alert] = []
    alerts += down_links(inventory, status, neighbors)
    alerts += hot_links(inventory, stats, now_s)
    alerts += agencies_at_max(inventory, rates, when)
    alerts += unreachable_devices(status.values())
    alerts += changed_configs(latest_config_versions(session, now_s - DAY_S), now_s)
    alerts += drifted_shapers(latest_drift(session))
    hosts = {d.hostname for d in inventory.devices}
    return Snapshot(
        when,
        tuple(uplink_statuses(session, inventory, now_s, stats)),
        tuple(agency_bars(inventory, plan, rates, when)),
        len(hosts),
        tuple(sorted(h for h, s in status.items() if h in hosts and not s.reachable)),
        len(inventory.links),
        tuple(sorted({a.subject for a in alerts if a.kind == "link-down"})),
        tuple(weak_points_of(inventory)),
        tuple(sort_alerts(alerts)),
    )


def view(
    snap: Snapshot, *, page: int = 1, per_page: int = 25, agency: str | None = None
) -> Dashboard:
    """One page of agency bars; ``agency`` restricts bars, alerts and weak points to that
    agency and hides the network's internals (down devices and links) - an agency user's view."""
    bars = list(snap.bars)
    alerts = list(snap.alerts)
    weak = list(snap.weak_points)
    devices_down, links_down = snap.devices_down, snap.links_down
    if agency is not None:
        bars = [b for b in bars if b.code == agency]
        alerts = [a for a in alerts if a.kind == "agency-at-max" and a.subject == agency]
        # the failure matters to them; who else it cuts off is other agencies' business
        weak = [replace(w, cut_off=(agency,)) for w in weak if agency in w.cut_off]
        devices_down = links_down = ()
    return Dashboard(
        snap.at,
        snap.uplinks,
        paginate(bars, page, per_page),
        snap.devices_total,
        devices_down,
        snap.links_total,
        links_down,
        tuple(weak[:10]),
        tuple(alerts),
    )


def dashboard(
    session: Session,
    inventory: Inventory,
    now: datetime | None = None,
    *,
    page: int = 1,
    per_page: int = 25,
    agency: str | None = None,
) -> Dashboard:
    """Everything the dashboard shows at ``now`` (default: the current time), evaluated now;
    see :func:`view` for ``page``, ``per_page`` and ``agency``."""
    return view(snapshot(session, inventory, now), page=page, per_page=per_page, agency=agency)


def data_version(session: Session) -> tuple[float, int, int]:
    """What changes when new telemetry is stored: the newest poll, drift check and config
    backup.  One query."""
    from sqlalchemy import func

    from netops.storage.bandwidth_tables import DriftReport
    from netops.storage.telemetry import ConfigBackup, DeviceStateRow

    row = session.execute(
        select(
            select(func.max(DeviceStateRow.last_poll_s)).scalar_subquery(),
            select(func.max(DriftReport.id)).scalar_subquery(),
            select(func.max(ConfigBackup.id)).scalar_subquery(),
        )
    ).one()
    return (float(row[0] or 0.0), int(row[1] or 0), int(row[2] or 0))


class SnapshotCache:
    """The last :class:`Snapshot` per inventory, reused while no poll, drift check or backup
    was stored since and it is younger than ``max_age_s`` (the data changes once per poll
    cycle; NOC screens refresh more often).  A hit costs one query (:func:`data_version`).
    Thread-safe; one per app."""

    def __init__(self, max_age_s: float = 60.0) -> None:
        self.max_age_s = max_age_s
        self._lock = threading.Lock()
        self._entry: tuple[int, tuple[float, int, int], Inventory, Snapshot] | None = None
        self._confirmed_mono = 0.0  # when the entry was last found current (monotonic s)

    @property
    def cached_version(self) -> tuple[float, int, int] | None:
        """The :func:`data_version` the cached snapshot was evaluated at (None: nothing cached)."""
        with self._lock:
            return None if self._entry is None else self._entry[1]

    def get(
        self,
        session: Session,
        inventory: Inventory,
        now: datetime | None = None,
        stale_s: float = 0.0,
    ) -> Snapshot:
        """The current snapshot, evaluated now when newer data was stored or it is too old.

        ``stale_s`` > 0 (a warmer keeps the cache current, :mod:`webui.dashboard.warm`): the
        cached snapshot of the same inventory is returned without any query while it was found
        current at most ``stale_s`` seconds ago, even if a poll stored newer data since; the
        warmer evaluates that off the request path.  Otherwise as without ``stale_s``.
        """
        when = now or datetime.now(UTC)
        if stale_s > 0:
            with self._lock:
                e, confirmed = self._entry, self._confirmed_mono
            if e is not None and e[2] is inventory and time.monotonic() - confirmed <= stale_s:
                return e[3]
        version = data_version(session)
        with self._lock:
            e = self._entry
            if (
                e is not None
                and e[2] is inventory
                and e[1] == version
                and 0 <= (when - e[3].at).total_seconds() <= self.max_age_s
            ):
                self._confirmed_mono = time.monotonic()
                return e[3]
        snap = snapshot(session, inventory, when)
        with self._lock:
            self._entry = (id(inventory), version, inventory, snap)
            self._confirmed_mono = time.monotonic()
        return snap
