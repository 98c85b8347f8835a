"""Agency pages: list (search, sort, paginate, CSV), detail (quota, boosts, three numbers,
usage chart, percentile, volume, minutes at cap, path and weak points, suggestion), chart data
(JSON), usage CSV and the printable monthly report.

Agency users see only their own agency (:func:`webui.access.require_agency`): the list sends them
to their page, any other code answers 404.  All numbers come from :mod:`netops.queries.agencies`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from netops.errors import NetopsError
from netops.queries import agencies as q
from webui.access import allow, require_agency, visible_agencies
from webui.context import db, web_context
from webui.csvsafe import csv_response

bp = Blueprint("agencies", __name__, url_prefix="/agencies")

PER_PAGE = 25
SHARES_MAX_AGE_S = 30.0
"""Every agency's current demand and the HTB shares computed from it ("getting now", "at full
contention") are shared by all pages for this long: the poller measures once a minute."""
ALL_ROLES = ("admin", "engineer", "agency")


def _now() -> datetime:
    return datetime.now(UTC)


def _int_arg(name: str, default: int) -> int:
    try:
        return int(request.args.get(name, default))
    except ValueError:
        return default


def _list_args() -> dict[str, Any]:
    return {
        "search": request.args.get("q", ""),
        "sort": request.args.get("sort", "code"),
        "descending": request.args.get("desc") == "1",
    }


@bp.get("/")
@allow(*ALL_ROLES)
def index() -> ResponseReturnValue:
    if current_user.role == "agency":
        return redirect(url_for("agencies.detail", code=current_user.agency_code))
    args = _list_args()
    page = q.agency_list(
        db(), **args, page=_int_arg("page", 1), per_page=PER_PAGE, visible=visible_agencies()
    )
    return render_template("agencies/index.html", page=page, sorts=q.SORTS)


@bp.get("/export.csv")
@allow("admin", "engineer")
def export_csv() -> ResponseReturnValue:
    args = _list_args()
    rows: list[q.AgencyRow] = []
    n = 1
    while True:
        page = q.agency_list(db(), **args, page=n, per_page=200, visible=visible_agencies())
        rows.extend(page.rows)
        if n >= page.pages:
            break
        n += 1
    header = [
        "code",
        "name",
        "kind",
        "group",
        "guaranteed_down_mbps",
        "maximum_down_mbps",
        "guaranteed_up_mbps",
        "maximum_up_mbps",
        "priority",
        "boost_active",
    ]
    return csv_response(
        "agencies.csv",
        header,
        (
            [
                r.code,
                r.name,
                r.kind,
                r.group,
                r.guaranteed_down_mbps,
                r.maximum_down_mbps,
                r.guaranteed_up_mbps,
                r.maximum_up_mbps,
                r.priority,
                int(r.boosted),
            ]
            for r in rows
        ),
    )


def _record(code: str) -> q.AgencyRecord:
    require_agency(code)
    record = q.agency_record(db(), code, _now())
    if record is None:
        abort(404)
    return record


def _plan_or_error(now: datetime, shared: bool = True) -> tuple[Any, str | None]:
    """The bandwidth plan in force at ``now`` (``shared``: the one built in the last
    :data:`SHARES_MAX_AGE_S` seconds), or None and why it cannot be built."""
    ctx = web_context()
    try:
        if shared:
            return ctx.recent(
                "plan", SHARES_MAX_AGE_S, lambda: q.plan_at(ctx.inventory(), now)
            ), None
        return q.plan_at(ctx.inventory(), now), None
    except (NetopsError, OSError) as exc:
        return None, str(exc)


@bp.get("/<code>")
@allow(*ALL_ROLES)
def detail(code: str) -> ResponseReturnValue:
    record = _record(code)
    now = _now()
    plan, error = _plan_or_error(now)
    shares = summary = path = None
    if plan is not None:
        ctx = web_context()
        inventory = ctx.inventory()
        try:
            plan.agency(code)
        except KeyError:
            error = f"agency {code} is not in the inventory file {ctx.inventory_path.name}"
        else:
            session = db()

            def every_share() -> dict[str, Any]:
                demand = q.current_demand_mbps(session, inventory, plan, now)
                return q.all_shares(plan, demand)

            shares = ctx.recent("shares", SHARES_MAX_AGE_S, every_share)[code]
            summary = q.usage_summary(session, inventory, plan, code, q.month_start(now), now)
            try:
                path = q.agency_path(ctx.derived("topology", q.topology_view), code)
            except NetopsError as exc:
                error = str(exc)
    return render_template(
        "agencies/detail.html",
        agency=record,
        shares=shares,
        summary=summary,
        path=path,
        error=error,
        periods=list(q.PERIODS),
        period=_period(),
        now=now,
    )


def _period(default: str = "24h") -> str:
    period = request.args.get("period", default)
    return period if period in q.PERIODS else default


def _chart(code: str, period: str) -> q.ChartData:
    _record(code)
    now = _now()
    plan, error = _plan_or_error(now)
    if plan is None:
        abort(503, error)
    try:
        return q.chart_data(db(), web_context().inventory(), plan, code, period, now)
    except KeyError:
        abort(404)


