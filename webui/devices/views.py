"""Device pages (server-rendered; read only)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from netops.queries.devices import compare_configs, config_text, device_detail, device_list
from webui.access import allow
from webui.context import db, web_context
from webui.pages import int_arg, text_arg

bp = Blueprint("devices", __name__, url_prefix="/devices")
STATES = ("up", "down", "unknown")


@bp.get("/")
@allow("admin", "engineer")
def index() -> ResponseReturnValue:
    q = text_arg("q")
    state = request.args.get("state")
    state = state if state in STATES else None
    page = device_list(
        db(),
        web_context().inventory(),
        page=int_arg("page", 1, 1, 100_000),
        per_page=50,
        q=q,
        state=state,
    )
    return render_template("devices/index.html", page=page, q=q or "", state=state or "")


@bp.get("/<hostname>")
@allow("admin", "engineer")
def detail(hostname: str) -> ResponseReturnValue:
    try:
        d = device_detail(db(), web_context().inventory(), hostname)
    except KeyError:
        abort(404)
    return render_template("devices/detail.html", d=d)


@bp.get("/<hostname>/configs/<int:version>")
@allow("admin", "engineer")
def config(hostname: str, version: int) -> ResponseReturnValue:
    try:
        web_context().inventory().device(hostname)
        text = config_text(db(), hostname, version)
    except KeyError:
        abort(404)
    return render_template("devices/config.html", hostname=hostname, version=version, text=text)


@bp.get("/<hostname>/compare")
@allow("admin", "engineer")
def compare(hostname: str) -> ResponseReturnValue:
    """The compare form's target: redirect to the diff of the two chosen versions."""
    a = int_arg("a", 0, 0, 10**9)
    b = int_arg("b", 0, 0, 10**9)
    if not a or not b:
        abort(404)
    return redirect(url_for("devices.diff", hostname=hostname, a=min(a, b), b=max(a, b)))


@bp.get("/<hostname>/configs/<int:a>/diff/<int:b>")
@allow("admin", "engineer")
def diff(hostname: str, a: int, b: int) -> ResponseReturnValue:
    full = request.args.get("context") == "all"
    try:
        web_context().inventory().device(hostname)
        cmp = compare_configs(db(), hostname, a, b, None if full else 3)
    except KeyError:
        abort(404)
    return render_template("devices/diff.html", cmp=cmp, full=full)
