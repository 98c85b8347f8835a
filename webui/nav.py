"""The navbar: only links to views that exist in this app and that the user's role may open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l

from webui.access import current_role, policy_of
from webui.assets import asset_url
from webui.i18n import LANGUAGE_NAMES, select_locale


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any  # a lazy translated string


# Menu order; an endpoint that no registered blueprint provides is simply not shown.
NAV: list[NavItem] = [
    NavItem("dashboard.index", _l("Dashboard")),
    NavItem("agencies.index", _l("Agencies")),
    NavItem("devices.index", _l("Devices")),
    NavItem("links.index", _l("Links")),
]


def nav_items() -> list[dict[str, Any]]:
    role = current_role()
    out = []
    for item in NAV:
        view = current_app.view_functions.get(item.endpoint)
        policy = policy_of(view) if view is not None else None
        if policy is None or role is None or not policy.permits(role, "GET"):
            continue
        active = (request.endpoint or "").split(".")[0] == item.endpoint.split(".")[0]
        out.append({"url": url_for(item.endpoint), "label": item.label, "active": active})
    return out


def register(app: Flask) -> None:
    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {
            "asset_url": asset_url,
            "nav_items": nav_items,
            "current_language": select_locale,
            "language_names": LANGUAGE_NAMES,
        }
