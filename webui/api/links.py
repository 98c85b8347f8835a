"""``/api/v1/links``: planned links with utilization now and status; one link's history.
Engineers and admins only."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import abort
from flask_smorest import Blueprint

from netops.queries import Page
from netops.queries.links import LinkDetail, LinkRow, link_detail, link_list
from webui.access import allow
from webui.api.common import PageArgs
from webui.api.schemas import LinkDetailSchema, LinkPage
from webui.context import db, web_context

blp = Blueprint("api_links", __name__, url_prefix="/api/v1/links", description="Links")


class HistoryArgs(ma.Schema):
    hours = ma.fields.Integer(load_default=24, validate=ma.validate.Range(min=1, max=24 * 30))


@blp.route("")
@allow("admin", "engineer")
@blp.arguments(PageArgs, location="query", unknown=ma.RAISE)
@blp.response(200, LinkPage)
def list_links(args: dict[str, Any]) -> Page[LinkRow]:
    """Links by id (``dev:if--dev:if``); ``q`` matches a device, an interface or the medium."""
    return link_list(
        db(), web_context().inventory(), page=args["page"], per_page=args["per_page"], q=args["q"]
    )


@blp.route("/<path:link_id>")
@allow("admin", "engineer")
@blp.arguments(HistoryArgs, location="query", unknown=ma.RAISE)
@blp.response(200, LinkDetailSchema)
def get_link(args: dict[str, Any], link_id: str) -> LinkDetail:
    """Utilization of the last ``hours`` and the ends' reachability changes."""
    try:
        return link_detail(db(), web_context().inventory(), link_id, hours=args["hours"])
    except KeyError:
        abort(404)
