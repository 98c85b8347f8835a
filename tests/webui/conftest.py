"""Web UI fixtures: an app on a temporary SQLite database synced from the mini inventory, users
of every role, a logged-in test client, and a real Chromium driven by Playwright against the app
served on 127.0.0.1.

- ``web_db``: URL of a fresh SQLite file, upgraded and synced from ``inventory_path`` (default
  tests/fixtures/mini-inventory.yaml: agencies ``diskominfo``, ``rsud``, ``kec-utara``), with a
  week of 5-minute interface samples on every agency's LAN port and one user per role
  (:data:`tests.webui.data.USERS`, password ``PASSWORD``); see tests/webui/data.py.
- ``app``: ``create_app`` on ``web_db`` (TESTING, a fixed secret key); ``client``: its test client.
- ``login(client, role)``: log in through the real form (CSRF token read from the page) as the
  user of ``role`` (``admin``, ``engineer``, ``agency`` = rsud, ``agency2`` = kec-utara).
- ``csrf_token(client)``: a valid CSRF token for the client's session.
- ``live_server``: the app served by werkzeug on 127.0.0.1, port 0, in a thread; its ``url``.
- ``page``: a Playwright page in Debian's /usr/bin/chromium (headless); ``screenshot(page,
  name)`` saves under ``.artifacts/screenshots/``.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import MINI, ROOT
from tests.webui.data import PASSWORD, USERS, seed_database

SECRET = "test-secret-key-0123456789abcdef"
ARTIFACTS = ROOT / ".artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

_CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


@pytest.fixture
def inventory_path() -> Path:
    """The inventory the app reads (override in a module for another one)."""
    return MINI


_templates: dict[Path, Path] = {}


@pytest.fixture
def web_db(tmp_path: Path, inventory_path: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A seeded database: built once per inventory and session, then copied for each test."""
    template = _templates.get(inventory_path)
    if template is None:
        template = tmp_path_factory.mktemp("webdb") / "template.db"
        seed_database(f"sqlite:///{template}", inventory_path)
        _templates[inventory_path] = template
    path = tmp_path / "web.db"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app_config(web_db: str, inventory_path: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": SECRET,
        "DATABASE_URL": web_db,
        "INVENTORY": str(inventory_path),
    }


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    from webui import create_app

    application = create_app(app_config)
    yield application
    application.extensions["netops"].engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient) -> str:
    """A CSRF token valid for this client's session (read from the login page's form, or any
    page's forms when logged in)."""
    html = client.get("/login").get_data(as_text=True)
    if 'name="csrf_token"' not in html:
        html = client.get("/", follow_redirects=True).get_data(as_text=True)
    m = _CSRF.search(html)
    assert m, "no CSRF token on the page"
    return m.group(1) or m.group(2)


def login(client: FlaskClient, role: str) -> dict[str, Any]:
    """Log ``client`` in as the user of ``role`` through the login form; returns that user."""
    user = USERS[role]
    token = csrf_token(client)
    resp = client.post(
        "/login",
        data={"username": user["username"], "password": PASSWORD, "csrf_token": token},
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return user


@pytest.fixture(name="login")
def login_fixture() -> Callable[[FlaskClient, str], dict[str, Any]]:
    return login


@pytest.fixture(name="csrf_token")
def csrf_token_fixture() -> Callable[[FlaskClient], str]:
    return csrf_token


class LiveServer:
    def __init__(self, app: Flask) -> None:
        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    pg.js_errors = errors
    try:
        yield pg
    finally:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as ``.artifacts/screenshots/<name>.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def browser_login(page: Any, live: LiveServer, role: str) -> None:
    """Log in through the login page in the browser as the user of ``role``."""
    page.goto(f"{live.url}/login")
    page.fill("#username", USERS[role]["username"])
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("networkidle")
