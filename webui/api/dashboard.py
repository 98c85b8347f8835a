"""``GET /api/v1/dashboard``: the dashboard's data (an agency user: its own agency only)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint

from netops.queries.dashboard import Dashboard
from webui.access import allow
from webui.api.schemas import DashboardSchema
from webui.dashboard.data import current_dashboard

blp = Blueprint(
    "api_dashboard", __name__, url_prefix="/api/v1/dashboard", description="Network at a glance"
)


class DashboardArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    per_page = ma.fields.Integer(load_default=25, validate=ma.validate.Range(min=1, max=200))


@blp.route("")
@allow("admin", "engineer", "agency")
@blp.arguments(DashboardArgs, location="query", unknown=ma.RAISE)
@blp.response(200, DashboardSchema)
def get_dashboard(args: dict[str, Any]) -> Dashboard:
    """Uplinks now and over 24 h, one page of agencies' promised/used bars (busiest first),
    what is down, the weakest points and the active alerts."""
    return current_dashboard(args["page"], args["per_page"])
