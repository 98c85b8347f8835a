"""Access policy: every view declares who may open it; the route walk proves, for every
registered route (including ones added later), that an agency user reaches no other agency's
data and that an engineer can change nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient

import webui
from tests.webui.conftest import csrf_token, login
from tests.webui.walk import OTHER_AGENCIES, OWN_AGENCY_VALUES, WALKING_AGENCY, methods, urls
from webui import create_app
from webui.access import allow, policy_of

# Views anyone (or any logged-in user) may POST to: they touch only the user's own session or
# language.  A new one must be reviewed and added here.
SELF_SERVICE_WRITES = {"auth.login", "auth.logout", "auth.language"}


def _rules(app: Flask) -> list[Any]:
    return sorted(app.url_map.iter_rules(), key=lambda r: r.rule)


def test_every_view_declares_an_access_policy(app: Flask) -> None:
    undeclared = [name for name, view in app.view_functions.items() if policy_of(view) is None]
    assert undeclared == []


def test_a_view_without_a_declaration_is_refused_to_everyone(app_config: dict[str, Any]) -> None:
    bp = Blueprint("undeclared_test", __name__)

    @bp.get("/undeclared")
    def undeclared() -> str:
        return "secret"

    import sys

    sys.modules[__name__].undeclared_bp = bp  # type: ignore[attr-defined]
    before = list(webui.BLUEPRINTS)
    webui.BLUEPRINTS.append(f"{__name__}:undeclared_bp")
    try:
        app = create_app(app_config)
    finally:
        webui.BLUEPRINTS[:] = before
    client = app.test_client()
    assert client.get("/undeclared").status_code == 403
    login(client, "admin")
    resp = client.get("/undeclared")
    assert resp.status_code == 403 and b"secret" not in resp.data


def test_allow_refuses_engineer_writes_and_unknown_roles() -> None:
    with pytest.raises(ValueError, match="engineers"):
        allow("admin", "engineer", writes=("engineer",))
    with pytest.raises(ValueError, match="roles"):
        allow("planner")


def _forbidden_words() -> list[re.Pattern[str]]:
    words = [*OTHER_AGENCIES, *OTHER_AGENCIES.values()]
    return [re.compile(rf"(?<![\w-]){re.escape(w)}(?![\w-])", re.IGNORECASE) for w in words]


def test_walk_fills_every_route_variable(app: Flask) -> None:
    for rule in _rules(app):
        assert list(urls(rule)), rule.rule


def walk_as_agency(app: Flask) -> int:
    """Request every method of every rule as the agency user, URLs filled for other agencies
    and for its own; AssertionError on a server error or on another agency's name or code in a
    body that was not refused.  Returns the number of requests."""
    client = app.test_client()
    user = login(client, "agency")
    assert user["agency_code"] == WALKING_AGENCY
    token = csrf_token(client)
    forbidden = _forbidden_words()
    walked = 0
    for rule in _rules(app):
        if rule.endpoint in ("auth.logout",):
            continue  # would end the walking session; it shows no data
        own = list(urls(rule, own=True)) if set(rule.arguments) & set(OWN_AGENCY_VALUES) else []
        for url in [*urls(rule), *own]:
            for method in methods(rule):
                resp = client.open(
                    url,
                    method=method,
                    data={"csrf_token": token},
                    headers={"X-CSRFToken": token},
                    follow_redirects=True,
                )
                walked += 1
                # binary bodies (the PDF report) are checked by status only: their text is
                # inside compressed streams
                body = resp.get_data().decode("utf-8", errors="replace")
                where = f"{method} {url} ({rule.endpoint}) -> {resp.status_code}"
                assert resp.status_code < 500, where
                if resp.status_code in (401, 403, 404, 405):
                    continue
                leaked = [p.pattern for p in forbidden if p.search(body)]
                assert not leaked, f"{where}: other agencies' data in the body: {leaked}"
                resp.close()
    return walked


def test_agency_user_reaches_no_other_agency_data_on_any_route(app: Flask) -> None:
    assert walk_as_agency(app) >= len(app.view_functions)


def test_the_walk_catches_a_route_that_leaks_another_agency(app_config: dict[str, Any]) -> None:
    from netops.storage.models import Agency
    from webui.context import db

    bp = Blueprint("leaky_test", __name__)

    @bp.get("/leaky/<code>")
    @allow("admin", "engineer", "agency")
    def leaky(code: str) -> str:
        agency = db().query(Agency).filter_by(code=code).one()
        return f"<p>{agency.name}</p>"

    import sys

    sys.modules[__name__].leaky_bp = bp  # type: ignore[attr-defined]
    before = list(webui.BLUEPRINTS)
    webui.BLUEPRINTS.append(f"{__name__}:leaky_bp")
    try:
        app = create_app(app_config)
    finally:
        webui.BLUEPRINTS[:] = before
    with pytest.raises(AssertionError, match="leaky_test.leaky.*other agencies' data"):
        walk_as_agency(app)


def walk_as_engineer(app: Flask) -> None:
    """Every non-GET method of every rule as the engineer must be refused (403), except the
    reviewed self-service views in :data:`SELF_SERVICE_WRITES`."""
    client = app.test_client()
    login(client, "engineer")
    token = csrf_token(client)
    exempt = set()
    for rule in _rules(app):
        policy = policy_of(app.view_functions[rule.endpoint])
        assert policy is not None
        writes = [m for m in methods(rule) if m not in ("GET",)]
        if policy.public or policy.self_service:
            if writes:
                exempt.add(rule.endpoint)
            continue
        for url in urls(rule):
            for method in writes:
                resp = client.open(
                    url, method=method, data={"csrf_token": token}, headers={"X-CSRFToken": token}
                )
                assert resp.status_code == 403, f"{method} {url} ({rule.endpoint})"
    assert exempt <= SELF_SERVICE_WRITES, f"review new self-service writes: {exempt}"


def test_engineer_can_change_nothing_on_any_route(app: Flask) -> None:
    walk_as_engineer(app)


@pytest.mark.parametrize("kind", ["admin-write", "self-service"])
def test_the_engineer_walk_catches_a_write_it_may_make(
    app_config: dict[str, Any], kind: str
) -> None:
    from webui.access import self_service

    bp = Blueprint("writer_test", __name__)
    if kind == "admin-write":
        # a view that wrongly lets every reader write (declared through the raw policy)
        from webui.access import Policy, _attach

        roles = frozenset({"admin", "engineer", "agency"})
        declare = _attach(Policy(roles, roles))
    else:
        declare = self_service

    @bp.post("/writer/<code>")
    @declare
    def writer(code: str) -> str:
        return "changed"

    import sys

    sys.modules[__name__].writer_bp = bp  # type: ignore[attr-defined]
    before = list(webui.BLUEPRINTS)
    webui.BLUEPRINTS.append(f"{__name__}:writer_bp")
    try:
        app = create_app(app_config)
    finally:
        webui.BLUEPRINTS[:] = before
    with pytest.raises(AssertionError, match="writer"):
        walk_as_engineer(app)


@pytest.mark.parametrize("role", ["admin", "engineer", "agency"])
def test_every_page_renders_for_every_role_that_may_read_it(app: Flask, role: str) -> None:
    client = app.test_client()
    login(client, role)
    own = {"code": WALKING_AGENCY, "agency": WALKING_AGENCY}
    for rule in _rules(app):
        if "GET" not in (rule.methods or ()) or rule.endpoint == "assets.file":
            continue
        policy = policy_of(app.view_functions[rule.endpoint])
        assert policy is not None
        if not (policy.public or role in policy.read):
            continue
        filled = {k: own.get(k) for k in rule.arguments}
        if None in filled.values():
            continue  # walked with other values above; own-object pages are tested per feature
        url = rule.build(filled, append_unknown=False)[1]
        resp = client.get(url, follow_redirects=True)
        assert resp.status_code == 200, f"{role} GET {url}: {resp.status_code}"
        resp.close()


def test_role_landing_pages(client: FlaskClient) -> None:
    login(client, "agency")
    assert client.get("/").headers["Location"] == f"/agencies/{WALKING_AGENCY}"
    other = client.application.test_client()
    login(other, "engineer")
    assert other.get("/").status_code == 302
