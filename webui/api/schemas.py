"""Marshmallow schemas of the read models (:mod:`netops.queries`), dumped from their
dataclasses.  Rates bit/s (``_bps``) or Mbit/s (``_mbps``), times ISO 8601 UTC, ``*_s`` epoch
seconds; a rate that was not measured is null."""

from __future__ import annotations

import marshmallow as ma

from webui.api.common import page_of

F = ma.fields


class AlertSchema(ma.Schema):
    kind = F.String(
        required=True,
        metadata={
            "enum": [
                "link-down",
                "link-hot",
                "agency-at-max",
                "device-unreachable",
                "config-changed",
                "plan-drift",
            ]
        },
    )
    severity = F.String(required=True, metadata={"enum": ["critical", "warning", "info"]})
    subject = F.String(required=True, metadata={"description": "link id, hostname or agency"})
    message = F.String(required=True)
    since = F.DateTime(allow_none=True)
    values = F.Dict(keys=F.String(), values=F.Float(), required=True)


class UplinkPointSchema(ma.Schema):
    at_s = F.Float(required=True)
    down_bps = F.Float(required=True)
    up_bps = F.Float(required=True)


class UplinkSchema(ma.Schema):
    name = F.String(required=True)
    provider = F.String(required=True)
    device = F.String(required=True)
    interface = F.String(required=True)
    down_mbps = F.Float(required=True)
    up_mbps = F.Float(required=True)
    current_down_bps = F.Float(allow_none=True, required=True)
    current_up_bps = F.Float(allow_none=True, required=True)
    utilization_down = F.Float(allow_none=True, required=True)
    utilization_up = F.Float(allow_none=True, required=True)
    series = F.List(F.Nested(UplinkPointSchema), required=True)


class AgencyBarSchema(ma.Schema):
    code = F.String(required=True)
    name = F.String(required=True)
    group = F.String(required=True)
    guaranteed_down_mbps = F.Float(required=True)
    maximum_down_mbps = F.Float(required=True)
    guaranteed_up_mbps = F.Float(required=True)
    maximum_up_mbps = F.Float(required=True)
    current_down_mbps = F.Float(allow_none=True, required=True)
    current_up_mbps = F.Float(allow_none=True, required=True)
    used_fraction = F.Float(required=True)
    boosted = F.Boolean(required=True)
    source = F.String(required=True)


class WeakPointSchema(ma.Schema):
    kind = F.String(required=True, metadata={"enum": ["link", "device"]})
    name = F.String(required=True)
    agencies = F.Integer(required=True)
    guaranteed_down_mbps = F.Float(required=True)
    guaranteed_up_mbps = F.Float(required=True)
    cut_off = F.List(F.String(), required=True)


AgencyBarPage = page_of(AgencyBarSchema, "AgencyBarPage")


class DashboardSchema(ma.Schema):
    at = F.DateTime(required=True)
    uplinks = F.List(F.Nested(UplinkSchema), required=True)
    agencies = F.Nested(AgencyBarPage, required=True)
    devices_total = F.Integer(required=True)
    devices_down = F.List(F.String(), required=True)
    links_total = F.Integer(required=True)
    links_down = F.List(F.String(), required=True)
    weak_points = F.List(F.Nested(WeakPointSchema), required=True)
    alerts = F.List(F.Nested(AlertSchema), required=True)


class FactsSchema(ma.Schema):
    vendor = F.String(required=True)
    model = F.String(required=True)
    os_version = F.String(required=True)
    serial_number = F.String(required=True)
    uptime_s = F.Float(required=True)
    at = F.DateTime(required=True)


class PollStatusSchema(ma.Schema):
    reachable = F.Boolean(required=True)
    last_poll_at = F.DateTime(required=True)
    last_ok_at = F.DateTime(allow_none=True, required=True)
    last_error_at = F.DateTime(allow_none=True, required=True)
    last_error_kind = F.String(allow_none=True, required=True)
    last_error = F.String(allow_none=True, required=True)
    consecutive_failures = F.Integer(required=True)


