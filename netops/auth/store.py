"""The user store: add, list, disable, change passwords, issue and resolve API tokens, audit.

Functions take a SQLAlchemy ``Session`` and commit nothing themselves unless named so: callers
(CLI, web UI) commit once per operation.  Errors are :class:`netops.errors.AuthError` with a
message naming the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from netops.auth.hashing import (
    MIN_PASSWORD_LEN,
    TOKEN_PREFIX_LEN,
    hash_password,
    new_token,
    token_sha256,
)
from netops.auth.models import LANGUAGES, ROLES, ApiToken, User, UserEvent
from netops.errors import AuthError
from netops.storage.models import Agency, utcnow

USERNAME_MAX = 64


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LEN:
        raise AuthError(f"password too short: at least {MIN_PASSWORD_LEN} characters")


def _check_username(username: str) -> None:
    ok = username and len(username) <= USERNAME_MAX
    if not ok or not all(c.isalnum() or c in "._-@" for c in username):
        raise AuthError(
            f"invalid user name {username!r}: 1-{USERNAME_MAX} letters, digits, '.', '_', '-', '@'"
        )


def agency_exists(session: Session, code: str) -> bool:
    """True when a current (not retired) agency has ``code``."""
    row = session.scalar(select(Agency.id).where(Agency.code == code, Agency.retired_at.is_(None)))
    return row is not None


def record(
    session: Session,
    username: str,
    event: str,
    *,
    actor: str = "",
    remote_addr: str | None = None,
    detail: str = "",
) -> None:
    """Add one audit line (``event`` e.g. ``login``, ``login-failed``, ``user-added``)."""
    session.add(
        UserEvent(
            username=username[:USERNAME_MAX],
            event=event,
            actor=actor[:USERNAME_MAX],
            remote_addr=remote_addr,
            detail=detail,
            at=utcnow(),
        )
    )


def get_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def require_user(session: Session, username: str) -> User:
    user = get_user(session, username)
    if user is None:
        raise AuthError(f"no user {username!r}")
    return user


def add_user(
    session: Session,
    username: str,
    role: str,
    password: str | None,
    *,
    agency_code: str | None = None,
    language: str = "id",
    display_name: str = "",
    actor: str = "",
) -> User:
    """Create a user.  ``role`` is one of :data:`ROLES`; an ``agency`` user names an existing
    agency, other roles none.  ``password`` None makes a user that cannot log in with a password
    (token only, or a later external backend)."""
    _check_username(username)
    if role not in ROLES:
        raise AuthError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    if language not in LANGUAGES:
        raise AuthError(f"unknown language {language!r}: one of {', '.join(LANGUAGES)}")
    if role == "agency":
        if not agency_code:
            raise AuthError(f"user {username!r}: role agency needs an agency code")
        if not agency_exists(session, agency_code):
            raise AuthError(f"user {username!r}: no agency {agency_code!r} in the inventory")
    elif agency_code:
        raise AuthError(f"user {username!r}: only agency users have an agency code")
    if get_user(session, username) is not None:
        raise AuthError(f"user {username!r} exists already")
    if password is not None:
        _check_password(password)
    now = utcnow()
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        agency_code=agency_code if role == "agency" else None,
        password_hash=hash_password(password) if password is not None else None,
        backend="local",
        disabled=False,
        language=language,
        created_at=now,
        updated_at=now,
    )
    session.add(user)
    detail = f"role={role}" + (f" agency={agency_code}" if agency_code else "")
    record(session, username, "user-added", actor=actor, detail=detail)
    return user


def set_password(session: Session, username: str, password: str, *, actor: str = "") -> User:
    user = require_user(session, username)
    _check_password(password)
    user.password_hash = hash_password(password)
    user.updated_at = utcnow()
    record(session, username, "password-changed", actor=actor)
    return user


def set_disabled(
    session: Session, username: str, disabled: bool = True, *, actor: str = ""
) -> User:
    """Disable (or enable) a user; a disabled user's sessions and tokens stop working."""
    user = require_user(session, username)
    user.disabled = disabled
    user.updated_at = utcnow()
    record(session, username, "disabled" if disabled else "enabled", actor=actor)
    return user


def set_language(session: Session, username: str, language: str, *, actor: str = "") -> User:
    if language not in LANGUAGES:
        raise AuthError(f"unknown language {language!r}: one of {', '.join(LANGUAGES)}")
    user = require_user(session, username)
    if user.language != language:
        user.language = language
        user.updated_at = utcnow()
        record(session, username, "language-changed", actor=actor, detail=language)
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


@dataclass(frozen=True)
class IssuedToken:
    """A token just created: ``token`` is shown once and never stored."""

    username: str
    name: str
    token: str
    prefix: str


def issue_token(session: Session, username: str, name: str, *, actor: str = "") -> IssuedToken:
    user = require_user(session, username)
    if user.disabled:
        raise AuthError(f"user {username!r} is disabled")
    token = new_token()
    prefix = token[:TOKEN_PREFIX_LEN]
    session.add(
        ApiToken(
            user_id=user.id,
            name=name[:64],
            prefix=prefix,
            token_sha256=token_sha256(token),
            created_at=utcnow(),
        )
    )
    record(session, username, "token-created", actor=actor, detail=f"{name} {prefix}...")
    return IssuedToken(username, name, token, prefix)


def user_for_token(session: Session, token: str, now: datetime | None = None) -> User | None:
    """The enabled user owning ``token`` (not revoked), or None.  Marks the token used."""
    row = session.scalar(
        select(ApiToken).where(
            ApiToken.token_sha256 == token_sha256(token), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None or row.user.disabled:
        return None
    row.last_used_at = now or utcnow()
    return row.user


def recent_events(session: Session, limit: int = 50) -> list[UserEvent]:
    return list(session.scalars(select(UserEvent).order_by(UserEvent.id.desc()).limit(limit)))
