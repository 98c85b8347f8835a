"""Authentication backends: who may log in with a user name and password.

:class:`AuthBackend` is the interface; :class:`LocalBackend` checks the argon2 hash in the
``users`` table.  An LDAP backend would implement the same method (bind as the user, then map
its groups to a role and create or update the ``users`` row with ``backend="ldap"`` and no
password hash), and be listed before or instead of the local one.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from netops.auth.hashing import dummy_verify, hash_password, needs_rehash, verify_password
from netops.auth.models import User
from netops.auth.store import get_user, record
from netops.storage.models import utcnow


class AuthBackend(Protocol):
    name: str

    def authenticate(self, session: Session, username: str, password: str) -> User | None:
        """The user, when ``username``/``password`` are right and the user is enabled."""


class LocalBackend:
    """Passwords checked against the argon2id hash stored in ``users``."""

    name = "local"

    def authenticate(self, session: Session, username: str, password: str) -> User | None:
        user = get_user(session, username)
        if user is None or user.backend != self.name:
            dummy_verify()
            return None
        if not verify_password(user.password_hash, password) or user.disabled:
            return None
        assert user.password_hash is not None
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        return user


def login(
    session: Session,
    username: str,
    password: str,
    *,
    backends: tuple[AuthBackend, ...] = (LocalBackend(),),
    remote_addr: str | None = None,
) -> User | None:
    """Try each backend in turn; audit the attempt (``login`` or ``login-failed``).  The caller
    commits."""
    for backend in backends:
        user = backend.authenticate(session, username, password)
        if user is not None:
            user.last_login_at = utcnow()
            record(session, user.username, "login", remote_addr=remote_addr, detail=backend.name)
            return user
    record(session, username, "login-failed", remote_addr=remote_addr)
    return None
