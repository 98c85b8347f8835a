"""The contract of a CLI personality: pure text in, text out, over a :class:`DeviceState`.

A personality makes a simulated device speak one platform's CLI (Cisco IOS, MikroTik RouterOS,
Linux).  It never touches SSH: the server (``lab/server.py``) owns the transport, echo, CR/LF,
paging and the faults (hang, slow, garbage).  One personality instance exists per device and lives
as long as the lab (its configuration survives sessions); one :class:`SessionContext` exists per SSH
session.

The server's loop for a session is::

    session = personality.new_session(username, login_options)
    write(personality.banner()); write(personality.prompt(session))
    for line in lines_typed:                   # CR/LF already stripped
        echo line unless session.echo is False
        out = personality.handle(line, session)
        write(out, ending with a newline if non-empty)   # paged if session.terminal_length > 0
        if session.closed: close the channel
        write(personality.prompt(session))

Output uses ``"\\n"`` line endings; the server turns them into ``"\\r\\n"``.  Unknown input must be
answered the way the real platform answers it (``% Invalid input detected at '^' marker.``,
``bad command name x (line 1 column 2)``, ``bash: x: command not found``).

Example, unit-testable without SSH::

    p = personality_for("cisco_ios")(state)
    s = p.new_session("netops", "")
    p.handle("terminal length 0", s)      # -> ""
    p.prompt(s)                           # -> "dist1>"
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from lab.state import DeviceState, ShapingCap

__all__ = ["Personality", "SessionContext", "ShapingCap"]


@dataclass
class SessionContext:
    """Per-session state.

    ``mode`` is the personality's own name for where the user is (IOS: ``"user"``, ``"enable"``,
    ``"config"``, ``"config-if"``, ...; others may keep ``"shell"``).  ``terminal_length`` is the
    page length in lines (0 = no paging), ``terminal_width`` columns.  ``echo`` False makes the
    server not echo the next line (password prompts).  Setting ``closed`` ends the session after
    the current output (``exit``/``logout``/``quit``).  ``scratch`` is free per-session room
    (e.g. the interface being configured).
    """

    username: str
    login_options: str = ""
    mode: str = "user"
    terminal_length: int = 0
    terminal_width: int = 80
    echo: bool = True
    closed: bool = False
    scratch: dict[str, Any] = field(default_factory=dict)


class Personality(ABC):
    """One platform's CLI for one device.  Subclasses set ``platform`` to the netmiko device type
    (``"cisco_ios"``, ``"mikrotik_routeros"``, ``"linux"``) and register with
    :func:`lab.personalities.register`."""

    platform: ClassVar[str]

    def __init__(self, state: DeviceState) -> None:
        self.state = state

    def new_session(self, username: str, login_options: str = "") -> SessionContext:
        """A fresh session for a user who just logged in.  ``login_options`` is what followed a
        ``+`` in the login name (RouterOS terminal options such as ``ct511w4098h``)."""
        return SessionContext(username=username, login_options=login_options)

    def check_password(self, username: str, password: str, expected_password: str) -> bool:
        """Whether the login is accepted; the server passes the credential's resolved password."""
        return username == self.state.username and password == expected_password

    def banner(self) -> str:
        """Text printed once after login, before the first prompt (may be empty)."""
        return ""

    @abstractmethod
    def prompt(self, session: SessionContext) -> str:
        """The prompt for the session's current mode: ``"dist1#"``, ``"[netops@core1] > "``."""

    @abstractmethod
    def handle(self, line: str, session: SessionContext) -> str:
        """The output of one command line (without the trailing prompt); may change the session
        (mode, terminal settings, closed) and the device's configuration."""

    def shaping_caps(self) -> list[ShapingCap]:
        """The queues configured now, for the traffic model.  Default: no shaping."""
        return []

    def on_reboot(self) -> None:
        """Called when the device reloads (reboot fault): drop unsaved configuration."""
        return None
