"""Open, use and close one netmiko SSH session to an inventory device.

This is the only place netops opens an SSH session to a device.  It

* refuses, before any packet is sent, an endpoint outside 127.0.0.0/8 unless real-network mode
  was chosen (``settings.real_network``) and ``settings.loopback_only`` is not set;
* resolves the credential's secret at run time (never logged: netmiko's own secrets filter
  is active and our messages never include it);
* bounds every phase with a per-device timeout (TCP connect, banner, auth, each read);
* checks the host key against the known-hosts store (trust on first use, or strict);
* translates netmiko/paramiko/socket errors into :mod:`netops.errors`.

Example::

    conn = open_session(device, credential, SecretStore.from_env(), endpoint, settings)
    try:
        text = send_command(conn, device.hostname, "/system resource print")
    finally:
        close_session(conn)
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

import paramiko
from netmiko import BaseConnection, ConnectHandler
from netmiko.exceptions import (
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
    ReadException,
    ReadTimeout,
)

from collectors.hostkeys import DeviceKeyPolicy, HostKeyStore
from netops.endpoints import Endpoint
from netops.errors import (
    AuthenticationFailed,
    CollectorError,
    CommandTimeout,
    DeviceUnreachable,
    HostKeyMismatch,
    ParseError,
)
from netops.inventory.schema import Credential, Device
from netops.secrets import SecretStore
from netops.settings import Settings

log = logging.getLogger(__name__)

_LOOPBACK = ipaddress.IPv4Network("127.0.0.0/8")


def check_endpoint(device: str, endpoint: Endpoint, settings: Settings) -> str:
    """Return the address to connect to; refuse a non-loopback one in lab mode.

    Lab mode (``settings.real_network`` off, the default) and ``loopback_only`` accept only
    literal IPv4 loopback addresses (and ``localhost``), so no DNS query is sent either.  Raises
    :class:`DeviceUnreachable` naming the device and the address.
    """
    host = endpoint.host.strip()
    if settings.real_network and not settings.loopback_only:
        return host
    if host == "localhost":
        return "127.0.0.1"
    try:
        addr = ipaddress.IPv4Address(host)
    except ValueError:
        raise DeviceUnreachable(
            device,
            f"endpoint {host!r} is not an IPv4 loopback address and {_why(settings)} "
            "(use the lab connection map)",
        ) from None
    if addr not in _LOOPBACK:
        raise DeviceUnreachable(
            device,
            f"refusing to connect to {addr}:{endpoint.port}: {_why(settings)} and the address "
            "is outside 127.0.0.0/8 (use the lab connection map)",
        )
    return host


def _why(settings: Settings) -> str:
    if settings.loopback_only:
        return "loopback_only is set"
    return "lab mode is loopback only (real-network mode not chosen)"


def open_session(
    device: Device,
    credential: Credential,
    secrets: SecretStore,
    endpoint: Endpoint,
    settings: Settings,
    *,
    timeout_s: float | None = None,
    fast_cli: bool = True,
    host_keys: HostKeyStore | None = None,
) -> BaseConnection:
    """Open a netmiko session to ``device`` at ``endpoint``, logged in and ready for commands.

    ``timeout_s`` (default ``settings.device_timeout_s``) bounds each phase: TCP connect, SSH
    banner, authentication and every later read on the session.

    Raises :class:`DeviceUnreachable` (refused, timed out, not loopback in loopback-only mode,
    not an SSH server), :class:`AuthenticationFailed`, :class:`HostKeyMismatch` (also
    :class:`~collectors.hostkeys.HostKeyUnknown` in strict mode), :class:`CommandTimeout` (logged
    in but no prompt in time), :class:`ParseError` (no recognisable prompt) and
    :class:`~netops.errors.SecretError` (password reference not set).
    """
    name = device.hostname
    host = check_endpoint(name, endpoint, settings)
    password = secrets.resolve(credential.password_ref).reveal()
    # Without an enable secret of its own, IOS devices commonly take the login password.
    enable = secrets.resolve(credential.enable_ref).reveal() if credential.enable_ref else password
    timeout = float(timeout_s if timeout_s is not None else settings.device_timeout_s)
    store = host_keys or HostKeyStore.for_path(settings.resolved_known_hosts())
    policy = DeviceKeyPolicy(store, name, strict=settings.strict_host_keys)

    conn: BaseConnection = ConnectHandler(
        device_type=device.platform.value,
        host=host,
        port=endpoint.port,
        username=credential.username,
        password=password,
        secret=enable,
        conn_timeout=timeout,
        banner_timeout=timeout,
        auth_timeout=timeout,
        blocking_timeout=timeout,
        read_timeout_override=timeout,
        session_timeout=timeout,
        timeout=int(max(timeout, 1)),
        fast_cli=fast_cli,
        use_keys=False,
        allow_agent=False,
        system_host_keys=False,
        alt_host_keys=False,
        ssh_config_file=None,
        auto_connect=False,
    )
    # The policy is consulted for every key because the client loads no known-hosts of its own.
    conn.key_policy = policy
    where = f"{host}:{endpoint.port}"
    try:
        conn._modify_connection_params()
        conn.establish_connection()
    except BaseException as exc:
        close_session(conn)
        raise _translate_connect(name, where, credential.username, exc) from None
    if policy.newly_trusted:
        log.info("%s: host key recorded on first use", name)
    try:
        conn._try_session_preparation()
        if device.platform.value == "cisco_ios" and not conn.check_enable_mode():
            conn.enable()  # show running-config and friends need privileged mode
    except BaseException as exc:
        close_session(conn)
        raise translate_error(name, exc, during="logging in") from None
    return conn


def _translate_connect(device: str, where: str, username: str, exc: BaseException) -> BaseException:
    if isinstance(exc, HostKeyMismatch):
        return exc
    if isinstance(exc, (NetmikoAuthenticationException, paramiko.AuthenticationException)):
        return AuthenticationFailed(device, f"{where} refused the credentials of user {username!r}")
    if isinstance(exc, (NetmikoTimeoutException, paramiko.SSHException, OSError, EOFError)):
        detail = " ".join(str(exc).split())[:200] or exc.__class__.__name__
        return DeviceUnreachable(device, f"no SSH session with {where}: {detail}")
    if isinstance(exc, Exception):
        return CollectorError(device, f"connecting to {where} failed: {exc.__class__.__name__}")
    return exc


def translate_error(device: str, exc: BaseException, *, during: str = "") -> BaseException:
    """Map an exception raised while using an open session to :mod:`netops.errors`.

    Already-translated errors and non-``Exception`` errors (KeyboardInterrupt) pass through.
    """
    if isinstance(exc, CollectorError) or not isinstance(exc, Exception):
        return exc
    what = f" while {during}" if during else ""
    if isinstance(exc, ReadTimeout):
        return CommandTimeout(device, f"no prompt{what} before the timeout")
    if isinstance(exc, NetmikoTimeoutException):
        return CommandTimeout(device, f"timed out{what}: {' '.join(str(exc).split())[:160]}")
    if isinstance(exc, (OSError, EOFError, paramiko.SSHException, ReadException)):
        return DeviceUnreachable(device, f"session lost{what}: {exc.__class__.__name__}")
    if isinstance(exc, ValueError):
        # netmiko raises ValueError when it cannot find a prompt it recognises.
        return ParseError(device, f"unrecognised output{what}: {str(exc)[:160]}")
    return CollectorError(device, f"failed{what}: {exc.__class__.__name__}: {str(exc)[:160]}")


def send_command(
    conn: BaseConnection,
    device: str,
    command: str,
    *,
    read_timeout_s: float | None = None,
    **kwargs: Any,
) -> str:
    """Run one show-style command and return its output, prompt stripped.

    netmiko waits for the device prompt, so an output is only returned once the prompt was seen;
    a device that stops answering raises :class:`CommandTimeout`, a dropped session
    :class:`DeviceUnreachable`.  ``command`` must be a fixed string or built from validated names:
    nothing user-supplied reaches it unescaped.
    """
    saved = conn.read_timeout_override
    if read_timeout_s is not None:
        # open_session sets read_timeout_override, which wins over send_command's read_timeout.
        conn.read_timeout_override = read_timeout_s
    try:
        out = conn.send_command(command, **kwargs)
    except BaseException as exc:
        raise translate_error(device, exc, during=f"running {command!r}") from None
    finally:
        conn.read_timeout_override = saved
    if not isinstance(out, str):
        raise ParseError(device, f"{command!r} returned {type(out).__name__}, expected text")
    return out


def session_alive(conn: BaseConnection) -> bool:
    """Cheap health check of an open session (transport up); never raises."""
    try:
        return bool(conn.is_alive())
    except Exception:
        return False


def close_session(conn: BaseConnection) -> None:
    """Close a session; never raises (a dead peer must not break the caller's cleanup)."""
    try:
        conn.disconnect()
    except Exception:
        pass
