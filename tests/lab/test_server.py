"""The SSH server itself: CR/LF, echo, paging, login names, sharding, loopback-only."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import paramiko
import pytest

from lab.api import Lab
from lab.synth import synthetic_inventory
from netops.errors import LabError
from netops.inventory.schema import Inventory
from netops.secrets import SecretStore
from tests.helpers import netmiko_to, wait_until

pytestmark = pytest.mark.lab


@pytest.fixture
def lab(lab_factory: Callable[..., Lab], mini_inventory: Inventory) -> Lab:
    return lab_factory(mini_inventory, devices=["dist1"])


class Shell:
    """A raw interactive channel, as a terminal user (or netmiko) sees it."""

    def __init__(self, lab: Lab, username: str, password: str) -> None:
        ep = lab.endpoints["dist1"]
        self.client = paramiko.SSHClient()
        self.client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        self.client.connect(
            ep.host,
            ep.port,
            username=username,
            password=password,
            look_for_keys=False,
            allow_agent=False,
            timeout=10,
        )
        self.chan = self.client.invoke_shell(width=200, height=50)
        self.chan.settimeout(10)

    def read_until(self, marker: str, timeout_s: float = 10) -> str:
        data = ""
        deadline = time.monotonic() + timeout_s
        while marker not in data:
            if time.monotonic() > deadline:
                raise AssertionError(f"{marker!r} not seen in {data!r}")
            data += self.chan.recv(65536).decode()
        return data

    def settle(self, quiet_s: float = 0.5) -> str:
        """Everything that arrives until the line is quiet for ``quiet_s``."""
        self.chan.settimeout(quiet_s)
        data = ""
        try:
            while True:
                chunk = self.chan.recv(65536).decode()
                if not chunk:
                    break
                data += chunk
        except TimeoutError:
            pass
        self.chan.settimeout(10)
        return data

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def shell(lab: Lab, lab_password: str) -> Iterator[Shell]:
    sh = Shell(lab, "netops", lab_password)
    sh.read_until("dist1>")
    yield sh
    sh.close()


def test_crlf_is_one_enter_and_input_is_echoed(shell: Shell) -> None:
    shell.chan.send(b"show clock\r\n")
    out = shell.read_until("dist1>") + shell.settle()
    assert out.startswith("show clock\r\n")  # echoed, then the output
    assert "WITA" in out
    assert out.count("dist1>") == 1  # \r\n did not count as two Enters


def test_enable_password_is_not_echoed(shell: Shell, lab_password: str) -> None:
    shell.chan.send(b"enable\n")
    shell.read_until("Password: ")
    shell.chan.send(lab_password.encode() + b"\n")
    out = shell.read_until("dist1#")
    assert lab_password not in out


def test_long_output_pages_until_terminal_length_0(shell: Shell) -> None:
    shell.chan.send(b"show interfaces\n")
    first = shell.read_until("--More--")
    assert first.count("\n") <= 25  # a 24-line screen
    shell.chan.send(b" ")
    second = shell.read_until("--More--")
    assert "GigabitEthernet1/0/2" not in first and second
    shell.chan.send(b"q")
    shell.read_until("dist1>")
    shell.chan.send(b"terminal length 0\nshow interfaces\n")
    out = shell.read_until("output buffers swapped out\r\ndist1>", timeout_s=10)
    assert "--More--" not in out


def test_backspace_edits_the_line(shell: Shell) -> None:
    shell.chan.send(b"show clockk\x7f\n")
    out = shell.read_until("dist1>")
    assert "WITA" in out and "Invalid" not in out


def test_login_options_suffix_is_stripped_from_the_user_name(lab: Lab, lab_password: str) -> None:
    sh = Shell(lab, "netops+ct511w4098h", lab_password)
    assert "dist1>" in sh.read_until("dist1>")
    sh.close()
    with pytest.raises(paramiko.AuthenticationException):
        Shell(lab, "other+ct511w4098h", lab_password)


def test_exit_closes_the_session(shell: Shell) -> None:
    shell.chan.send(b"exit\n")
    wait_until(lambda: shell.chan.exit_status_ready() or shell.chan.closed, bool, timeout_s=10)


def test_shards_split_the_devices_without_overlap(
    lab_factory: Callable[..., Lab], mini_inventory: Inventory
) -> None:
    first = lab_factory(mini_inventory, shard=(0, 2))
    second = lab_factory(mini_inventory, shard=(1, 2))
    assert set(first.endpoints) | set(second.endpoints) == {
        d.hostname for d in mini_inventory.devices
    }
    assert not set(first.endpoints) & set(second.endpoints)
    ports = [e.port for e in [*first.endpoints.values(), *second.endpoints.values()]]
    assert len(set(ports)) == len(ports)


def test_the_lab_listens_on_loopback_only(
    mini_inventory: Inventory, lab_secrets: SecretStore
) -> None:
    with pytest.raises(LabError, match="loopback only"):
        Lab(mini_inventory, secrets=lab_secrets, host="0.0.0.0")
    with pytest.raises(LabError, match="loopback only"):
        Lab(mini_inventory, secrets=lab_secrets, host="10.255.0.2")


def test_a_missing_secret_names_the_device_and_the_reference(mini_inventory: Inventory) -> None:
    with pytest.raises(LabError, match="device core1: secret 'NETOPS_LAB_PASSWORD' is not set"):
        Lab(mini_inventory, secrets=SecretStore({}, {}))


def test_synthetic_inventory_builds_a_connected_tree_of_every_platform() -> None:
    inv = synthetic_inventory(40, interfaces_per_device=8)
    assert len(inv.devices) == 40 and len(inv.links) == 39
    assert {str(d.platform) for d in inv.devices} == {"cisco_ios", "mikrotik_routeros", "linux"}
    assert len(inv.agencies) == 39
    with pytest.raises(LabError, match="interfaces_per_device must be at least 6"):
        synthetic_inventory(10, interfaces_per_device=3)


@pytest.mark.slow
def test_a_hundred_devices_each_answer_on_their_own_port(
    lab_factory: Callable[..., Lab], lab_password: str
) -> None:
    inv = synthetic_inventory(100, interfaces_per_device=6, platforms=("cisco_ios",))
    big = lab_factory(inv)
    ports = {e.port for e in big.endpoints.values()}
    assert len(ports) == 100
    for name in ("sw0000", "sw0057", "sw0099"):
        ep = big.endpoints[name]
        client = paramiko.SSHClient()
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        client.connect(
            ep.host,
            ep.port,
            username="netops",
            password=lab_password,
            look_for_keys=False,
            allow_agent=False,
            timeout=10,
        )
        chan = client.invoke_shell()
        chan.settimeout(10)
        data = ""
        while ">" not in data:
            data += chan.recv(4096).decode()
        assert f"{name}>" in data
        client.close()


def test_mini_lab_serves_every_inventory_device_to_netmiko(
    mini_lab: Lab, mini_inventory: Inventory, lab_password: str
) -> None:
    prompts = {}
    for device in mini_inventory.devices:
        conn = netmiko_to(mini_lab, device.hostname, lab_password)
        prompts[device.hostname] = conn.find_prompt()
        conn.disconnect()
    assert prompts["dist1"] == "dist1>"
    assert all(device in prompt for device, prompt in prompts.items())


def test_synthetic_inventory_default_port_count_is_the_smallest_that_makes_a_tree() -> None:
    inv = synthetic_inventory(20)
    assert len(inv.devices) == 20
    assert {len(d.interfaces) for d in inv.devices} == {6}
