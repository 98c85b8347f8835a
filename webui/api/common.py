"""Schemas shared by the API modules: query arguments for pages, the page envelope, and the
current user's scope."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import abort

from netops.queries import MAX_PER_PAGE


class PageArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    per_page = ma.fields.Integer(
        load_default=50, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE)
    )
    q = ma.fields.String(load_default=None, validate=ma.validate.Length(max=100))


class PageMeta(ma.Schema):
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)
    pages = ma.fields.Integer(required=True)


def page_of(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A ``{"items": [...], "page": ..., "per_page": ..., "total": ..., "pages": ...}`` schema."""
    fields: dict[str, Any] = {
        "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
        **{k: ma.fields.Integer(required=True) for k in ("page", "per_page", "total", "pages")},
    }
    return ma.Schema.from_dict(fields, name=name)


def Mbps(**kw: Any) -> ma.fields.Float:  # noqa: N802 - reads like a field type
    return ma.fields.Float(allow_none=True, **kw)


def not_found(what: str) -> None:
    abort(404, description=what)
