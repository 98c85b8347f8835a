"""Resolve credential references to secrets at run time.

A reference such as ``NETOPS_CRED_CORE`` is looked up first in the environment, then in the secrets
file (``NETOPS_SECRETS_FILE``: a YAML mapping of reference to secret, kept outside the repository,
mode 0600).  Secret values are wrapped in :class:`Secret` so they never appear in a repr or a log.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from netops.errors import SecretError


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
        values: dict[str, str] = {}
        if path is not None:
            try:
                loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError) as exc:
                raise SecretError(
                    f"cannot read secrets file {path}: {exc.__class__.__name__}"
                ) from None
            if not isinstance(loaded, dict):
                raise SecretError(f"secrets file {path} must be a mapping of NAME: secret")
            values = {str(k): str(v) for k, v in loaded.items()}
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
