"""Languages: Indonesian by default, English on request, per user; Indonesian number and date
formats; catalogs complete and compiled."""

from __future__ import annotations

import gettext
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import select

from netops.auth.models import User
from tests.helpers import ROOT
from tests.webui.conftest import csrf_token, login
from webui import formatting
from webui.i18n import TRANSLATIONS_DIR


def _po(lang: str) -> dict[str, object]:
    with (TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return {(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in read_po(fh) if m.id}


def _source_ids() -> set[str]:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}
    found = extract_from_dir(str(ROOT / "webui"), method_map, keywords=keywords)
    return {(m if isinstance(m, str) else m[0]) for _, _, m, _, _ in found}


def test_every_ui_string_has_an_indonesian_translation() -> None:
    catalog = _po("id")
    ids = _source_ids()
    assert ids, "no strings extracted"
    missing = sorted(i for i in ids if not catalog.get(i) or catalog[i] in ("", ("",)))
    assert missing == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_compiled_catalogs_match_their_po_files(lang: str) -> None:
    mo = TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.mo"
    with mo.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for msgid, msgstr in _po(lang).items():
        if isinstance(msgstr, str) and msgstr:
            assert compiled.gettext(msgid) == msgstr, f"{mo} is stale: pybabel compile"


def test_every_template_asset_and_catalog_is_in_the_package_data() -> None:
    """A wheel (not only ``pip install -e``) carries the web UI's templates, own static files
    and compiled catalogs: every non-Python file under webui/ matches a ``webui =`` pattern of
    setup.cfg's ``[options.package_data]`` (sub-folders without __init__.py are no packages)."""
    import configparser

    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    patterns = [p.strip() for p in cfg["options.package_data"]["webui"].split(",") if p.strip()]
    webui_dir = ROOT / "webui"
    covered = {p for pattern in patterns for p in webui_dir.glob(pattern)}
    data = {
        p
        for p in webui_dir.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }
    assert sorted(str(p.relative_to(webui_dir)) for p in data - covered) == []
    assert any(p.suffix == ".mo" for p in covered) and Path(TRANSLATIONS_DIR).is_dir()


def test_indonesian_formats(app: Flask) -> None:
    with app.test_request_context(), force_locale("id"):
        assert formatting.mbps(1234.5) == "1.234,5 Mbps"
        assert formatting.long_date(date(2026, 12, 4)) == "4 Desember 2026"
        # 05:03 UTC is 13:03 in Makassar
        when = datetime(2026, 12, 4, 5, 3, tzinfo=UTC)
        assert formatting.date_time(when) == "4 Desember 2026, 13.03 WITA"
        assert formatting.gigabytes(1.5e9) == "1,50 GB"


def test_english_formats(app: Flask) -> None:
    with app.test_request_context(), force_locale("en"):
        assert formatting.mbps(1234.5) == "1,234.5 Mbps"
        assert formatting.long_date(date(2026, 12, 4)) == "December 4, 2026"
        assert formatting.date_time(datetime(2026, 12, 4, 5, 3, tzinfo=UTC)).endswith("WITA")


def test_login_page_is_indonesian_by_default_and_english_on_request(client: FlaskClient) -> None:
    assert "Masuk" in client.get("/login").get_data(as_text=True)
    token = csrf_token(client)
    resp = client.post("/language", data={"lang": "en", "next": "/login", "csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert "Log in" in html and 'lang="en"' in html


def test_language_choice_is_stored_per_user(app: Flask, client: FlaskClient) -> None:
    login(client, "engineer")
    page = client.get("/agencies/").get_data(as_text=True)
    assert "Instansi" in page and "50,0 Mbps" in page
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client)})
    page = client.get("/agencies/").get_data(as_text=True)
    assert "Agencies" in page and "50.0 Mbps" in page
    with app.extensions["netops"].sessions() as s:
        assert s.scalar(select(User.language).where(User.username == "eka")) == "en"
    other = app.test_client()
    login(other, "engineer")  # a new session of the same user: English again
    assert "Agencies" in other.get("/agencies/").get_data(as_text=True)
    third = app.test_client()
    login(third, "admin")  # another user keeps Indonesian
    assert "Instansi" in third.get("/agencies/").get_data(as_text=True)


def test_unknown_language_is_refused(app: Flask, client: FlaskClient) -> None:
    login(client, "engineer")
    client.post("/language", data={"lang": "xx", "csrf_token": csrf_token(client)})
    with app.extensions["netops"].sessions() as s:
        assert s.scalar(select(User.language).where(User.username == "eka")) == "id"
