"""``GET /api/v1/alerts``: the active alerts (an agency user: its own agency's only)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint

from netops.queries.alerts import Alert
from webui.access import allow
from webui.api.schemas import AlertSchema
from webui.dashboard.data import current_dashboard

blp = Blueprint("api_alerts", __name__, url_prefix="/api/v1/alerts", description="Active alerts")


class AlertArgs(ma.Schema):
    kind = ma.fields.String(
        load_default=None,
        validate=ma.validate.OneOf(
            [
                "link-down",
                "link-hot",
                "agency-at-max",
                "device-unreachable",
                "config-changed",
                "plan-drift",
            ]
        ),
    )
    severity = ma.fields.String(
        load_default=None, validate=ma.validate.OneOf(["critical", "warning", "info"])
    )


@blp.route("")
@allow("admin", "engineer", "agency")
@blp.arguments(AlertArgs, location="query", unknown=ma.RAISE)
@blp.response(200, AlertSchema(many=True))
def get_alerts(args: dict[str, Any]) -> list[Alert]:
    """Critical first, then warnings, then information."""
    alerts = list(current_dashboard().alerts)
    if args["kind"]:
        alerts = [a for a in alerts if a.kind == args["kind"]]
    if args["severity"]:
        alerts = [a for a in alerts if a.severity == args["severity"]]
    return alerts
