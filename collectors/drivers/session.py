"""What every driver does with its one open netmiko session: run a command, feed parsers, close.

A driver subclasses :class:`SessionCollector` and writes each getter as the commands it needs and
the pure parser that reads them (``self._parse(p.parse_facts, CMD_A, CMD_B)``), so session
handling, error translation and the liveness check live here once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from collectors.base import Collector
from collectors.connect import close_session, send_command, session_alive

T = TypeVar("T")


class SessionCollector(Collector):
    """A :class:`~collectors.base.Collector` over one open session ``conn`` to ``device``."""

    def __init__(self, conn: Any, device: str) -> None:
        self.conn = conn
        self.device = device

    def _run(self, command: str) -> str:
        """One command's output.  Raises :class:`~netops.errors.CommandTimeout`,
        :class:`~netops.errors.DeviceUnreachable` or :class:`~netops.errors.ParseError`."""
        return send_command(self.conn, self.device, command)

    def _parse(self, parser: Callable[..., T], *commands: str) -> T:
        """``parser(device, output of commands[0], output of commands[1], ...)``, the commands
        run in order; raises what :meth:`_run` and the parser raise."""
        return parser(self.device, *(self._run(c) for c in commands))

    def is_alive(self) -> bool:
        return session_alive(self.conn)

    def close(self) -> None:
        close_session(self.conn)
