"""The known-hosts store: trust on first use, mismatch detection, strict mode, concurrency."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from collectors.hostkeys import HostKeyStore, HostKeyUnknown
from netops.errors import HostKeyMismatch

KEY_A = "AAAAC3NzaC1lZDI1NTE5AAAAIEFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"
KEY_B = "AAAAC3NzaC1lZDI1NTE5AAAAIEJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJC"


def test_first_key_is_recorded_and_the_same_key_is_accepted_later(tmp_path: Path) -> None:
    store = HostKeyStore(tmp_path / "known_hosts")
    assert store.check("core1", "ssh-ed25519", KEY_A, strict=False) is True
    assert store.check("core1", "ssh-ed25519", KEY_A, strict=False) is False
    assert store.lookup("core1") == ("ssh-ed25519", KEY_A)
    assert (tmp_path / "known_hosts").stat().st_mode & 0o777 == 0o600


def test_changed_key_is_refused_with_both_fingerprints_and_record_kept(tmp_path: Path) -> None:
    store = HostKeyStore(tmp_path / "known_hosts")
    store.check("core1", "ssh-ed25519", KEY_A, strict=False)
    with pytest.raises(HostKeyMismatch, match=r"core1: host key changed: presented .*SHA256:") as e:
        store.check("core1", "ssh-ed25519", KEY_B, strict=False)
    assert "on record ssh-ed25519 SHA256:" in str(e.value)
    assert store.lookup("core1") == ("ssh-ed25519", KEY_A)


def test_strict_mode_refuses_unknown_device_and_records_nothing(tmp_path: Path) -> None:
    store = HostKeyStore(tmp_path / "known_hosts")
    with pytest.raises(HostKeyUnknown, match="strict"):
        store.check("core1", "ssh-ed25519", KEY_A, strict=True)
    assert store.lookup("core1") is None


def test_forget_lets_a_replaced_device_be_trusted_again(tmp_path: Path) -> None:
    store = HostKeyStore(tmp_path / "known_hosts")
    store.check("core1", "ssh-ed25519", KEY_A, strict=False)
    assert store.forget("core1") is True
    assert store.check("core1", "ssh-ed25519", KEY_B, strict=False) is True


def test_concurrent_first_use_by_many_threads_loses_no_device(tmp_path: Path) -> None:
    path = tmp_path / "known_hosts"
    stores = [HostKeyStore(path) for _ in range(4)]  # separate objects: the file lock must hold

    def trust(i: int) -> None:
        stores[i % 4].check(f"dev{i}", "ssh-ed25519", KEY_A, strict=False)

    threads = [threading.Thread(target=trust, args=(i,)) for i in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = path.read_text().splitlines()
    assert sorted(line.split()[0] for line in lines) == sorted(f"dev{i}" for i in range(60))


def test_for_path_shares_one_store_per_file(tmp_path: Path) -> None:
    a = HostKeyStore.for_path(tmp_path / "kh")
    b = HostKeyStore.for_path(tmp_path / "." / "kh")
    assert a is b
