"""The web UI's shell: app factory, secret key, cookies, security headers, assets, login and
logout, CSRF, rate limit, audit, bearer tokens, sessions ended by disable/password change."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from netops.auth.models import UserEvent
from netops.auth.store import issue_token, set_disabled, set_password
from netops.settings import get_settings
from tests.webui.conftest import SECRET, csrf_token, login
from tests.webui.data import PASSWORD, USERS
from webui import ConfigError, create_app


def _events(app: Flask) -> list[tuple[str, str]]:
    with app.extensions["netops"].sessions() as s:
        return [(e.username, e.event) for e in s.scalars(select(UserEvent).order_by(UserEvent.id))]


def test_app_refuses_to_start_without_a_secret_key(app_config: dict[str, Any]) -> None:
    config = {k: v for k, v in app_config.items() if k != "SECRET_KEY"}
    config["SETTINGS"] = get_settings(secret_key=None)
    with pytest.raises(ConfigError, match="NETOPS_SECRET_KEY"):
        create_app(config)


def test_app_refuses_a_short_secret_key(app_config: dict[str, Any]) -> None:
    with pytest.raises(ConfigError, match="too short"):
        create_app({**app_config, "SECRET_KEY": "short"})


def test_secret_key_is_read_from_settings(app_config: dict[str, Any]) -> None:
    config = {k: v for k, v in app_config.items() if k != "SECRET_KEY"}
    config["SETTINGS"] = get_settings(secret_key="from-the-environment-0123456789")
    app = create_app(config)
    assert app.secret_key == "from-the-environment-0123456789"


def test_every_response_carries_the_security_headers(client: FlaskClient) -> None:
    resp = client.get("/login")
    csp = resp.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in csp
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script(client: FlaskClient) -> None:
    login(client, "admin")
    html = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "<script>" not in html and "onclick=" not in html
    assert html.count("<script src=") >= 3


def test_session_cookie_is_httponly_and_samesite_lax(client: FlaskClient) -> None:
    login(client, "admin")
    cookie = client.get_cookie("netops_session")
    assert cookie is not None
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure


def test_secure_cookie_flag_follows_the_setting(app_config: dict[str, Any]) -> None:
    app = create_app({**app_config, "SETTINGS": get_settings(web_cookie_secure=True)})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    resp = app.test_client().get("/login")
    assert resp.headers["Strict-Transport-Security"] == "max-age=31536000"
    plain = create_app(app_config).test_client().get("/login")
    assert "Strict-Transport-Security" not in plain.headers


@pytest.mark.parametrize(
    "name",
    [
        "bootstrap.css",
        "bootstrap.js",
        "popper.js",
        "leaflet.js",
        "leaflet.css",
        "markercluster.js",
        "markercluster.css",
        "plotly.js",
        "netops.css",
        "netops.js",
    ],
)
def test_assets_are_served_by_the_app_from_installed_packages(
    client: FlaskClient, name: str
) -> None:
    from webui.assets import asset_url

    with client.application.test_request_context():
        url = asset_url(name)
    resp = client.get(url)
    assert resp.status_code == 200 and len(resp.data) > 100
    resp.close()


def test_leaflet_marker_images_resolve_next_to_its_css(client: FlaskClient) -> None:
    resp = client.get("/assets/leaflet/images/marker-icon.png")
    assert resp.status_code == 200 and resp.data[:4] == b"\x89PNG"
    resp.close()


@pytest.mark.parametrize(
    "url",
    [
        "/assets/plotly/datasets/iris.csv",
        "/assets/netops/../__init__.py",
        "/assets/bootstrap/../../__init__.py",
        "/assets/nope/x.js",
    ],
)
def test_assets_outside_the_allowed_files_are_not_served(client: FlaskClient, url: str) -> None:
    assert client.get(url).status_code == 404


def test_unknown_asset_name_fails_in_the_template_helper(app: Flask) -> None:
    from webui.assets import asset_url

    with app.test_request_context(), pytest.raises((KeyError, FileNotFoundError)):
        asset_url("nowhere/missing.js")


def test_anonymous_page_request_redirects_to_login_with_next(client: FlaskClient) -> None:
    resp = client.get("/agencies/")
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/login?next=/agencies/")


def test_login_audits_success_and_failure_with_the_same_message(
    app: Flask, client: FlaskClient
) -> None:
    token = csrf_token(client)
    bad_user = client.post(
        "/login", data={"username": "nobody", "password": "x" * 12, "csrf_token": token}
    )
    bad_pass = client.post(
        "/login", data={"username": "adi", "password": "wrong-password", "csrf_token": token}
    )
    assert bad_user.status_code == bad_pass.status_code == 401
    message = "Nama pengguna atau kata sandi salah."
    assert message in bad_user.get_data(as_text=True) and message in bad_pass.get_data(as_text=True)
    login(client, "admin")
    assert _events(app)[-3:] == [
        ("nobody", "login-failed"),
        ("adi", "login-failed"),
        ("adi", "login"),
    ]


def test_login_without_csrf_token_is_refused(client: FlaskClient) -> None:
    client.get("/login")
    resp = client.post("/login", data={"username": "adi", "password": PASSWORD})
    assert resp.status_code == 400
    assert client.get("/agencies/").status_code == 302  # still logged out


def test_login_is_rate_limited(app_config: dict[str, Any]) -> None:
    app = create_app({**app_config, "SETTINGS": get_settings(web_login_limit="3 per minute")})
    client = app.test_client()
    token = csrf_token(client)
    codes = [
        client.post(
            "/login", data={"username": "adi", "password": "wrong-password", "csrf_token": token}
        ).status_code
        for _ in range(5)
    ]
    assert codes == [401, 401, 401, 429, 429]


def test_login_redirects_only_to_local_paths(client: FlaskClient) -> None:
    for target, expected in [
        ("/agencies/", "/agencies/"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
    ]:
        c = client.application.test_client()
        token = csrf_token(c)
        resp = c.post(
            "/login",
            data={"username": "adi", "password": PASSWORD, "next": target, "csrf_token": token},
        )
        assert resp.headers["Location"] == expected, target


def test_logout_ends_the_session_and_is_audited(app: Flask, client: FlaskClient) -> None:
    login(client, "engineer")
    assert client.get("/agencies/").status_code == 200
    resp = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert resp.status_code == 302
    assert client.get("/agencies/").status_code == 302
    assert _events(app)[-1] == ("eka", "logout")


def test_disabling_a_user_ends_their_session(app: Flask, client: FlaskClient) -> None:
    login(client, "engineer")
    with app.extensions["netops"].sessions() as s:
        set_disabled(s, "eka")
        s.commit()
    assert client.get("/agencies/").status_code == 302


def test_changing_the_password_ends_other_sessions(app: Flask, client: FlaskClient) -> None:
    login(client, "engineer")
    with app.extensions["netops"].sessions() as s:
        set_password(s, "eka", "another-long-password")
        s.commit()
    assert client.get("/agencies/").status_code == 302


def test_disabled_user_cannot_log_in(app: Flask, client: FlaskClient) -> None:
    with app.extensions["netops"].sessions() as s:
        set_disabled(s, "eka")
        s.commit()
    token = csrf_token(client)
    resp = client.post(
        "/login", data={"username": "eka", "password": PASSWORD, "csrf_token": token}
    )
    assert resp.status_code == 401


def _token(app: Flask, role: str) -> str:
    with app.extensions["netops"].sessions() as s:
        issued = issue_token(s, USERS[role]["username"], "test")
        s.commit()
    return issued.token


def _api_app(app_config: dict[str, Any]) -> Flask:
    """The app with one API route that reports who the bearer token resolved to."""
    from flask import Blueprint, jsonify
    from flask_login import current_user

    import webui
    from webui.access import allow

    bp = Blueprint("whoami_test", __name__, url_prefix="/api/v1")

    @bp.route("/whoami", methods=["GET", "POST"])
    @allow("admin", "engineer", "agency")
    def whoami() -> Any:
        return jsonify(
            user=current_user.username, role=current_user.role, agency=current_user.agency_code
        )

    before = list(webui.BLUEPRINTS)
    import sys

    module = sys.modules[__name__]
    module.whoami_bp = bp  # type: ignore[attr-defined]
    webui.BLUEPRINTS.append(f"{__name__}:whoami_bp")
    try:
        return create_app(app_config)
    finally:
        webui.BLUEPRINTS[:] = before


def test_bearer_token_resolves_to_the_same_user_and_role(app_config: dict[str, Any]) -> None:
    app = _api_app(app_config)
    client = app.test_client()
    token = _token(app, "agency")
    resp = client.get("/api/v1/whoami", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200
    assert resp.get_json() == {"user": "rina", "role": "agency", "agency": "rsud"}
    assert client.get("/api/v1/whoami").status_code == 401
    bad = client.get("/api/v1/whoami", headers={"Authorization": "Bearer nx_not-a-token"})
    assert bad.status_code == 401 and bad.is_json


def test_bearer_token_of_an_engineer_cannot_write_and_needs_no_csrf(
    app_config: dict[str, Any],
) -> None:
    app = _api_app(app_config)
    client = app.test_client()
    engineer, admin = _token(app, "engineer"), _token(app, "admin")
    assert (
        client.post("/api/v1/whoami", headers={"Authorization": f"Bearer {engineer}"}).status_code
        == 403
    )
    assert (
        client.post("/api/v1/whoami", headers={"Authorization": f"Bearer {admin}"}).status_code
        == 200
    )


def test_token_of_a_disabled_user_stops_working(app_config: dict[str, Any]) -> None:
    app = _api_app(app_config)
    token = _token(app, "engineer")
    with app.extensions["netops"].sessions() as s:
        set_disabled(s, "eka")
        s.commit()
    resp = app.test_client().get("/api/v1/whoami", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401


def test_cookie_session_api_write_needs_the_csrf_token(app_config: dict[str, Any]) -> None:
    app = _api_app(app_config)
    client = app.test_client()
    login(client, "admin")
    assert client.post("/api/v1/whoami").status_code == 400
    assert (
        client.post("/api/v1/whoami", headers={"X-CSRFToken": csrf_token(client)}).status_code
        == 200
    )


def test_tokens_are_stored_hashed(app: Flask) -> None:
    token = _token(app, "admin")
    engine = app.extensions["netops"].engine
    raw = b"".join(
        p.read_bytes()
        for p in __import__("pathlib").Path(engine.url.database).parent.glob("web.db*")
    )
    assert token.encode() not in raw
    assert PASSWORD.encode() not in raw
    assert SECRET
