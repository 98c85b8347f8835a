"""What every driver does with its one open netmiko session: run a command, feed parsers, close.

A driver subclasses :class:`SessionCollector` and writes each getter as the commands it needs and
the pure parser that reads them (``self._parse(p.parse_facts, CMD_A, CMD_B)``), so session
handling, error translation, refusal checks, the per-cycle deadline and the liveness check live
here once.

Every output goes through :func:`collectors.refusals.check_output`: a refused or empty answer
raises :class:`~netops.errors.CommandRefused` (a refusal is never data).  ``deadline_s`` (a
``time.monotonic()`` instant set by the engine for the device's cycle) bounds every read: a
command never waits past it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from collectors.base import Collector
from collectors.connect import close_session, send_command, session_alive
from collectors.refusals import check_output
from netops.errors import CommandTimeout

T = TypeVar("T")


class SessionCollector(Collector):
    """A :class:`~collectors.base.Collector` over one open session ``conn`` to ``device``."""

    def __init__(self, conn: Any, device: str) -> None:
        self.conn = conn
        self.device = device
        self.deadline_s: float | None = None

    def read_timeout_s(self, command: str) -> float | None:
        """Seconds ``command`` may wait for its prompt: the session's own timeout, cut to what is
        left before :attr:`deadline_s`; :class:`CommandTimeout` when nothing is left."""
        if self.deadline_s is None:
            return None
        left = self.deadline_s - time.monotonic()
        if left <= 0.05:
            raise CommandTimeout(
                self.device, f"the device's deadline for this cycle passed before {command!r}"
            )
        own = getattr(self.conn, "read_timeout_override", None)
        return min(float(own), left) if own else left

    def _run_raw(self, command: str) -> str:
        """One command's output as the device printed it (refusals included)."""
        return send_command(
            self.conn, self.device, command, read_timeout_s=self.read_timeout_s(command)
        )

    def _run(self, command: str, *, may_be_empty: bool = False) -> str:
        """One command's output.  Raises :class:`~netops.errors.CommandTimeout`,
        :class:`~netops.errors.DeviceUnreachable`, :class:`~netops.errors.CommandRefused` (the
        device refused it, or answered nothing unless ``may_be_empty``) or
        :class:`~netops.errors.ParseError`."""
        text = self._run_raw(command)
        return check_output(self.device, self.platform, command, text, may_be_empty=may_be_empty)

    def _parse(self, parser: Callable[..., T], *commands: str) -> T:
        """``parser(device, output of commands[0], output of commands[1], ...)``, the commands
        run in order; raises what :meth:`_run` and the parser raise."""
        return parser(self.device, *(self._run(c) for c in commands))

    def is_alive(self) -> bool:
        return session_alive(self.conn)

    def close(self) -> None:
        close_session(self.conn)
