"""Dashboard views.  The page and its JSON share one read (:mod:`webui.dashboard.data`); the
JSON carries the uplink chart series and the page's sections rendered by the same Jinja
partials (escaped, translated), which the script swaps in place."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from netops.queries.alerts import Alert
from netops.queries.dashboard import Dashboard, UplinkStatus
from webui.access import allow
from webui.dashboard.data import current_dashboard

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
REFRESH_S = 30
MAX_LISTED = 20
"""Alerts and down devices/links listed on the page (the count is always whole)."""


def alert_text(a: Alert) -> str:
    """The alert in the user's language."""
    texts = {
        "link-down": _("Link %(subject)s is down", subject=a.subject),
        "link-hot": _(
            "Link %(subject)s above 80%% of its capacity for 15 minutes", subject=a.subject
        ),
        "agency-at-max": _("Agency %(subject)s at its maximum for 15 minutes", subject=a.subject),
        "device-unreachable": _("Device %(subject)s is unreachable", subject=a.subject),
        "config-changed": _("Configuration of %(subject)s changed", subject=a.subject),
        "plan-drift": _("Shaper %(subject)s differs from the bandwidth plan", subject=a.subject),
    }
    return texts.get(a.kind, a.message)


WITA = ZoneInfo("Asia/Makassar")


def chart_series(uplinks: tuple[UplinkStatus, ...]) -> list[dict[str, Any]]:
    """Per uplink: times (WITA wall clock) and utilization in percent of capacity, down and up."""
    out = []
    for u in uplinks:
        out.append(
            {
                "name": u.name,
                "t": [wall_clock(p.at_s) for p in u.series],
                "down": [round(p.down_bps / (u.down_mbps * 1e6) * 100, 2) for p in u.series],
                "up": [round(p.up_bps / (u.up_mbps * 1e6) * 100, 2) for p in u.series],
            }
        )
    return out


def wall_clock(ts: float) -> str:
    """Wall-clock time in WITA without offset: plotly draws it as given, like the page's dates."""
    from datetime import datetime

    return datetime.fromtimestamp(ts, WITA).strftime("%Y-%m-%d %H:%M:%S")


def _page_args() -> tuple[int, int]:
    try:
        page = max(1, min(int(request.args.get("page", 1)), 100_000))
    except ValueError:
        page = 1
    return page, 25


def _context(d: Dashboard) -> dict[str, Any]:
    return {
        "d": d,
        "alert_text": alert_text,
        "labels": {"down": _("download"), "up": _("upload"), "percent": _("Percent of capacity")},
        "refresh_s": REFRESH_S,
        "max_listed": MAX_LISTED,
    }


@bp.get("/")
@allow("admin", "engineer", "agency")
def index() -> ResponseReturnValue:
    d = current_dashboard(*_page_args())
    return render_template("dashboard/index.html", charts=chart_series(d.uplinks), **_context(d))


SECTIONS = ("alerts", "status", "uplinks", "agencies", "weak")


@bp.get("/data.json")
@allow("admin", "engineer", "agency")
def data() -> ResponseReturnValue:
    """What the page's script refreshes: the chart series and each section's HTML."""
    d = current_dashboard(*_page_args())
    ctx = _context(d)
    return jsonify(
        at=d.at.isoformat(),
        charts=chart_series(d.uplinks),
        sections={s: render_template(f"dashboard/_{s}.html", **ctx) for s in SECTIONS},
    )
