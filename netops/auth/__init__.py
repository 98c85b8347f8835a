"""Users, roles, password and token hashing, and the audit of logins and changes.

The web UI and the ``netops user`` command both use this package; see :mod:`netops.auth.store`
for the operations and :mod:`netops.auth.backend` for the pluggable authentication.
"""

from netops.auth.backend import AuthBackend, LocalBackend, login
from netops.auth.models import LANGUAGES, ROLES, ApiToken, User, UserEvent

__all__ = [
    "LANGUAGES",
    "ROLES",
    "ApiToken",
    "AuthBackend",
    "LocalBackend",
    "User",
    "UserEvent",
    "login",
]
