"""Helpers shared by the dashboard, devices and links pages: page arguments and
``may_open(endpoint)`` for templates (a link is drawn only to a view the user's role may open)."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request

from webui.access import current_role, policy_of

MAX_PAGE = 100_000


def int_arg(name: str, default: int, lo: int, hi: int) -> int:
    """A query argument as an int within ``[lo, hi]``; ``default`` when absent or not a number."""
    try:
        value = int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default
    return max(lo, min(value, hi))


def text_arg(name: str, max_len: int = 100) -> str | None:
    value = (request.args.get(name) or "").strip()
    return value[:max_len] or None


def may_open(endpoint: str) -> bool:
    view = current_app.view_functions.get(endpoint)
    policy = policy_of(view) if view is not None else None
    role = current_role()
    return policy is not None and role is not None and policy.permits(role, "GET")


def register(app: Flask) -> None:
    @app.context_processor
    def _helpers() -> dict[str, Any]:
        return {"may_open": may_open}
