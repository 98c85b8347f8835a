"""SSH host keys on record: trust on first use by default, strict on request.

Keys are stored per *inventory device name*, not per address, because the lab (and DHCP'd
management networks) move devices between addresses and ports while the device stays the same.
The file uses the OpenSSH known_hosts line format, one device per line::

    core1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK...

Many threads and processes poll at once, so every read-modify-write of the file happens under a
thread lock and an ``fcntl`` lock on a side file, and the file is replaced atomically.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import paramiko

from netops.errors import HostKeyMismatch

_STORES: dict[Path, HostKeyStore] = {}
_STORES_LOCK = threading.Lock()


class HostKeyUnknown(HostKeyMismatch):
    """Strict host-key checking is on and the device has no key on record."""


class HostKeyStore:
    """A known-hosts file keyed by device name. Use :meth:`for_path` to share one per file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    @classmethod
    def for_path(cls, path: Path) -> HostKeyStore:
        """The process-wide store for ``path`` (one thread lock per file)."""
        key = path.resolve()
        with _STORES_LOCK:
            store = _STORES.get(key)
            if store is None:
                store = _STORES[key] = cls(key)
            return store

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(f"{self.path}.lock", "a") as lock_fh:
            fcntl.flock(lock_fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_fh.fileno(), fcntl.LOCK_UN)

    def _read(self) -> dict[str, tuple[str, str]]:
        entries: dict[str, tuple[str, str]] = {}
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return entries
        for raw in text.splitlines():
            parts = raw.split()
            if len(parts) >= 3 and not parts[0].startswith("#"):
                entries[parts[0]] = (parts[1], parts[2])
        return entries

    def _write(self, entries: dict[str, tuple[str, str]]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".known_hosts-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for name in sorted(entries):
                key_type, key_b64 = entries[name]
                fh.write(f"{name} {key_type} {key_b64}\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)

    def lookup(self, name: str) -> tuple[str, str] | None:
        """``(key_type, base64)`` on record for device ``name``, or None."""
        with self._locked():
            return self._read().get(name)

    def check(self, name: str, key_type: str, key_b64: str, *, strict: bool) -> bool:
        """Accept the key ``name`` presented; return True when it was newly recorded (TOFU).

        Raises :class:`HostKeyMismatch` when a different key is on record, and
        :class:`HostKeyUnknown` when none is and ``strict`` is set.
        """
        with self._locked():
            entries = self._read()
            known = entries.get(name)
            if known is None:
                if strict:
                    raise HostKeyUnknown(
                        name,
                        f"no host key on record in {self.path} and strict host-key checking is on",
                    )
                entries[name] = (key_type, key_b64)
                self._write(entries)
                return True
            if known != (key_type, key_b64):
                raise HostKeyMismatch(
                    name,
                    f"host key changed: presented {key_type} {_fingerprint(key_b64)}, "
                    f"on record {known[0]} {_fingerprint(known[1])} in {self.path}; "
                    f"if the change is expected, remove the line for {name!r} from that file",
                )
            return False

    def forget(self, name: str) -> bool:
        """Drop the key on record for ``name`` (an operator accepted a replaced device)."""
        with self._locked():
            entries = self._read()
            if entries.pop(name, None) is None:
                return False
            self._write(entries)
            return True


def _fingerprint(key_b64: str) -> str:
    import base64
    import hashlib

    try:
        digest = hashlib.sha256(base64.b64decode(key_b64)).digest()
    except ValueError:
        return "(unreadable key)"
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


class DeviceKeyPolicy(paramiko.MissingHostKeyPolicy):
    """paramiko policy that checks every presented key against a :class:`HostKeyStore`.

    It is always consulted because the client is given no known-hosts of its own.
    """

    def __init__(self, store: HostKeyStore, device: str, *, strict: bool) -> None:
        self.store = store
        self.device = device
        self.strict = strict
        self.newly_trusted = False

    def missing_host_key(self, client: Any, hostname: str, key: Any) -> None:
        self.newly_trusted = self.store.check(
            self.device, key.get_name(), key.get_base64(), strict=self.strict
        )
