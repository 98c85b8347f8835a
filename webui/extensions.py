"""Flask extensions, created unbound here and bound to each app with ``init_app`` in
:func:`webui.create_app` (so several apps, e.g. in tests, can live in one process)."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect


def _limit_key() -> str:
    # One bucket per app and client address: two apps in one process (tests) never share counts.
    return f"{id(current_app._get_current_object())}:{request.remote_addr or '-'}"  # type: ignore[attr-defined]


babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=_limit_key, storage_uri="memory://", default_limits=[])
