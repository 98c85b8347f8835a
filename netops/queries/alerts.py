"""Alert rules: pure functions over stored series and status, and the read that feeds them.

Rules (``Alert.kind``):

* ``link-down`` - a planned link one of whose end devices is unreachable, or that the latest
  neighbour poll of a polled end no longer reports (LLDP/MNDP/CDP, :mod:`topology.drift`);
* ``link-hot`` - a link above :data:`HOT_FRACTION` (80 %) of its capacity in one direction for
  the whole of the last :data:`SUSTAIN_S` (15 minutes);
* ``agency-at-max`` - an agency at :data:`AT_MAX_FRACTION` of its maximum (the boost in force
  included) in one direction for the last 15 minutes;
* ``device-unreachable`` - the device's last poll could not reach it;
* ``config-changed`` - a new configuration version stored in the last :data:`CONFIG_RECENT_S`;
* ``plan-drift`` - the latest drift check of a shaper found the device off the plan (or could not
  read it).

"For 15 minutes" (:func:`sustained`) means: samples span the window (the first at most one poll
interval after its start, the last at most one poll interval before now) and every sample is at
or above the threshold.  Rates bit/s, times epoch seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netops.bandwidth.boosts import active_quota
from netops.bandwidth.usage import AT_CAP_FRACTION
from netops.inventory.schema import Inventory
from netops.queries.agency_rates import AgencyRate, RateWindow
from netops.queries.windows import WindowStats
from netops.storage.bandwidth_tables import DriftReport
from netops.storage.telemetry import ConfigBackup, DeviceStatusRecord, NeighborRecord
from topology.drift import match_discovered
from topology.model import DiscoveredLink, link_id

SUSTAIN_S = 900.0
HOT_FRACTION = 0.8
AT_MAX_FRACTION = AT_CAP_FRACTION
POLL_TOLERANCE_S = 120.0
CONFIG_RECENT_S = 86_400.0
SEVERITY = {
    "link-down": "critical",
    "device-unreachable": "critical",
    "link-hot": "warning",
    "agency-at-max": "warning",
    "plan-drift": "warning",
    "config-changed": "info",
}


@dataclass(frozen=True)
class Alert:
    """One active alert: ``kind`` (see module doc), ``subject`` (link id, hostname, agency code),
    ``since`` (UTC, when known), ``message`` (English, for the API and logs; the UI writes its own
    text from ``kind`` and ``values``) and ``values`` (numbers, units in the names)."""

    kind: str
    subject: str
    message: str
    since: datetime | None = None
    values: Mapping[str, float] = field(default_factory=dict)

    @property
    def severity(self) -> str:
        return SEVERITY[self.kind]


def sustained(
    min_bps: float,
    first_s: float,
    last_s: float,
    threshold_bps: float,
    now_s: float,
    window_s: float = SUSTAIN_S,
    tolerance_s: float = POLL_TOLERANCE_S,
) -> bool:
    """True when every sample of the window was at or above ``threshold_bps`` and the samples
    cover the window (see module doc).  A threshold of 0 or less never fires."""
    if threshold_bps <= 0:
        return False
    covers = first_s <= now_s - window_s + tolerance_s and last_s >= now_s - tolerance_s
    return covers and min_bps >= threshold_bps


def hot_links(
    inventory: Inventory, stats: Mapping[tuple[str, str], WindowStats], now_s: float
) -> list[Alert]:
    """``link-hot`` for every link whose end ``a`` (else ``b``) carried more than 80 % of the
    link's capacity for 15 minutes in one direction."""
    out = []
    for link in inventory.links:
        a = (link.a.device, link.a.interface)
        b = (link.b.device, link.b.interface)
        s = stats.get(a) or stats.get(b)
        if s is None:
            continue
        cap_bps = link.capacity_mbps * 1e6
        worst = max(s.min_a_bps, s.min_b_bps)
        if sustained(worst, s.first_s, s.last_s, HOT_FRACTION * cap_bps, now_s):
            out.append(
                Alert(
                    "link-hot",
                    link_id(a, b),
                    f"link {link_id(a, b)} above {HOT_FRACTION:.0%} of "
                    f"{link.capacity_mbps:g} Mbps for {SUSTAIN_S / 60:.0f} min",
                    datetime.fromtimestamp(s.first_s, UTC),
                    {
                        "utilization": s.latest_max_bps / cap_bps,
                        "capacity_mbps": link.capacity_mbps,
                    },
                )
            )
    return out


def agencies_at_max(
    inventory: Inventory, rates: Mapping[str, AgencyRate], now: datetime
) -> list[Alert]:
    """``agency-at-max`` per agency and direction held at 95 % of the maximum in force."""
    now_s = now.timestamp()
    out = []
    for ag in inventory.agencies:
        r = rates.get(ag.code)
        if r is None:
            continue
        q = active_quota(ag.quota, now)
        for d, mx in (("down", q.maximum_down_mbps), ("up", q.maximum_up_mbps)):
            w: RateWindow | None = r.of(d)  # type: ignore[arg-type]
            if w is None:
                continue
            if sustained(w.min_bps, w.first_s, w.last_s, AT_MAX_FRACTION * mx * 1e6, now_s):
                out.append(
                    Alert(
                        "agency-at-max",
                        ag.code,
                        f"agency {ag.code} at its {d} maximum {mx:g} Mbps for "
                        f"{SUSTAIN_S / 60:.0f} min",
                        datetime.fromtimestamp(w.first_s, UTC),
                        {f"{d}_bps": w.current_bps, f"maximum_{d}_mbps": mx},
                    )
                )
    return out


