"""The one exception tree of netops.

Every error the project raises on purpose derives from :class:`NetopsError`, so the CLI can turn any
of them into a clear message and an exit code instead of a traceback. Third-party errors (netmiko,
paramiko, napalm, SQLAlchemy) are translated at the boundary where they occur.
"""

from __future__ import annotations

from dataclasses import dataclass


class NetopsError(Exception):
    """Root of every error netops raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One finding about an input document, located as precisely as we can.

    ``file`` and ``line`` point at the text (line is 1-based, 0 when unknown); ``path`` is the
    location in the document, e.g. ``links[3].b.device``.  ``severity`` is ``"error"`` or
    ``"warning"``.
    """

    file: str
    line: int
    path: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        prefix = "warning: " if self.severity == "warning" else ""
        path = f" {self.path}:" if self.path else ""
        return f"{where}{path} {prefix}{self.message}"


class InventoryError(NetopsError):
    """The inventory could not be loaded or validated; ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid inventory")


class SecretError(NetopsError):
    """A credential's secret could not be resolved (missing variable or secrets file entry)."""


class StorageError(NetopsError):
    """The database could not be reached, migrated or written."""


class CollectorError(NetopsError):
    """Polling one device failed; ``device`` names it."""

    def __init__(self, device: str, message: str) -> None:
        self.device = device
        super().__init__(f"{device}: {message}")


class DeviceUnreachable(CollectorError):
    """TCP/SSH connection to the device could not be established."""


class AuthenticationFailed(CollectorError):
    """The device refused the credentials."""


class HostKeyMismatch(CollectorError):
    """The device presented a host key different from the one on record."""


class CommandTimeout(CollectorError):
    """The device stopped answering in the middle of a command."""


class ParseError(CollectorError):
    """The device answered, but the output did not have the expected shape."""


class CommandRefused(ParseError):
    """The device refused a command (``% Invalid input``, ``bad command name``, ``command not
    found``) or answered it with nothing: a refusal is never data.  ``command`` is what was sent,
    ``words`` what the device said (``""`` for an empty answer)."""

    def __init__(self, device: str, command: str, words: str) -> None:
        self.command = command
        self.words = words
        said = f"answered {words!r}" if words else "answered nothing"
        super().__init__(device, f"{command!r} refused: the device {said}")


class LabError(NetopsError):
    """The device lab could not start, stop or inject a fault."""


class TopologyError(NetopsError):
    """A topology analysis was asked something the graph cannot answer."""


class BandwidthError(NetopsError):
    """Root of bandwidth-plan errors."""


class PlanError(BandwidthError):
    """The bandwidth plan is inconsistent (numbers in the message)."""


class UnsafeValue(BandwidthError):
    """A user-supplied string cannot be safely placed in a device command."""


class EnforcementError(BandwidthError):
    """Pushing queue configuration to a device failed (after rollback where possible)."""


class AuthError(NetopsError):
    """A user-store operation was refused: unknown user, bad role, duplicate name, bad password."""
