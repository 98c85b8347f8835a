"""Error pages (HTML) and error bodies (JSON under ``/api/``) for 400-500."""

from __future__ import annotations

from flask import Flask, jsonify, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from webui.access import is_api_request


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Please log in"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Not allowed"),
        413: _("Too large"),
        429: _("Too many attempts: wait a minute and try again"),
        500: _("Something went wrong on our side"),
    }


def handle_http(exc: HTTPException) -> ResponseReturnValue:
    code = exc.code or 500
    title = _titles().get(code, exc.name)
    if isinstance(exc, CSRFError):
        title = _("The form expired or was sent from elsewhere: reload the page and try again")
    if is_api_request():
        body = {"error": exc.name, "status": code}
        data = getattr(exc, "data", None)  # flask-smorest/webargs: validation messages
        if isinstance(data, dict) and isinstance(data.get("messages"), dict):
            body["errors"] = data["messages"]
        return jsonify(body), code, _kept_headers(exc)
    return render_template("error.html", code=code, title=title), code, _kept_headers(exc)


def _kept_headers(exc: HTTPException) -> dict[str, str]:
    """The exception's own headers other than its content type (``Allow`` of a 405,
    ``Retry-After`` of a 429, ``WWW-Authenticate`` of a 401)."""
    return {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http)
