"""open_session's guards that need no simulator: loopback-only refusal and error translation."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from collectors.connect import check_endpoint, open_session
from netops.endpoints import Endpoint, require_loopback, resolve_endpoint
from netops.errors import DeviceUnreachable, LabError
from netops.inventory.loader import load_inventory
from netops.secrets import SecretStore
from netops.settings import Settings
from tests.helpers import MINI


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, loopback_only=True, device_timeout_s=3)


@pytest.fixture
def secrets() -> SecretStore:
    return SecretStore({"NETOPS_LAB_PASSWORD": "s3cret-lab"}, {})


def _core1():  # type: ignore[no-untyped-def]
    inv = load_inventory(MINI).inventory
    return inv.device("core1"), inv.credentials[0]


def test_loopback_only_refuses_management_address_without_opening_a_socket(
    settings: Settings, secrets: SecretStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    device, cred = _core1()
    opened: list[object] = []
    real_socket = socket.socket

    def spy(*args: object, **kwargs: object) -> socket.socket:
        opened.append(args)
        return real_socket(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "socket", spy)
    with pytest.raises(DeviceUnreachable, match=r"core1: refusing to connect to 10\.255\.0\.1"):
        open_session(device, cred, secrets, Endpoint("10.255.0.1", 22), settings)
    assert opened == []


@pytest.mark.parametrize("host", ["8.8.8.8", "192.168.1.1", "example.org", "::1"])
def test_loopback_only_rejects_every_non_loopback_host(settings: Settings, host: str) -> None:
    with pytest.raises(DeviceUnreachable, match="loopback"):
        check_endpoint("core1", Endpoint(host, 22), settings)


def test_loopback_addresses_are_accepted_and_localhost_needs_no_dns(settings: Settings) -> None:
    assert check_endpoint("d", Endpoint("127.0.0.1", 22), settings) == "127.0.0.1"
    assert check_endpoint("d", Endpoint("127.5.6.7", 22), settings) == "127.5.6.7"
    assert check_endpoint("d", Endpoint("localhost", 22), settings) == "127.0.0.1"


def test_management_address_is_refused_by_default_and_passed_only_in_real_network_mode(
    tmp_path: Path,
) -> None:
    default = Settings(data_dir=tmp_path)
    with pytest.raises(DeviceUnreachable, match=r"refusing to connect to 10\.255\.0\.1:22"):
        check_endpoint("d", Endpoint("10.255.0.1", 22), default)
    chosen = Settings(data_dir=tmp_path, real_network=True)
    assert check_endpoint("d", Endpoint("10.255.0.1", 22), chosen) == "10.255.0.1"
    guarded = Settings(data_dir=tmp_path, real_network=True, loopback_only=True)
    with pytest.raises(DeviceUnreachable, match="loopback_only"):
        check_endpoint("d", Endpoint("10.255.0.1", 22), guarded)


def test_device_missing_from_the_lab_map_is_refused_not_sent_to_its_management_address() -> None:
    device, _cred = _core1()
    with pytest.raises(DeviceUnreachable, match="core1: not in the lab connection map"):
        resolve_endpoint(device, {"dist1": Endpoint("127.0.0.1", 40001)})
    assert resolve_endpoint(device, {"core1": Endpoint("127.0.0.1", 40001)}).port == 40001
    # no map at all is real-network mode: the inventory's address (check_endpoint then decides)
    assert resolve_endpoint(device, None).host == str(device.mgmt_address)


@pytest.mark.parametrize("host", ["10.0.0.1", "127.0.0.1.example.org", "127.1", "localhost", "::1"])
def test_lab_host_accepts_only_literal_ipv4_loopback(host: str) -> None:
    with pytest.raises(LabError, match="loopback only"):
        require_loopback(host)
    assert require_loopback(" 127.0.0.9 ") == "127.0.0.9"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_closed_port_is_reported_as_unreachable_naming_device_and_port(
    settings: Settings, secrets: SecretStore
) -> None:
    device, cred = _core1()
    port = _free_port()
    with pytest.raises(DeviceUnreachable, match=rf"core1: no SSH session with 127\.0\.0\.1:{port}"):
        open_session(device, cred, secrets, Endpoint("127.0.0.1", port), settings)


@pytest.fixture
def garbage_server() -> Iterator[int]:
    """A TCP server that answers with non-SSH bytes and closes."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    stop = threading.Event()

    def serve() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                c, _ = srv.accept()
            except OSError:
                continue
            c.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n" * 3)
            c.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield int(srv.getsockname()[1])
    stop.set()
    t.join()
    srv.close()


def test_non_ssh_server_is_unreachable_not_a_crash(
    settings: Settings, secrets: SecretStore, garbage_server: int
) -> None:
    device, cred = _core1()
    with pytest.raises(DeviceUnreachable, match="core1: no SSH session"):
        open_session(device, cred, secrets, Endpoint("127.0.0.1", garbage_server), settings)


def test_missing_password_reference_names_the_reference_not_a_value(settings: Settings) -> None:
    from netops.errors import SecretError

    device, cred = _core1()
    with pytest.raises(SecretError, match="NETOPS_LAB_PASSWORD"):
        open_session(device, cred, SecretStore({}, {}), Endpoint("127.0.0.1", 1), settings)
