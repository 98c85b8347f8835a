"""Resolve credential references to secrets at run time.

A reference such as ``NETOPS_CRED_CORE`` is looked up first in the environment, then in the secrets
file (``NETOPS_SECRETS_FILE``: a YAML mapping of reference to secret, kept outside the repository,
mode 0600).  Secret values are wrapped in :class:`Secret` so they never appear in a repr or a log.

File values are read exactly as written, as strings (YAML's BaseLoader: ``012345`` stays
``"012345"``, ``yes`` stays ``"yes"``); an empty value or one that is not a plain string (a list, a
mapping) is refused naming the key, and a file that others can read is warned about.
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml

from netops.errors import SecretError

log = logging.getLogger(__name__)


def read_secrets_file(path: Path) -> dict[str, str]:
    """``NAME: secret`` pairs of ``path``, every value the string written (never retyped).

    Raises :class:`SecretError` naming the file (and the key, never the value) when the file is
    unreadable, not a mapping, or a value is empty or not a string.  Logs a warning when group or
    others may read the file.
    """
    try:
        mode = path.stat().st_mode
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SecretError(f"cannot read secrets file {path}: {exc.__class__.__name__}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning(
            "secrets file %s is readable by others (mode %04o): chmod 600 %s",
            path,
            stat.S_IMODE(mode),
            path,
        )
    if not isinstance(loaded, dict):
        raise SecretError(f"secrets file {path} must be a mapping of NAME: secret")
    values: dict[str, str] = {}
    for key, value in loaded.items():
        if not isinstance(key, str) or not isinstance(value, str) or value == "":
            raise SecretError(
                f"secrets file {path}: the value of {key!r} must be a non-empty string "
                "(quote it if needed)"
            )
        values[key] = value
    return values


class Secret:
    """A string that does not print itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class SecretStore:
    """Environment first, then an optional secrets file."""

    environ: dict[str, str]
    file_values: dict[str, str]

    @classmethod
    def from_env(cls, secrets_file: Path | None = None) -> SecretStore:
        env = dict(os.environ)
        path = secrets_file or (
            Path(env["NETOPS_SECRETS_FILE"]) if env.get("NETOPS_SECRETS_FILE") else None
        )
        values = read_secrets_file(path) if path is not None else {}
        return cls(env, values)

    def resolve(self, ref: str) -> Secret:
        """Return the secret named ``ref``; raise :class:`SecretError` naming the reference only."""
        if ref in self.environ:
            return Secret(self.environ[ref])
        if ref in self.file_values:
            return Secret(self.file_values[ref])
        raise SecretError(
            f"secret {ref!r} is not set: export {ref}=... or add it to NETOPS_SECRETS_FILE"
        )
