"""``/metrics``: Prometheus text for Grafana and the regency command center.

Exposes, from the dashboard's snapshot (:mod:`netops.queries.dashboard`, cached per poll cycle):
uplink rates and utilization per direction, each agency's current rate against its guarantee
and maximum, devices up/down, each device's last poll status, links down and alert counts.
Rates are bit/s (``_bps``), following Prometheus' base units.  Admins and engineers only:
a session or ``Authorization: Bearer <token>`` (scrape config ``authorization:
{credentials_file: ...}``).
"""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, Response
from flask.typing import ResponseReturnValue
from prometheus_client import CollectorRegistry, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from netops.queries.dashboard import Snapshot
from netops.storage.telemetry import device_status
from webui.access import allow
from webui.context import db, web_context
from webui.dashboard.data import current_snapshot

bp = Blueprint("metrics", __name__)


def render(snap: Snapshot, polls: dict[str, tuple[bool, float, int]]) -> bytes:
    """The exposition text of one snapshot; ``polls``: hostname -> (reachable, last poll epoch
    seconds, failures in a row) of the polled devices."""
    reg = CollectorRegistry(auto_describe=True)
    up_rate = Gauge(
        "netops_uplink_rate_bps", "Uplink rate now", ["uplink", "direction"], registry=reg
    )
    up_cap = Gauge(
        "netops_uplink_capacity_bps",
        "Uplink capacity bought",
        ["uplink", "direction"],
        registry=reg,
    )
    up_util = Gauge(
        "netops_uplink_utilization_ratio",
        "Uplink rate / capacity",
        ["uplink", "direction"],
        registry=reg,
    )
    for u in snap.uplinks:
        for d, rate, cap in (
            ("down", u.current_down_bps, u.down_mbps),
            ("up", u.current_up_bps, u.up_mbps),
        ):
            up_cap.labels(u.name, d).set(cap * 1e6)
            if rate is not None:
                up_rate.labels(u.name, d).set(rate)
                up_util.labels(u.name, d).set(rate / (cap * 1e6))
    a_rate = Gauge(
        "netops_agency_rate_bps", "Agency rate now", ["agency", "direction"], registry=reg
    )
    a_g = Gauge(
        "netops_agency_guaranteed_bps",
        "Agency guarantee in force",
        ["agency", "direction"],
        registry=reg,
    )
    a_max = Gauge(
        "netops_agency_maximum_bps",
        "Agency maximum in force (boosts included)",
        ["agency", "direction"],
        registry=reg,
    )
    a_quota = Gauge(
        "netops_agency_quota_ratio",
        "Agency rate / maximum",
        ["agency", "direction"],
        registry=reg,
    )
    for b in snap.bars:
        for d, now, g, mx in (
            ("down", b.current_down_mbps, b.guaranteed_down_mbps, b.maximum_down_mbps),
            ("up", b.current_up_mbps, b.guaranteed_up_mbps, b.maximum_up_mbps),
        ):
            a_g.labels(b.code, d).set(g * 1e6)
            a_max.labels(b.code, d).set(mx * 1e6)
            if now is not None:
                a_rate.labels(b.code, d).set(now * 1e6)
                if mx > 0:
                    a_quota.labels(b.code, d).set(now / mx)
    Gauge("netops_devices", "Devices in the inventory", registry=reg).set(snap.devices_total)
    Gauge("netops_devices_down", "Devices whose last poll failed", registry=reg).set(
        len(snap.devices_down)
    )
    Gauge("netops_links", "Planned links", registry=reg).set(snap.links_total)
    Gauge("netops_links_down", "Links down", registry=reg).set(len(snap.links_down))
    d_up = Gauge("netops_device_up", "1 when the last poll reached the device", ["device"],
                 registry=reg)  # fmt: skip
    d_last = Gauge("netops_device_last_poll_timestamp_seconds", "Last poll", ["device"],
                   registry=reg)  # fmt: skip
    d_fail = Gauge("netops_device_consecutive_failures", "Failed polls in a row", ["device"],
                   registry=reg)  # fmt: skip
    for host, (reachable, last_s, failures) in sorted(polls.items()):
        d_up.labels(host).set(1 if reachable else 0)
        d_last.labels(host).set(last_s)
        d_fail.labels(host).set(failures)
    alerts = Gauge("netops_alerts", "Active alerts", ["kind", "severity"], registry=reg)
    counts = Counter((a.kind, a.severity) for a in snap.alerts)
    for (kind, severity), n in sorted(counts.items()):
        alerts.labels(kind, severity).set(n)
    return generate_latest(reg)


@bp.get("/metrics")
@allow("admin", "engineer")
def metrics() -> ResponseReturnValue:
    snap = current_snapshot()
    hosts = {d.hostname for d in web_context().inventory().devices}
    polls = {
        s.device: (s.reachable, s.last_poll_at.timestamp(), s.consecutive_failures)
        for s in device_status(db())
        if s.device in hosts
    }
    return Response(render(snap, polls), mimetype=CONTENT_TYPE_LATEST)
