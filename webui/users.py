"""The logged-in user as Flask-Login sees it, loaded from the session cookie or a bearer token.

:class:`WebUser` is a plain copy of the ``users`` row (no ORM object outlives a request).  The
session id includes a fragment of the password hash, so changing a password ends the other
sessions; a disabled user's sessions and tokens stop working on the next request.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import UserMixin

from netops.auth.models import User
from webui.access import is_api_request
from webui.context import db
from webui.security import bearer_token


@dataclass(frozen=True)
class WebUser(UserMixin):
    id: int
    username: str
    role: str
    agency_code: str | None
    language: str
    display_name: str
    stamp: str
    via_token: bool = False

    def get_id(self) -> str:
        return f"{self.id}.{self.stamp}"

    @classmethod
    def of(cls, user: User, via_token: bool = False) -> WebUser:
        return cls(
            id=user.id,
            username=user.username,
            role=user.role,
            agency_code=user.agency_code,
            language=user.language,
            display_name=user.display_name or user.username,
            stamp=_stamp(user),
            via_token=via_token,
        )


def _stamp(user: User) -> str:
    return (user.password_hash or "nopassword")[-10:]


def load_session_user(user_id: str) -> WebUser | None:
    ident, _, stamp = user_id.partition(".")
    if not ident.isdigit():
        return None
    user = db().get(User, int(ident))
    if user is None or user.disabled or _stamp(user) != stamp:
        return None
    return WebUser.of(user)


def load_token_user(_request: object) -> WebUser | None:
    from netops.auth.store import user_for_token

    if not is_api_request():
        return None
    token = bearer_token()
    if token is None:
        return None
    session = db()
    user = user_for_token(session, token)
    if user is None:
        return None
    web_user = WebUser.of(user, via_token=True)
    session.commit()  # last_used_at
    return web_user
