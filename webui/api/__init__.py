"""``/api/v1``: JSON for the dashboard, agencies, devices, links and alerts, described by an
OpenAPI document that flask-smorest generates from the marshmallow schemas of each module.

One module per feature (:data:`MODULES`); each defines ``blp``, a :class:`flask_smorest.Blueprint`
with ``url_prefix`` under ``/api/v1``.  Add a feature by adding its module here.  Views declare
their roles with :func:`webui.access.allow` like every page; authentication is the session
cookie or ``Authorization: Bearer <token>`` (``netops user token``).  Agency users get only their
own agency's data.  The document is served at ``/api/v1/openapi.json`` and rendered, with no
JavaScript and nothing from the internet, at ``/api/v1/docs``.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

import marshmallow as ma
from flask import Blueprint, Flask, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_smorest import Api

from webui.access import public

PREFIX = "/api/v1"
MODULES: list[str] = [
    "webui.api.dashboard",
    "webui.api.alerts",
    "webui.api.agencies",
    "webui.api.devices",
    "webui.api.links",
]


class ErrorSchema(ma.Schema):
    """The JSON body of every error under ``/api/`` (:mod:`webui.errors`)."""

    error = ma.fields.String(required=True, metadata={"description": "HTTP status name"})
    status = ma.fields.Integer(metadata={"description": "HTTP status code"})
    errors = ma.fields.Dict(metadata={"description": "validation errors by location and field"})


class NetopsApi(Api):
    """flask-smorest's Api, leaving error bodies to the app's own handler (one format for every
    ``/api/`` error, documented as :class:`ErrorSchema`)."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        return None


docs_bp = Blueprint("api_docs", __name__, url_prefix=PREFIX)


@docs_bp.get("/docs")
@public
def docs() -> ResponseReturnValue:
    """The OpenAPI document as a page: every path, its parameters and responses."""
    api: NetopsApi = current_app.extensions["netops_api"]
    return render_template("api/docs.html", spec=api.spec.to_dict())


def _as_function(view: Any) -> Any:
    """A plain function calling ``view`` (a bound method cannot carry the access policy)."""

    @functools.wraps(view)
    def call(*args: Any, **kwargs: Any) -> Any:
        return view(*args, **kwargs)

    return call


def init_app(app: Flask) -> NetopsApi:
    """Register the API blueprints and the OpenAPI document on ``app``."""
    app.config.setdefault("API_TITLE", "netops")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    spec_kwargs: dict[str, Any] = {
        "info": {
            "description": "Read API of netops: network status, agencies' bandwidth, devices, "
            "links and alerts.  Authenticate with `Authorization: Bearer <token>`."
        },
        "security": [{"bearerAuth": []}],
    }
    api = NetopsApi(app, spec_kwargs=spec_kwargs)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "netops user token"}
    )
    for name in MODULES:
        api.register_blueprint(importlib.import_module(name).blp)
    # the document describes the API, it holds no data: readable like the login page
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith("api-docs."):
            app.view_functions[endpoint] = public(_as_function(view))
    app.register_blueprint(docs_bp)
    app.extensions["netops_api"] = api
    return api
