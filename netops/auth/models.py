"""User tables: people who log in to the web UI or the API, their API tokens, and the audit of
logins and changes.

* :class:`User` - a person with one role (``admin``: Diskominfo, everything; ``engineer``: NOC,
  reads everything, changes no plan; ``agency``: its own agency only, named by ``agency_code``),
  a password hash (argon2id, never the password), a ``disabled`` flag, a preferred language
  (``id`` or ``en``) and the ``backend`` that authenticates it (``local`` today; ``ldap`` later).
* :class:`ApiToken` - a bearer token for ``/api/v1``: only its SHA-256 is stored (the token is 32
  random bytes, so a fast hash is enough and lets the API look it up), with a short prefix to
  recognise it in listings.
* :class:`UserEvent` - one audit line: login, failed login, logout, user added, password
  changed, disabled, token created, language changed.  Times UTC.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netops.storage.base import Base
from netops.storage.models import NAME_LEN, UTCDateTime, utcnow

ROLES: tuple[str, ...] = ("admin", "engineer", "agency")
LANGUAGES: tuple[str, ...] = ("id", "en")


class User(Base):
    """A person who logs in; ``agency_code`` is set exactly when ``role`` is ``agency``."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    agency_code: Mapped[str | None] = mapped_column(String(NAME_LEN), default=None)
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
    backend: Mapped[str] = mapped_column(String(16), default="local")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(8), default="id")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", order_by="ApiToken.id")


class ApiToken(Base):
    """A bearer token of one user; ``token_sha256`` is the hex SHA-256 of the token text."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(16))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    user: Mapped[User] = relationship(back_populates="tokens")


class UserEvent(Base):
    """One line of the login and change audit (``username`` as typed for failed logins)."""

    __tablename__ = "user_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    event: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64), default="")
    remote_addr: Mapped[str | None] = mapped_column(String(64), default=None)
    detail: Mapped[str] = mapped_column(Text, default="")
