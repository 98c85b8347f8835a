"""``/api/v1/agencies``: the agency list (search, sort, paginate) and one agency with its quota,
boosts and three numbers (promised / getting now / at full contention), through
:mod:`netops.queries.agencies`.  Agency users see only their own agency (404 for any other)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import marshmallow as ma
from flask import abort
from flask_smorest import Blueprint

from netops.errors import NetopsError
from netops.queries import MAX_PER_PAGE
from netops.queries import agencies as aq
from webui.access import allow, require_agency, visible_agencies
from webui.context import db, web_context

blp = Blueprint("api_agencies", __name__, url_prefix="/api/v1/agencies", description="Agencies")
F = ma.fields


class AgencyListArgs(ma.Schema):
    page = F.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    per_page = F.Integer(load_default=25, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE))
    q = F.String(load_default="", validate=ma.validate.Length(max=100))
    sort = F.String(load_default="code", validate=ma.validate.OneOf(aq.SORTS))
    desc = F.Boolean(load_default=False)


class AgencyRowSchema(ma.Schema):
    code = F.String(required=True)
    name = F.String(required=True)
    kind = F.String(required=True)
    group = F.String(required=True)
    guaranteed_down_mbps = F.Float(allow_none=True, required=True)
    maximum_down_mbps = F.Float(allow_none=True, required=True)
    guaranteed_up_mbps = F.Float(allow_none=True, required=True)
    maximum_up_mbps = F.Float(allow_none=True, required=True)
    priority = F.Integer(allow_none=True, required=True)
    boosted = F.Boolean(required=True)


class AgencyPageSchema(ma.Schema):
    items = F.List(F.Nested(AgencyRowSchema), required=True, attribute="rows")
    page = F.Integer(required=True)
    per_page = F.Integer(required=True)
    total = F.Integer(required=True)
    pages = F.Integer(required=True)


class BoostSchema(ma.Schema):
    start_at = F.DateTime(required=True)
    end_at = F.DateTime(required=True)
    maximum_down_mbps = F.Float(allow_none=True, required=True)
    maximum_up_mbps = F.Float(allow_none=True, required=True)
    reason = F.String(allow_none=True, required=True)
    state = F.String(required=True, metadata={"enum": ["active", "upcoming", "past"]})


class ShareSchema(ma.Schema):
    direction = F.String(required=True, metadata={"enum": ["down", "up"]})
    guaranteed_mbps = F.Float(required=True)
    maximum_mbps = F.Float(required=True)
    getting_now_mbps = F.Float(required=True)
    full_contention_mbps = F.Float(required=True)
    demand_mbps = F.Float(allow_none=True, required=True)
    uplink_mbps = F.Float(required=True)
    oversubscribed = F.Boolean(required=True)


class AgencySchema(ma.Schema):
    code = F.String(required=True)
    name = F.String(required=True)
    kind = F.String(required=True)
    group = F.String(required=True)
    group_description = F.String(allow_none=True, required=True)
    contact_name = F.String(allow_none=True, required=True)
    contact_phone = F.String(allow_none=True, required=True)
    contact_email = F.String(allow_none=True, required=True)
    subnets = F.List(F.String(), required=True)
    guaranteed_down_mbps = F.Float(allow_none=True, required=True)
    maximum_down_mbps = F.Float(allow_none=True, required=True)
    guaranteed_up_mbps = F.Float(allow_none=True, required=True)
    maximum_up_mbps = F.Float(allow_none=True, required=True)
    priority = F.Integer(allow_none=True, required=True)
    boosts = F.List(F.Nested(BoostSchema), required=True)
    shares = F.List(
        F.Nested(ShareSchema),
        required=True,
        metadata={
            "description": "promised / getting now / full contention per direction; "
            "empty when the inventory file has no plan for the agency"
        },
    )


@blp.route("")
@allow("admin", "engineer", "agency")
@blp.arguments(AgencyListArgs, location="query", unknown=ma.RAISE)
@blp.response(200, AgencyPageSchema)
def list_agencies(args: dict[str, Any]) -> aq.AgencyPage:
    """Current agencies matching ``q`` (code, name, kind or group), sorted by ``sort``."""
    return aq.agency_list(
        db(),
        search=args["q"],
        sort=args["sort"],
        descending=args["desc"],
        page=args["page"],
        per_page=args["per_page"],
        visible=visible_agencies(),
    )


@blp.route("/<code>")
@allow("admin", "engineer", "agency")
@blp.response(200, AgencySchema)
def get_agency(code: str) -> dict[str, Any]:
    """One agency: record, boosts and the three numbers in both directions."""
    require_agency(code)
    now = datetime.now(UTC)
    record = aq.agency_record(db(), code, now)
    if record is None:
        abort(404)
    shares: list[aq.Share] = []
    try:
        inventory = web_context().inventory()
        plan = aq.plan_at(inventory, now)
        plan.agency(code)
    except (NetopsError, OSError, KeyError):
        pass
    else:
        demand = aq.current_demand_mbps(db(), inventory, plan, now)
        shares = list(aq.shares_of(plan, code, demand).values())
    return {**record.__dict__, "shares": shares}
