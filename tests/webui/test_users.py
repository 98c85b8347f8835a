"""The user store and ``netops user``: roles, argon2 hashes, hashed API tokens, the disabled
flag, language, the audit of changes, the pluggable backend; and ``netops web`` serving."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from netops.auth import User, UserEvent, login
from netops.auth.store import add_user, issue_token, user_for_token
from netops.cli.main import cli
from netops.errors import AuthError
from netops.storage.db import make_engine, session_factory
from tests.helpers import MINI
from tests.webui.data import seed_database


@pytest.fixture
def users_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'users.db'}"
    seed_database(url, MINI, with_usage=False)
    return url


def _session(url: str) -> Session:
    return session_factory(make_engine(url))()


def _run(url: str, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["user", *args, "--database-url", url], input=stdin)
    return result.exit_code, result.output


def test_user_add_list_disable_passwd_and_token(users_db: str) -> None:
    code, out = _run(
        users_db,
        "add",
        "budi",
        "--role",
        "agency",
        "--agency",
        "kec-utara",
        "--language",
        "en",
        "--password-stdin",
        stdin="a-long-password\n",
    )
    assert code == 0, out
    code, out = _run(users_db, "list")
    line = next(ln for ln in out.splitlines() if ln.startswith("budi"))
    assert line.split()[:5] == ["budi", "agency", "kec-utara", "en", "active"]
    with _session(users_db) as s:
        user = s.scalar(select(User).where(User.username == "budi"))
        assert user is not None and user.password_hash.startswith("$argon2id$")
        assert login(s, "budi", "a-long-password") is not None
    code, out = _run(users_db, "passwd", "budi", "--password-stdin", stdin="another-password\n")
    assert code == 0
    code, token = _run(users_db, "token", "budi", "--name", "grafana")
    token = token.strip()
    assert code == 0 and re.fullmatch(r"nx_[A-Za-z0-9_-]{43}", token)
    with _session(users_db) as s:
        assert login(s, "budi", "a-long-password") is None
        assert login(s, "budi", "another-password") is not None
        found = user_for_token(s, token)
        assert found is not None and found.username == "budi"
    code, _ = _run(users_db, "disable", "budi")
    assert code == 0
    with _session(users_db) as s:
        assert login(s, "budi", "another-password") is None
        assert user_for_token(s, token) is None
        events = [e.event for e in s.scalars(select(UserEvent).where(UserEvent.username == "budi"))]
    assert events[:1] == ["user-added"] and "password-changed" in events
    assert "token-created" in events and "disabled" in events and "login-failed" in events
    code, _ = _run(users_db, "disable", "budi", "--enable")
    with _session(users_db) as s:
        assert login(s, "budi", "another-password") is not None


@pytest.mark.parametrize(
    "args, message",
    [
        (["add", "x", "--role", "agency", "--password-stdin"], "needs an agency code"),
        (
            ["add", "x", "--role", "agency", "--agency", "nope", "--password-stdin"],
            "no agency 'nope'",
        ),
        (
            ["add", "x", "--role", "engineer", "--agency", "rsud", "--password-stdin"],
            "only agency users",
        ),
        (["add", "adi", "--role", "admin", "--password-stdin"], "exists already"),
        (["add", "bad name", "--role", "admin", "--password-stdin"], "invalid user name"),
        (["passwd", "ghost", "--password-stdin"], "no user 'ghost'"),
        (["disable", "ghost"], "no user 'ghost'"),
    ],
)
def test_user_commands_refuse_with_a_clear_message(
    users_db: str, args: list[str], message: str
) -> None:
    code, out = _run(users_db, *args, stdin="a-long-password\n")
    assert code == 1 and message in out, out


def test_short_passwords_are_refused(users_db: str) -> None:
    code, out = _run(users_db, "add", "x", "--role", "admin", "--password-stdin", stdin="short\n")
    assert code == 1 and "at least 10" in out


def test_unknown_role_is_a_usage_error(users_db: str) -> None:
    code, _ = _run(users_db, "add", "x", "--role", "planner", "--password-stdin", stdin="x" * 12)
    assert code == 2


def test_tokens_are_stored_as_sha256_only(users_db: str) -> None:
    with _session(users_db) as s:
        issued = issue_token(s, "adi", "t")
        s.commit()
    raw = Path(users_db.removeprefix("sqlite:///")).read_bytes()
    assert issued.token.encode() not in raw


def test_a_second_backend_can_authenticate_users_without_a_password_hash(users_db: str) -> None:
    class Directory:
        """Stands in for an LDAP bind: knows one person and their password."""

        name = "ldap"

        def authenticate(self, session: Session, username: str, password: str) -> User | None:
            user = session.scalar(select(User).where(User.username == username))
            if user is None or user.backend != self.name or password != "directory-pass":
                return None
            return user

    with _session(users_db) as s:
        user = add_user(s, "dewi", "engineer", None)
        user.backend = "ldap"
        s.commit()
        from netops.auth import LocalBackend

        backends = (LocalBackend(), Directory())
        assert login(s, "dewi", "directory-pass", backends=backends) is not None
        assert login(s, "dewi", "directory-pass") is None  # the local backend alone refuses
        assert login(s, "dewi", "", backends=backends) is None


def test_add_user_refuses_an_unknown_language(users_db: str) -> None:
    with _session(users_db) as s, pytest.raises(AuthError, match="language"):
        add_user(s, "x", "admin", "a-long-password", language="fr")


def test_netops_web_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETOPS_")}
    env["NETOPS_DATA_DIR"] = str(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "netops.cli.main", "web", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1 and "NETOPS_SECRET_KEY" in proc.stderr


def test_netops_web_serves_the_login_page_on_loopback(tmp_path: Path) -> None:
    import urllib.request

    env = {k: v for k, v in os.environ.items() if not k.startswith("NETOPS_")}
    env.update(
        NETOPS_DATA_DIR=str(tmp_path),
        NETOPS_SECRET_KEY="k" * 32,
        NETOPS_INVENTORY=str(MINI),
        PYTHONUNBUFFERED="1",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "netops.cli.main", "web", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line + (proc.stderr.read() if proc.poll() is not None and proc.stderr else "")
        with urllib.request.urlopen(f"http://127.0.0.1:{match.group(1)}/login", timeout=30) as r:
            assert r.status == 200 and "Masuk" in r.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_user_store_works_on_every_database_backend(session: Session) -> None:
    """The ``engine``/``session`` fixtures run this on SQLite and on PostgreSQL."""
    from netops.inventory.loader import load_inventory
    from netops.storage.sync import sync_inventory

    sync_inventory(session, load_inventory(MINI).inventory, source="mini", sha256="0" * 64)
    add_user(session, "ana", "agency", "a-long-password", agency_code="rsud")
    session.commit()
    user = login(session, "ana", "a-long-password", remote_addr="127.0.0.1")
    assert user is not None and user.agency_code == "rsud" and user.last_login_at is not None
    issued = issue_token(session, "ana", "ci")
    session.commit()
    found = user_for_token(session, issued.token)
    assert found is not None and found.username == "ana"
    events = session.scalars(select(UserEvent.event).where(UserEvent.username == "ana")).all()
    assert list(events) == ["user-added", "login", "token-created"]
