"""One asyncssh server process serving every simulated device of an inventory on loopback.

Each device listens on its own TCP port of ``host`` (default ``127.0.0.1``, port chosen by the OS
unless fixed), with its own in-memory ed25519 host key (stable for the life of the lab; the
``host-key`` fault swaps it).  Password auth checks the inventory credential: the user name from
the credential (a ``+options`` suffix, as netmiko's MikroTik driver sends, is stripped and handed to
the personality), the password resolved from ``password_ref``.

This module is the only place that deals with SSH: echo, CR/LF (``\\r\\n`` is one Enter; asyncssh's
line editor is off), paging (``--More--``) and the session faults (slow, hang, garbage).  Text comes
from the device's :class:`~lab.personality.Personality`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh

from lab.faults import ServerFaults, refusal
from lab.personalities import personality_for
from lab.personality import Personality, SessionContext
from lab.state import DeviceState
from netops.errors import LabError
from netops.inventory.schema import Inventory
from netops.secrets import SecretStore

log = logging.getLogger(__name__)

MORE = " --More-- "
GARBAGE_CHARS = "#$%&*+-/<=>@^_|~0123456789abcdefghijklmnopqrstuvwxyz\x1b[0;1m"


@dataclass
class DeviceRuntime:
    """A device being served: its state, personality, secrets, key, listener and faults."""

    hostname: str
    state: DeviceState
    personality: Personality
    password: str
    host_key: asyncssh.SSHKey
    original_host_key: asyncssh.SSHKey
    port: int = 0
    acceptor: Any = None
    connections: set[asyncssh.SSHServerConnection] = field(default_factory=set)
    faults: ServerFaults = field(default_factory=ServerFaults)
    commands_seen: int = 0


def resolve_passwords(
    inventory: Inventory, secrets: SecretStore, hostnames: Iterable[str]
) -> dict[str, tuple[str, str | None]]:
    """hostname -> (password, enable password or None); :class:`LabError` naming the device and
    the reference when a secret is missing."""
    creds = {c.name: c for c in inventory.credentials}
    out: dict[str, tuple[str, str | None]] = {}
    cache: dict[str, str] = {}

    def get(ref: str, device: str) -> str:
        if ref not in cache:
            try:
                cache[ref] = secrets.resolve(ref).reveal()
            except Exception as exc:
                raise LabError(f"device {device}: {exc}") from None
        return cache[ref]

    for name in hostnames:
        dev = inventory.device(name)
        cred = creds.get(dev.credentials)
        if cred is None:
            raise LabError(f"device {name}: unknown credentials {dev.credentials!r}")
        enable = get(cred.enable_ref, name) if cred.enable_ref else None
        out[name] = (get(cred.password_ref, name), enable)
    return out


class _DeviceSSHServer(asyncssh.SSHServer):
    def __init__(self, runtime: DeviceRuntime) -> None:
        self._rt = runtime
        self._conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        self._rt.connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._conn is not None:
            self._rt.connections.discard(self._conn)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        if self._rt.faults.auth_fail:
            return False
        user = username.split("+", 1)[0]
        return self._rt.personality.check_password(user, password, self._rt.password)


class _Input:
    """Characters from the client, one at a time, with ``\\r\\n`` folded into one Enter."""

    def __init__(self, process: asyncssh.SSHServerProcess[str]) -> None:
        self._process = process
        self._chars: deque[str] = deque()
        self._prev_cr = False

    def buffered(self) -> bool:
        """Whether more typed characters are waiting (no need to flush echo yet)."""
        return bool(self._chars)

    async def getch(self) -> str | None:
        """The next character (``"\\r"`` for Enter), or None at end of input."""
        while True:
            while not self._chars:
                try:
                    data = await self._process.stdin.read(4096)
                except (asyncssh.BreakReceived, asyncssh.SignalReceived):
                    continue
                except (asyncssh.Error, OSError, asyncio.IncompleteReadError):
                    return None
                if not data:
                    return None
                self._chars.extend(data)
            ch = self._chars.popleft()
            if ch == "\n" and self._prev_cr:
                self._prev_cr = False
                continue
            self._prev_cr = ch == "\r"
            return "\r" if ch == "\n" else ch


class LabServer:
    """Serves ``runtimes`` (built by :class:`lab.api.Lab`) on ``host``; run on one event loop."""

    def __init__(self, runtimes: dict[str, DeviceRuntime], host: str = "127.0.0.1") -> None:
        self.runtimes = runtimes
        self.host = host

    async def start(self, ports: dict[str, int] | None = None) -> None:
        """Open every device's listener (port 0 = any free port unless ``ports`` fixes one)."""
        for name, rt in self.runtimes.items():
            rt.port = (ports or {}).get(name, 0)
            await self.listen(rt)

    async def listen(self, rt: DeviceRuntime) -> None:
        try:
            rt.acceptor = await asyncssh.create_server(
                lambda: _DeviceSSHServer(rt),
                self.host,
                rt.port,
                server_host_keys=[rt.host_key],
                process_factory=lambda process: self._session(rt, process),
                line_editor=False,
                encoding="utf-8",
                errors="replace",
                reuse_address=True,
                login_timeout=60,
            )
        except OSError as exc:
            raise LabError(
                f"device {rt.hostname}: cannot listen on {self.host}:{rt.port}: {exc}"
            ) from None
        rt.port = rt.acceptor.get_port()

    async def close_listener(self, rt: DeviceRuntime) -> None:
        if rt.acceptor is not None:
            rt.acceptor.close()
            await rt.acceptor.wait_closed()
            rt.acceptor = None

    def drop_sessions(self, rt: DeviceRuntime) -> None:
        for conn in list(rt.connections):
            conn.abort()
        rt.connections.clear()

    async def restart_listener(self, rt: DeviceRuntime) -> None:
        """Close and reopen on the same port (to present a new host key)."""
        await self.close_listener(rt)
        self.drop_sessions(rt)
        await self.listen(rt)

    async def stop(self) -> None:
        for rt in self.runtimes.values():
            await self.close_listener(rt)
            self.drop_sessions(rt)

    # -- one SSH session -------------------------------------------------------------------
    async def _session(self, rt: DeviceRuntime, process: asyncssh.SSHServerProcess[str]) -> None:
        raw_user = str(process.get_extra_info("username") or "")
        user, _, options = raw_user.partition("+")
        persona = rt.personality
        session = persona.new_session(user, options)
        inp = _Input(process)
        try:
            banner = persona.banner()
            if banner:
                await self._write(process, banner if banner.endswith("\n") else banner + "\n")
            await self._write(process, persona.prompt(session))
            buf: list[str] = []
            echo: list[str] = []
            while not session.closed:
                ch = await inp.getch()
                if ch is None:
                    break
                if ch == "\r":
                    line = "".join(buf)
                    buf.clear()
                    await self._write(process, "".join(echo) + "\n")
                    echo.clear()
                    session.echo = True
                    if not await self._command(rt, session, line, process, inp):
                        return
                    if session.closed:
                        break
                    await self._write(process, persona.prompt(session))
                elif ch in ("\x7f", "\x08"):
                    if buf:
                        buf.pop()
                        if echo:
                            echo.pop()
                        elif session.echo:
                            await self._write(process, "\b \b")
                elif ch == "\x03":
                    buf.clear()
                    echo.clear()
                    await self._write(process, "^C\n" + persona.prompt(session))
                elif ch == "\x1a" and rt.state.platform == "cisco_ios":
                    buf.clear()
                    await self._write(process, "^Z\n")
                    await self._command(rt, session, "end", process, inp)
                    await self._write(process, persona.prompt(session))
                elif ch >= " " or ch == "\t":
                    buf.append(ch)
                    if session.echo:
                        echo.append(ch)
                if echo and not inp.buffered():
                    # Echo typed text in one write per burst, as soon as the burst is consumed.
                    await self._write(process, "".join(echo))
                    echo.clear()
        except (asyncssh.Error, OSError, BrokenPipeError, ConnectionError):
            return
        finally:
            # Writing to a connection the client already dropped only makes asyncio complain.
            if not process.is_closing():
                try:
                    process.exit(0)
                except (asyncssh.Error, OSError):
                    pass

    async def _command(
        self,
        rt: DeviceRuntime,
        session: SessionContext,
        line: str,
        process: asyncssh.SSHServerProcess[str],
        inp: _Input,
    ) -> bool:
        """Run one line and write its output; False when the session must end (hang fault)."""
        faults = rt.faults
        is_command = bool(line.strip())
        refused = refusal(faults, rt.state.platform, line, rt.personality.prompt(session))
        try:
            output = refused if refused is not None else rt.personality.handle(line, session)
        except Exception:  # a personality bug must not kill the server: answer like a device
            log.exception("lab %s: personality failed on %r", rt.hostname, line)
            output = "% Internal error\n"
        if is_command:
            rt.commands_seen += 1
            if faults.delay_s or faults.jitter_s:
                await asyncio.sleep(faults.delay_s + rt.state.rng.uniform(0, faults.jitter_s))
            if faults.garbage:
                output = _garbage(rt, output)
            if faults.hang_after is not None:
                if faults.hang_after <= 0:
                    await self._write(process, output[: max(1, len(output) // 2)])
                    await _wait_until_closed(inp)
                    return False
                faults.hang_after -= 1
        if output and not output.endswith("\n"):
            output += "\n"
        await self._paged(process, session, output, inp)
        return True

    async def _paged(
        self,
        process: asyncssh.SSHServerProcess[str],
        session: SessionContext,
        output: str,
        inp: _Input,
    ) -> None:
        page = session.terminal_length
        lines = output.splitlines(keepends=True)
        if page <= 1 or len(lines) < page:
            await self._write(process, output)
            return
        i = 0
        while i < len(lines):
            step = page - 1
            await self._write(process, "".join(lines[i : i + step]))
            i += step
            if i >= len(lines):
                break
            await self._write(process, MORE)
            key = await inp.getch()
            await self._write(process, "\b" * len(MORE) + " " * len(MORE) + "\b" * len(MORE))
            if key is None or key in ("q", "Q", "\x03"):
                break
            if key == "\r":
                page = 2  # Enter shows one more line at a time
            else:
                page = session.terminal_length

    @staticmethod
    async def _write(process: asyncssh.SSHServerProcess[str], text: str) -> None:
        if not text:
            return
        if process.is_closing() or _transport_closing(process):
            raise ConnectionError("the client closed the session")
        process.stdout.write(text.replace("\r\n", "\n").replace("\n", "\r\n"))
        if len(text) > 8192:
            await process.stdout.drain()


def _transport_closing(process: asyncssh.SSHServerProcess[str]) -> bool:
    # asyncssh notices a dropped TCP connection only when it next reads; the socket transport
    # knows after the first failed send.  Checking it avoids a burst of doomed writes.
    conn = process.get_extra_info("connection")
    transport = getattr(conn, "_transport", None)
    return bool(transport is not None and transport.is_closing())


def _garbage(rt: DeviceRuntime, output: str) -> str:
    rng = rt.state.rng
    lines = max(3, output.count("\n"))
    return "\n".join(
        "".join(rng.choice(GARBAGE_CHARS) for _ in range(rng.randint(10, 70))) for _ in range(lines)
    )


async def _wait_until_closed(inp: _Input) -> None:
    """Swallow input until the client gives up and closes the session."""
    while await inp.getch() is not None:
        pass


def new_host_key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ssh-ed25519")


def kept_host_key(directory: Path, hostname: str) -> asyncssh.SSHKey:
    """The host key of ``hostname`` kept in ``directory`` (OpenSSH format, mode 0600), made on
    first use: a device keeps its key across lab restarts, so clients' known-hosts stay valid."""
    path = directory / f"{hostname}.key"
    try:
        return asyncssh.import_private_key(path.read_bytes())
    except FileNotFoundError:
        pass
    except (OSError, asyncssh.KeyImportError) as exc:
        raise LabError(
            f"{path}: not a readable host key ({exc}); remove it to make a new one"
        ) from None
    key = new_host_key()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{hostname}-")
    with os.fdopen(fd, "wb") as fh:  # mkstemp files are 0600
        fh.write(key.export_private_key())
    os.replace(tmp, path)
    return key


def make_runtime(
    state: DeviceState,
    password: str,
    enable_password: str | None = None,
    host_key: asyncssh.SSHKey | None = None,
) -> DeviceRuntime:
    """A runtime for ``state`` with its platform's personality and ``host_key`` (default: a
    fresh one)."""
    # IOS's `enable` asks for this; without an enable_ref it is the login password.
    state.extra["enable_password"] = enable_password if enable_password is not None else password
    persona = personality_for(state.platform)(state)
    key = host_key or new_host_key()
    return DeviceRuntime(
        hostname=state.hostname,
        state=state,
        personality=persona,
        password=password,
        host_key=key,
        original_host_key=key,
    )
