"""Password and token hashing.  Passwords: argon2id (argon2-cffi's defaults, RFC 9106 low-memory
profile); tokens: SHA-256 of 32 random bytes (high entropy, so a fast hash suffices)."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
TOKEN_PREFIX_LEN = 8
MIN_PASSWORD_LEN = 10


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (text like ``$argon2id$v=19$m=65536,...``)."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``password_hash``; False for no hash or a bad one."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def new_token() -> str:
    """A fresh API token: ``nx_`` + 43 URL-safe characters (32 random bytes)."""
    return "nx_" + secrets.token_urlsafe(32)


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def dummy_verify() -> None:
    """Spend the time of one verification (for unknown users, so timing tells nothing)."""
    verify_password(_DUMMY_HASH, "not the password")


_DUMMY_HASH = _hasher.hash("netops-dummy-password")
