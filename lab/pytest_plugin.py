"""pytest fixtures that start the device lab (registered in tests/conftest.py).

Fixtures (keep these names: collectors and bandwidth tests use them):

``lab_password`` -> str
    A random password for this test, also exported as ``NETOPS_LAB_PASSWORD`` (the password ref
    of tests/fixtures/mini-inventory.yaml) so ``SecretStore.from_env()`` resolves it.
``lab_secrets`` -> netops.secrets.SecretStore
    Resolves every ``*_ref`` to ``lab_password``'s value (any ref name works).
``mini_inventory`` -> netops.inventory.schema.Inventory
    tests/fixtures/mini-inventory.yaml, loaded.
``lab_factory`` -> callable ``(inventory, **kwargs) -> lab.api.Lab``
    Starts a lab (kwargs go to :func:`lab.api.start_lab`: ``seed``, ``clock``, ``devices``...);
    every lab it started is stopped at teardown.  Sets ``NETOPS_LOOPBACK_ONLY=1``.
``mini_lab`` -> lab.api.Lab
    The mini inventory's four devices, running for one test.

Example::

    def test_facts(mini_lab, lab_password):
        ep = mini_lab.endpoints["dist1"]
        conn = ConnectHandler(device_type="cisco_ios", host=ep.host, port=ep.port,
                              username="netops", password=lab_password, secret=lab_password)
"""

from __future__ import annotations

import secrets as _secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from netops.inventory.loader import load_inventory
from netops.inventory.schema import Inventory
from netops.secrets import SecretStore

MINI_INVENTORY = (
    Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "mini-inventory.yaml"
)


class _AnyRef(dict[str, str]):
    """A mapping that answers every key with the same value (all refs resolve to one secret)."""

    def __init__(self, value: str) -> None:
        super().__init__()
        self._value = value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str)

    def __getitem__(self, key: str) -> str:
        return self._value


@pytest.fixture
def lab_password(monkeypatch: pytest.MonkeyPatch) -> str:
    value = "lab-" + _secrets.token_urlsafe(12)
    monkeypatch.setenv("NETOPS_LAB_PASSWORD", value)
    monkeypatch.setenv("NETOPS_LOOPBACK_ONLY", "1")
    return value


@pytest.fixture
def lab_secrets(lab_password: str) -> SecretStore:
    return SecretStore(_AnyRef(lab_password), {})


@pytest.fixture
def mini_inventory() -> Inventory:
    return load_inventory(MINI_INVENTORY).inventory


@pytest.fixture
def lab_factory(lab_secrets: SecretStore) -> Iterator[Callable[..., Any]]:
    from lab.api import Lab, start_lab

    started: list[Lab] = []

    def factory(inventory: Inventory, **kwargs: Any) -> Lab:
        kwargs.setdefault("secrets", lab_secrets)
        lab = start_lab(inventory, **kwargs)
        started.append(lab)
        return lab

    yield factory
    for lab in started:
        lab.stop()


@pytest.fixture
def mini_lab(lab_factory: Callable[..., Any], mini_inventory: Inventory) -> Any:
    return lab_factory(mini_inventory)
