"""The API answers as its served OpenAPI document says: schemathesis generates requests from
``/api/v1/openapi.json`` (every operation, valid and invalid parameters) against the app, with an
engineer's bearer token supplied through schemathesis' auth hook, and checks status codes,
headers, content types and response bodies against the document."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings

from tests.webui.network import api_token, feed_network

_TOKEN: dict[str, str] = {}


@schemathesis.auth()
class EngineerToken:
    """The test's engineer token as ``Authorization: Bearer``; schemathesis also sends requests
    without it (and with a wrong one) to check that they are refused."""

    def get(self, case: Any, ctx: Any) -> str:
        return _TOKEN["engineer"]

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def api_app(app: Flask) -> Any:
    feed_network(app)
    _TOKEN["engineer"] = api_token(app, "engineer")
    yield app
    _TOKEN.clear()


@pytest.fixture
def api_schema(api_app: Flask) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: Any) -> None:
    case.call_and_validate()
