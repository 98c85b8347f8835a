"""The netops web UI: a Flask app built by :func:`create_app`, one Blueprint per feature.

``create_app()`` reads :mod:`netops.settings` (``NETOPS_*``); ``config`` overrides Flask keys and
these netops keys: ``SETTINGS`` (a :class:`netops.settings.Settings`), ``DATABASE_URL``,
``INVENTORY`` (path of ``inventory.yaml``), ``UPGRADE_DB`` (default True: migrate on start).  The
app refuses to start without a secret key (``NETOPS_SECRET_KEY`` or ``SECRET_KEY`` in
``config``).  Nothing happens at import time.

Run it with ``netops web`` (development) or ``gunicorn 'webui:create_app()'`` (docs/webui.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask

from netops.errors import NetopsError

# Every feature's blueprint, as "module:attribute"; registered in this order.
BLUEPRINTS: list[str] = [
    "webui.assets:bp",
    "webui.auth_views:bp",
    "webui.home:bp",
    "webui.agencies:bp",
    "webui.dashboard:bp",
    "webui.devices:bp",
    "webui.links:bp",
    "webui.metrics:bp",
]

MIN_SECRET_KEY_LEN = 16


class ConfigError(NetopsError):
    """The web UI cannot start with this configuration (e.g. no secret key)."""


def _settings(config: Mapping[str, Any]) -> Any:
    from netops.settings import Settings, get_settings

    given = config.get("SETTINGS")
    if given is not None:
        if not isinstance(given, Settings):
            raise ConfigError("config SETTINGS must be a netops.settings.Settings")
        return given
    return get_settings()


def _secret_key(config: Mapping[str, Any], settings: Any) -> str:
    key = config.get("SECRET_KEY")
    if not key and settings.secret_key is not None:
        key = settings.secret_key.get_secret_value()
    if not key:
        raise ConfigError(
            "no secret key: set NETOPS_SECRET_KEY (e.g. to the output of "
            "`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
        )
    if len(str(key)) < MIN_SECRET_KEY_LEN:
        raise ConfigError(f"secret key too short: at least {MIN_SECRET_KEY_LEN} characters")
    return str(key)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the web UI app.  Raises :class:`ConfigError` without a usable secret key."""
    from netops.storage.db import make_engine, session_factory, upgrade
    from webui import access, formatting, i18n, security, users
    from webui.context import WebContext, close_db
    from webui.extensions import csrf, limiter, login_manager

    config = dict(config or {})
    settings = _settings(config)
    app = Flask(__name__, static_folder=None)
    app.config.update(
        SECRET_KEY=_secret_key(config, settings),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.web_cookie_secure,
        SESSION_COOKIE_NAME="netops_session",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.web_cookie_secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        WTF_CSRF_CHECK_DEFAULT=False,  # security.check_csrf decides (bearer API calls exempt)
        WTF_CSRF_TIME_LIMIT=None,  # valid as long as the session
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_HEADERS_ENABLED=True,
        LOGIN_LIMIT=settings.web_login_limit,
        MAX_CONTENT_LENGTH=1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    app.config.update({k: v for k, v in config.items() if k not in ("SETTINGS", "SECRET_KEY")})

    url = config.get("DATABASE_URL") or settings.resolved_database_url()
    engine = make_engine(url)
    if config.get("UPGRADE_DB", True):
        upgrade(engine)
    app.extensions["netops"] = WebContext(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        inventory_path=Path(config.get("INVENTORY") or settings.inventory).resolve(),
    )

    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    login_manager.user_loader(users.load_session_user)
    login_manager.request_loader(users.load_token_user)
    i18n.init_app(app)
    formatting.register(app)

    app.before_request(access.enforce)
    app.before_request(security.check_csrf)
    app.after_request(security.add_headers)
    app.teardown_appcontext(close_db)

    for target in BLUEPRINTS:
        module_name, attr = target.split(":")
        blueprint = getattr(importlib.import_module(module_name), attr)
        if not isinstance(blueprint, Blueprint):
            raise TypeError(f"{target} is not a Blueprint")
        app.register_blueprint(blueprint)

    from webui import api, errors, nav, pages

    api.init_app(app)  # /api/v1 blueprints and the OpenAPI document (flask-smorest)
    errors.register(app)
    nav.register(app)
    pages.register(app)
    warm_s = float(
        config.get("DASHBOARD_WARM_S", 0 if app.testing else settings.web_dashboard_warm_s)
    )
    if warm_s > 0:
        from webui.dashboard.warm import start_warmer

        app.extensions["netops_dashboard_warmer"] = start_warmer(app, warm_s)
        # page views take the warmer's snapshot while it is at most three intervals old
        app.extensions["netops_dashboard_stale_s"] = 3 * warm_s
    return app
