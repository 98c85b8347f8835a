"""Login, logout and the language switch.

Login is rate-limited per client address (``NETOPS_WEB_LOGIN_LIMIT``, default 10 per minute) and
audited (``login`` / ``login-failed`` in ``user_events``); the message for a wrong name and a
wrong password is the same.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from netops.auth import login as authenticate
from netops.auth.store import record, set_language
from webui.access import public, self_service
from webui.context import db
from webui.extensions import limiter
from webui.forms import EmptyForm, LanguageForm, LoginForm
from webui.users import WebUser

bp = Blueprint("auth", __name__)


def safe_next(target: str | None, default: str) -> str:
    """``target`` when it is a path on this site (no scheme, no host, not ``//``), else
    ``default``: a login link cannot send the user elsewhere."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target


def _login_limit() -> str:
    return str(current_app.config["LOGIN_LIMIT"])


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("home.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    status = 200
    if form.validate_on_submit():
        session_db = db()
        user = authenticate(
            session_db,
            form.username.data or "",
            form.password.data or "",
            remote_addr=request.remote_addr,
        )
        session_db.commit()
        if user is not None:
            session.clear()  # a fresh session id after login (no fixation)
            login_user(WebUser.of(user))
            return redirect(safe_next(form.next.data, url_for("home.index")))
        flash(_("Wrong user name or password."), "danger")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("login.html", form=form, language_form=LanguageForm()), status


@bp.post("/logout")
@self_service
def logout() -> ResponseReturnValue:
    form = EmptyForm()
    if form.validate_on_submit():
        session_db = db()
        record(session_db, current_user.username, "logout", remote_addr=request.remote_addr)
        session_db.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.post("/language")
@public
def language() -> ResponseReturnValue:
    """Switch the language: stored on the user when logged in, else in the session."""
    form = LanguageForm()
    if form.validate_on_submit():
        lang = str(form.lang.data)
        if current_user.is_authenticated:
            session_db = db()
            set_language(session_db, current_user.username, lang, actor=current_user.username)
            session_db.commit()
        session["lang"] = lang
    fallback = url_for("home.index") if current_user.is_authenticated else url_for("auth.login")
    return redirect(safe_next(form.next.data, fallback))
