"""Security headers on every response, and CSRF on every form (Flask-WTF).

The Content-Security-Policy allows scripts from the app only (every script is a static file: no
inline script, no ``eval``).  Styles allow ``'unsafe-inline'`` because plotly.js injects its
stylesheet as a ``<style>`` element at run time; no user text reaches a style.
"""

from __future__ import annotations

from flask import Response, current_app, request
from flask_login import current_user

from webui.access import READ_METHODS, is_api_request
from webui.extensions import csrf

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        # served over HTTPS (the cookie says so): browsers keep to HTTPS for a year
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if current_user and current_user.is_authenticated:
        # pages of a logged-in user are private: no shared or back-button cache after logout
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def check_csrf() -> None:
    """``before_request``: every state-changing request carries the CSRF token, except API calls
    authenticated by a bearer token (a browser never adds that header across sites)."""
    if request.method in READ_METHODS:
        return
    if is_api_request() and bearer_token() is not None:
        return
    csrf.protect()
