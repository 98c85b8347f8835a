"""Languages: Bahasa Indonesia (default) and English, chosen per user.

A logged-in user's stored preference wins; before login the choice made on the login page (kept
in the session); else Indonesian.  Catalogs: ``webui/translations/<lang>/LC_MESSAGES/messages.po``
(source strings in English), compiled to ``.mo`` (``pybabel compile -d webui/translations``;
``tests/webui/test_i18n.py`` fails when a ``.mo`` is stale).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, session
from flask_login import current_user

from netops.auth.models import LANGUAGES
from webui.extensions import babel
from webui.formatting import TIMEZONE

DEFAULT_LANGUAGE = "id"
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def select_locale() -> str:
    if current_user and current_user.is_authenticated:
        lang = getattr(current_user, "language", None)
        if lang in LANGUAGES:
            return str(lang)
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def select_timezone() -> str:
    return TIMEZONE


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", TIMEZONE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