@bp.get("/<code>/usage.json")
@allow(*ALL_ROLES)
def usage_json(code: str) -> ResponseReturnValue:
    """Chart data: ``{"down": {"t": [ISO 8601 in WITA...], "mbps": [...]}, "up": ..., quota
    lines}`` (times carry their +08:00 offset; the chart shows them as WITA clock times)."""
    data = _chart(code, _period())

    def block(points: list[tuple[float, float]]) -> dict[str, list[Any]]:
        return {
            "t": [datetime.fromtimestamp(t, UTC).astimezone(q.WITA).isoformat() for t, _ in points],
            "mbps": [round(v, 3) for _, v in points],
        }

    return jsonify(
        code=data.code,
        period=data.period,
        since=data.since.astimezone(q.WITA).isoformat(),
        until=data.until.astimezone(q.WITA).isoformat(),
        source=data.source,
        down=block(data.down),
        up=block(data.up),
        guaranteed_down_mbps=data.guaranteed_down_mbps,
        maximum_down_mbps=data.maximum_down_mbps,
        guaranteed_up_mbps=data.guaranteed_up_mbps,
        maximum_up_mbps=data.maximum_up_mbps,
    )


@bp.get("/<code>/usage.csv")
@allow(*ALL_ROLES)
def usage_csv(code: str) -> ResponseReturnValue:
    period = _period("30d")
    record = _record(code)
    data = _chart(code, period)
    up = dict(data.up)
    rows = [
        [
            record.code,
            record.name,
            datetime.fromtimestamp(t, UTC).isoformat(),
            round(v, 3),
            round(up[t], 3) if t in up else "",
        ]
        for t, v in data.down
    ]
    return csv_response(
        f"{record.code}-usage-{period}.csv",
        ["code", "name", "time_utc", "down_mbps", "up_mbps"],
        rows,
    )


def _report_data(code: str) -> dict[str, Any]:
    """What the monthly report shows (``?month=YYYY-MM``, default this month in WITA)."""
    record = _record(code)
    now = _now()
    default_month = now.astimezone(q.WITA).strftime("%Y-%m")
    month = request.args.get("month", default_month)
    try:
        since, until = q.month_bounds(month)
    except ValueError:
        abort(400)
    until = min(until, now)
    if until <= since:
        abort(404)
    plan, error = _plan_or_error(until, shared=until >= now)
    summary = days = None
    if plan is not None:
        inventory = web_context().inventory()
        try:
            plan.agency(code)
        except KeyError:
            error = f"agency {code} is not in the inventory file"
        else:
            session = db()
            summary = q.usage_summary(session, inventory, plan, code, since, until)
            series = q.agency_series(session, inventory, plan, code, since, until)
            days = q.daily_volumes(series, since, until)
    return {
        "agency": record,
        "month": month,
        "since": since,
        "until": until,
        "summary": summary,
        "days": days,
        "error": error,
        "now": now,
    }


@bp.get("/<code>/report")
@allow(*ALL_ROLES)
def report(code: str) -> ResponseReturnValue:
    """The printable monthly report (``?month=YYYY-MM``, default this month in WITA)."""
    return render_template("agencies/report.html", **_report_data(code))


@bp.get("/<code>/report.pdf")
@allow(*ALL_ROLES)
def report_pdf(code: str) -> ResponseReturnValue:
    """The monthly report as an A4 PDF download."""
    from flask import Response
    from flask_babel import gettext as _

    from webui import formatting as f
    from webui.agencies.pdf import PdfReport, render

    data = _report_data(code)
    a, summary = data["agency"], data["summary"]
    rows = []
    for d, label in (("down", _("Download")), ("up", _("Upload"))):
        x = summary.usage[d] if summary else None
        g = a.guaranteed_down_mbps if d == "down" else a.guaranteed_up_mbps
        m = a.maximum_down_mbps if d == "down" else a.maximum_up_mbps
        rows.append(
            [
                label,
                f.mbps(g),
                f.mbps(m),
                f.bps_as_mbps(x.p95_bps) if x else "–",
                f.gigabytes(x.volume_octets) if x else "–",
                f.number(x.minutes_at_cap, 0) if x else "–",
            ]
        )
    days = data["days"] or []
    pdf = render(
        PdfReport(
            title=f"{_('Bandwidth report')}: {a.name}",
            subtitle=f"{a.code} · {f.long_date(data['since'])} – {f.date_time(data['until'])}",
            headers=[
                "",
                _("Guaranteed"),
                _("Maximum"),
                _("95th percentile"),
                _("Volume"),
                _("Minutes at the maximum"),
            ],
            rows=rows,
            chart_title=f"{_('Volume per day')} (GB), {f.long_date(data['since'])} – "
            f"{f.long_date(data['until'])}",
            day_labels=[str(day.day) for day, _d, _u in days],
            down_gb=[down / 1e9 for _day, down, _u in days],
            up_gb=[up / 1e9 for _day, _d, up in days],
            legend=(_("Download"), _("Upload")),
            footer=_("Printed %(when)s by netops; times in WITA.", when=f.date_time(data["now"])),
        )
    )
    name = f"{a.code}-report-{data['month']}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
