"""Secrets stay what was written: the secrets file is read as strings, never retyped by YAML."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from netops.cli.demo import _demo_secrets
from netops.errors import SecretError
from netops.secrets import SecretStore
from tests.helpers import MINI


def _file(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "secrets.yaml"
    path.write_text(text)
    os.chmod(path, mode)
    return path


@pytest.mark.parametrize(
    ("written", "meant"),
    [("012345", "012345"), ("yes", "yes"), ("null", "null"), ("1e3", "1e3"), ("22:22", "22:22"),
     ("'quoted: x'", "quoted: x"), ("0x1F", "0x1F"), ("~", "~")],
)  # fmt: skip
def test_secrets_file_values_are_the_strings_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str, meant: str
) -> None:
    monkeypatch.delenv("PW", raising=False)
    store = SecretStore.from_env(_file(tmp_path, f"PW: {written}\n"))
    assert store.resolve("PW").reveal() == meant


@pytest.mark.parametrize("value", ["", "[a, b]", "{a: 1}"])
def test_a_value_that_is_not_a_string_is_refused_naming_the_key_not_the_value(
    tmp_path: Path, value: str
) -> None:
    with pytest.raises(SecretError, match=r"the value of 'PW' must be a non-empty string") as info:
        SecretStore.from_env(_file(tmp_path, f"OK: fine\nPW: {value}\n"))
    assert "fine" not in str(info.value)


def test_secrets_file_readable_by_others_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="netops.secrets"):
        SecretStore.from_env(_file(tmp_path, "PW: x\n", mode=0o644))
    assert "readable by others (mode 0644)" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="netops.secrets"):
        SecretStore.from_env(_file(tmp_path, "PW: x\n", mode=0o600))
    assert caplog.text == ""


def test_demo_fixes_the_mode_of_an_existing_secrets_file_and_keeps_its_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NETOPS_LAB_PASSWORD", raising=False)
    data = tmp_path / "data"
    data.mkdir()
    old = data / "demo-secrets.yaml"
    old.write_text("NETOPS_LAB_PASSWORD: '012345'\n")
    os.chmod(old, 0o644)
    path = _demo_secrets(MINI, data)
    assert path.stat().st_mode & 0o077 == 0
    assert SecretStore.from_env(path).resolve("NETOPS_LAB_PASSWORD").reveal() == "012345"
