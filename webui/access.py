"""Who may open which view: every view declares it, and a view that does not is refused.

Declarations (decorators; they only attach a :class:`Policy`, enforcement is one
``before_request`` hook for the whole app, see :func:`enforce`):

* ``@allow("admin", "engineer", "agency")`` - these roles may read (GET/HEAD); writes (any other
  method) are allowed to ``writes`` (default: admin, if listed).  An engineer never writes.
* ``@self_service`` - any logged-in user, any method, touching only the user's own session
  (logout).
* ``@public`` - anyone, logged in or not (login, language of the login page, assets).

Agency users are scoped to their own agency with :func:`require_agency` (404 for any other code,
so other agencies' existence is not revealed) and :func:`visible_agencies` (the set of codes a
list may show; None = all).

Authentication: a session cookie (Flask-Login) or, for ``/api/``, ``Authorization: Bearer
<token>`` resolving to the same user and role.  Unauthenticated requests get a redirect to the
login page, or 401 JSON under ``/api/``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import abort, current_app, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

log = logging.getLogger(__name__)

ROLES = ("admin", "engineer", "agency")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
F = TypeVar("F", bound=Callable[..., Any])
POLICY_ATTR = "_netops_policy"


@dataclass(frozen=True)
class Policy:
    read: frozenset[str]
    write: frozenset[str]
    public: bool = False
    self_service: bool = False

    def permits(self, role: str | None, method: str) -> bool:
        if self.public:
            return True
        if role is None:
            return False
        if self.self_service:
            return True
        return role in (self.read if method in READ_METHODS else self.write)


def _attach(policy: Policy) -> Callable[[F], F]:
    def deco(view: F) -> F:
        setattr(view, POLICY_ATTR, policy)
        return view

    return deco


def allow(*roles: str, writes: tuple[str, ...] | None = None) -> Callable[[F], F]:
    """Declare the roles that may read a view and (``writes``, default admin) change through it."""
    unknown = set(roles) - set(ROLES) or set(writes or ()) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"allow(): roles must be some of {ROLES}, got {roles} / {writes}")
    write = frozenset(writes if writes is not None else {"admin"} & set(roles))
    if "engineer" in write:
        raise ValueError("allow(): engineers read everything and change nothing")
    return _attach(Policy(frozenset(roles), write))


def public(view: F) -> F:
    """Anyone may open this view, logged in or not."""
    return _attach(Policy(frozenset(ROLES), frozenset(ROLES), public=True))(view)


def self_service(view: F) -> F:
    """Any logged-in user may use this view (any method); it touches only their own session."""
    return _attach(Policy(frozenset(ROLES), frozenset(ROLES), self_service=True))(view)


def policy_of(view: Callable[..., Any]) -> Policy | None:
    policy = getattr(view, POLICY_ATTR, None)
    return policy if isinstance(policy, Policy) else None


def current_role() -> str | None:
    if not current_user.is_authenticated:
        return None
    role = current_user.role
    return role if isinstance(role, str) else None


API_PATHS = ("/api/", "/metrics")
"""Paths for machines: bearer tokens accepted, errors as JSON (``/metrics``: Prometheus)."""


def is_api_request() -> bool:
    return request.path.startswith(API_PATHS)


def enforce() -> ResponseReturnValue | None:
    """``before_request``: refuse the request unless the view's policy permits it."""
    if request.endpoint is None:
        return None  # no route: Flask answers 404/405 itself
    view = current_app.view_functions.get(request.endpoint)
    policy = policy_of(view) if view is not None else None
    if policy is None:
        log.error("view %s declares no access policy: refused", request.endpoint)
        abort(403)
    role = current_role()
    if policy.permits(role, request.method):
        return None
    if role is None:
        if is_api_request():
            resp = jsonify(error="authentication required")
            resp.status_code = 401
            resp.headers["WWW-Authenticate"] = 'Bearer realm="netops"'
            return resp
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    abort(403)


def visible_agencies() -> frozenset[str] | None:
    """Agency codes the current user may see: None for admins and engineers (all)."""
    if current_role() == "agency":
        return frozenset({current_user.agency_code})
    return None


def may_see_agency(code: str) -> bool:
    visible = visible_agencies()
    return visible is None or code in visible


def require_agency(code: str) -> None:
    """404 unless the current user may see agency ``code``."""
    if not may_see_agency(code):
        abort(404)