class DeviceRowSchema(ma.Schema):
    hostname = F.String(required=True)
    platform = F.String(required=True)
    role = F.String(required=True)
    site = F.String(required=True)
    model = F.String(allow_none=True, required=True)
    interfaces = F.Integer(required=True)
    state = F.String(required=True, metadata={"enum": ["up", "down", "unknown"]})
    facts = F.Nested(FactsSchema, allow_none=True, required=True)
    status = F.Nested(PollStatusSchema, allow_none=True, required=True)


DevicePage = page_of(DeviceRowSchema, "DevicePage")


class InterfaceSchema(ma.Schema):
    name = F.String(required=True)
    speed_mbps = F.Float(required=True)
    description = F.String(allow_none=True, required=True)
    agency = F.String(allow_none=True, required=True)
    in_bps = F.Float(allow_none=True, required=True)
    out_bps = F.Float(allow_none=True, required=True)
    utilization = F.Float(allow_none=True, required=True)
    errors_in = F.Integer(allow_none=True, required=True)
    errors_out = F.Integer(allow_none=True, required=True)
    last_sample_at = F.DateTime(allow_none=True, required=True)


class PollRecordSchema(ma.Schema):
    started_at = F.DateTime(required=True)
    what = F.String(required=True)
    duration_s = F.Float(required=True)
    ok = F.Boolean(required=True)
    reachable = F.Boolean(required=True)
    error_kind = F.String(allow_none=True, required=True)
    error = F.String(allow_none=True, required=True)


class ConfigMetaSchema(ma.Schema):
    version = F.Integer(required=True)
    taken_at = F.DateTime(required=True)
    sha256 = F.String(required=True)
    lines_changed = F.Integer(required=True)


class DeviceDetailSchema(ma.Schema):
    device = F.Nested(DeviceRowSchema, required=True, attribute="row")
    mgmt_address = F.String(required=True)
    interfaces = F.List(F.Nested(InterfaceSchema), required=True)
    polls = F.List(F.Nested(PollRecordSchema), required=True)
    configs = F.List(F.Nested(ConfigMetaSchema), required=True)


class DiffRowSchema(ma.Schema):
    op = F.String(
        required=True, metadata={"enum": ["equal", "replace", "delete", "insert", "skip"]}
    )
    left_no = F.Integer(allow_none=True, required=True)
    left = F.String(required=True)
    right_no = F.Integer(allow_none=True, required=True)
    right = F.String(required=True)


class ConfigDiffSchema(ma.Schema):
    device = F.String(required=True)
    old_version = F.Integer(required=True)
    new_version = F.Integer(required=True)
    old_taken_at = F.DateTime(required=True)
    new_taken_at = F.DateTime(required=True)
    rows = F.List(F.Nested(DiffRowSchema), required=True)
    unified = F.String(required=True)


class LinkRowSchema(ma.Schema):
    id = F.String(required=True)
    a_device = F.String(required=True)
    a_interface = F.String(required=True)
    b_device = F.String(required=True)
    b_interface = F.String(required=True)
    medium = F.String(required=True)
    length_km = F.Float(required=True)
    capacity_mbps = F.Float(required=True)
    description = F.String(allow_none=True, required=True)
    a_to_b_bps = F.Float(allow_none=True, required=True)
    b_to_a_bps = F.Float(allow_none=True, required=True)
    utilization = F.Float(allow_none=True, required=True)
    status = F.String(required=True, metadata={"enum": ["up", "down", "unknown"]})
    reason = F.String(required=True)


LinkPage = page_of(LinkRowSchema, "LinkPage")


class LinkPointSchema(ma.Schema):
    at = F.DateTime(required=True)
    a_to_b_bps = F.Float(required=True)
    b_to_a_bps = F.Float(required=True)


class StatusChangeSchema(ma.Schema):
    at = F.DateTime(required=True)
    device = F.String(required=True)
    reachable = F.Boolean(required=True)
    error = F.String(allow_none=True, required=True)


class LinkDetailSchema(ma.Schema):
    link = F.Nested(LinkRowSchema, required=True, attribute="row")
    since = F.DateTime(required=True)
    series = F.List(F.Nested(LinkPointSchema), required=True)
    status_history = F.List(F.Nested(StatusChangeSchema), required=True)