def unreachable_devices(status: Iterable[DeviceStatusRecord]) -> list[Alert]:
    """``device-unreachable`` for every device whose last poll could not reach it."""
    return [
        Alert(
            "device-unreachable",
            s.device,
            f"device {s.device} unreachable: {s.last_error_kind or 'error'}: "
            f"{(s.last_error or '')[:200]}",
            s.last_ok_at or s.last_poll_at,
            {"consecutive_failures": float(s.consecutive_failures)},
        )
        for s in status
        if not s.reachable
    ]


def down_links(
    inventory: Inventory,
    status: Mapping[str, DeviceStatusRecord],
    neighbors: Sequence[NeighborRecord],
) -> list[Alert]:
    """``link-down``: an end device unreachable, or the link unseen by the latest neighbour poll
    of the devices that reported neighbours."""
    unseen: set[str] = set()
    if neighbors:
        discovered = [
            DiscoveredLink(n.device, n.local_interface, n.remote_system_name, n.remote_port)
            for n in neighbors
        ]
        polled = {n.device for n in neighbors}
        unseen = set(match_discovered(inventory, discovered, polled).unseen_links)
    out = []
    for link in inventory.links:
        a = (link.a.device, link.a.interface)
        b = (link.b.device, link.b.interface)
        lid = link_id(a, b)
        dead = [h for h in (a[0], b[0]) if h in status and not status[h].reachable]
        if dead:
            since = status[dead[0]].last_ok_at or status[dead[0]].last_poll_at
            out.append(Alert("link-down", lid, f"link {lid} down: {dead[0]} unreachable", since))
        elif lid in unseen:
            out.append(Alert("link-down", lid, f"link {lid} not seen by LLDP/MNDP/CDP"))
    return out


def changed_configs(versions: Iterable[tuple[str, int, float]], now_s: float) -> list[Alert]:
    """``config-changed`` for ``(device, version, taken_s)`` newer than a day (version > 1:
    the first backup is not a change)."""
    return [
        Alert(
            "config-changed",
            device,
            f"device {device} configuration changed (version {version})",
            datetime.fromtimestamp(taken_s, UTC),
            {"version": float(version)},
        )
        for device, version, taken_s in versions
        if version > 1 and taken_s >= now_s - CONFIG_RECENT_S
    ]


@dataclass(frozen=True)
class DriftRow:
    device: str
    checked_at: datetime
    in_sync: bool
    missing: int
    extra: int
    differing: int
    error: str | None


def drifted_shapers(latest: Iterable[DriftRow]) -> list[Alert]:
    """``plan-drift`` for every shaper whose latest drift check was off the plan or failed."""
    out = []
    for r in latest:
        if r.error:
            out.append(
                Alert(
                    "plan-drift",
                    r.device,
                    f"shaper {r.device}: drift check failed: {r.error}",
                    r.checked_at,
                )
            )
        elif not r.in_sync:
            out.append(
                Alert(
                    "plan-drift",
                    r.device,
                    f"shaper {r.device} off the plan: {r.missing} missing, {r.extra} extra, "
                    f"{r.differing} differing",
                    r.checked_at,
                    {
                        "missing": float(r.missing),
                        "extra": float(r.extra),
                        "differing": float(r.differing),
                    },
                )
            )
    return out


# ---- reads (one query each) --------------------------------------------------------------


def latest_config_versions(session: Session, since_s: float) -> list[tuple[str, int, float]]:
    """The newest configuration version of each device stored since ``since_s``."""
    c = ConfigBackup
    latest = (
        select(c.device, func.max(c.version).label("v"))
        .where(c.taken_s >= since_s)
        .group_by(c.device)
        .subquery()
    )
    rows = session.execute(
        select(c.device, c.version, c.taken_s).join(
            latest, (c.device == latest.c.device) & (c.version == latest.c.v)
        )
    ).all()
    return [(d, int(v), float(t)) for d, v, t in rows]


def latest_drift(session: Session) -> list[DriftRow]:
    """The newest drift report of every shaper device."""
    r = DriftReport
    rn = func.row_number().over(partition_by=r.device, order_by=r.id.desc()).label("rn")
    inner = select(r, rn).subquery()
    rows = session.execute(
        select(
            inner.c.device,
            inner.c.checked_at,
            inner.c.in_sync,
            inner.c.missing,
            inner.c.extra,
            inner.c.differing,
            inner.c.error,
        ).where(inner.c.rn == 1)
    ).all()
    out = []
    for d, at, ok, m, e, diff, err in rows:
        if isinstance(at, str):  # a subquery column loses the UTCDateTime type on SQLite
            at = datetime.fromisoformat(at)
        if at is not None and at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        out.append(DriftRow(d, at, bool(ok), int(m), int(e), int(diff), err))
    return out


def sort_alerts(alerts: Iterable[Alert]) -> list[Alert]:
    """Critical first, then warnings, then information; then by kind and subject."""
    order = {"critical": 0, "warning": 1, "info": 2}
    return sorted(alerts, key=lambda a: (order[a.severity], a.kind, a.subject))
