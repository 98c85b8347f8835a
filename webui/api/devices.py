"""``/api/v1/devices``: inventory with facts and poll status, one device's interfaces, polls and
configuration history, and side-by-side diffs of two stored (masked) versions.  Engineers and
admins only."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import abort
from flask_smorest import Blueprint

from netops.queries import Page
from netops.queries.devices import (
    ConfigComparison,
    DeviceDetail,
    DeviceRow,
    compare_configs,
    device_detail,
    device_list,
)
from webui.access import allow
from webui.api.common import PageArgs
from webui.api.schemas import ConfigDiffSchema, DeviceDetailSchema, DevicePage
from webui.context import db, web_context

blp = Blueprint("api_devices", __name__, url_prefix="/api/v1/devices", description="Devices")


class DeviceListArgs(PageArgs):
    state = ma.fields.String(
        load_default=None, validate=ma.validate.OneOf(["up", "down", "unknown"])
    )


@blp.route("")
@allow("admin", "engineer")
@blp.arguments(DeviceListArgs, location="query", unknown=ma.RAISE)
@blp.response(200, DevicePage)
def list_devices(args: dict[str, Any]) -> Page[DeviceRow]:
    """Devices by hostname; ``q`` searches hostname, platform, role, site and model."""
    return device_list(
        db(),
        web_context().inventory(),
        page=args["page"],
        per_page=args["per_page"],
        q=args["q"],
        state=args["state"],
    )


@blp.route("/<hostname>")
@allow("admin", "engineer")
@blp.response(200, DeviceDetailSchema)
def get_device(hostname: str) -> DeviceDetail:
    """One device: interfaces with rates and errors (last 15 minutes), polls, config versions."""
    try:
        return device_detail(db(), web_context().inventory(), hostname)
    except KeyError:
        abort(404)


@blp.route("/<hostname>/configs/<int:a>/diff/<int:b>")
@allow("admin", "engineer")
@blp.response(200, ConfigDiffSchema)
def diff_configs(hostname: str, a: int, b: int) -> ConfigComparison:
    """Version ``a`` against version ``b``, side by side (secrets masked as stored)."""
    try:
        web_context().inventory().device(hostname)
        return compare_configs(db(), hostname, a, b)
    except KeyError:
        abort(404)
