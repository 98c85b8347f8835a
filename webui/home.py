"""``/``: each role's landing page (an agency user lands on its own agency)."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from webui.access import allow

bp = Blueprint("home", __name__)

# The first of these that exists is the landing page of admins and engineers.
LANDING = ("dashboard.index", "agencies.index")


@bp.get("/")
@allow("admin", "engineer", "agency")
def index() -> ResponseReturnValue:
    if current_user.role == "agency":
        return redirect(url_for("agencies.detail", code=current_user.agency_code))
    for endpoint in LANDING:
        if endpoint in current_app.view_functions:
            return redirect(url_for(endpoint))
    return redirect(url_for("auth.login"))
