"""Link pages (server-rendered; the history chart is drawn by ``static/js/link.js``)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from netops.queries.links import link_detail, link_list
from webui.access import allow
from webui.context import db, web_context
from webui.dashboard.views import wall_clock
from webui.pages import int_arg, text_arg

bp = Blueprint("links", __name__, url_prefix="/links")
HOURS = (1, 24, 168)


@bp.get("/")
@allow("admin", "engineer")
def index() -> ResponseReturnValue:
    q = text_arg("q")
    page = link_list(
        db(), web_context().inventory(), page=int_arg("page", 1, 1, 100_000), per_page=50, q=q
    )
    return render_template("links/index.html", page=page, q=q or "")


@bp.get("/<path:link_id>")
@allow("admin", "engineer")
def detail(link_id: str) -> ResponseReturnValue:
    hours = int_arg("hours", 24, 1, 24 * 30)
    try:
        d = link_detail(db(), web_context().inventory(), link_id, hours=hours)
    except KeyError:
        abort(404)
    cap = d.row.capacity_mbps * 1e6
    chart = {
        "t": [wall_clock(p.at.timestamp()) for p in d.series],
        "ab": [round(p.a_to_b_bps / cap * 100, 2) for p in d.series],
        "ba": [round(p.b_to_a_bps / cap * 100, 2) for p in d.series],
        "labels": {
            "ab": f"{d.row.a_device} → {d.row.b_device}",
            "ba": f"{d.row.b_device} → {d.row.a_device}",
            "percent": _("Percent of capacity"),
        },
    }
    return render_template("links/detail.html", d=d, chart=chart, hours=hours, choices=HOURS)
