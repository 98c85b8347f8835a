"""Shared fixtures: databases (SQLite file and PostgreSQL) and the device lab plugin.

Database fixtures for every component (collectors, bandwidth, web UI):

- ``db_url``: a SQLAlchemy URL for an empty database, parametrized over ``sqlite`` (a fresh file
  under ``tmp_path``) and ``postgres`` (database ``test`` on 127.0.0.1:5432, trust auth, a fresh
  schema per test selected through ``options=-csearch_path=...`` so pytest-xdist workers never
  collide; the schema is dropped afterwards).  The postgres case carries the ``postgres`` marker
  and is skipped, with the reason, only when no server answers.  Run one backend with
  ``-k sqlite`` or ``-m "not postgres"``.
- ``engine``: ``netops.storage.db.make_engine(db_url)`` upgraded to every Alembic head, so your
  tables exist once your revision (down_revision "0001") is in ``netops/migrations/versions``.
- ``session``: a ``Session`` on ``engine``; closed (uncommitted work rolled back) after the test.
- ``sqlite_url``: like ``db_url`` but SQLite only, for tests that need no second backend.
- ``sqlite_engine``: an engine on ``sqlite_url`` upgraded to every head, disposed afterwards
  (the collectors' lab tests write a cycle to it the way a deployment's embedded SQLite would).
- ``mini_copy``: a private copy of tests/fixtures/mini-inventory.yaml in ``tmp_path`` (named
  ``inventory.yaml``) for tests that edit the file or let a command write to it.

Plain helpers (paths, netmiko sessions to lab devices, bounded waits) are in ``tests/helpers.py``.

Example::

    def test_rate_rows_survive_a_restart(engine, session):
        session.add(Sample(...)); session.commit()
"""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

pytest_plugins = ["lab.pytest_plugin"]

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_DATABASE = "test"

_pg_user: str | None = None
_pg_probe_error: str | None = None
_pg_probed = False


def _postgres_user() -> str:
    """The first user that can log in to the test server; skips the test if none can."""
    global _pg_user, _pg_probe_error, _pg_probed
    if not _pg_probed:
        import psycopg

        _pg_probed = True
        errors = []
        for user in ("postgres", getpass.getuser()):
            try:
                with psycopg.connect(
                    host=PG_HOST, port=PG_PORT, dbname=PG_DATABASE, user=user, connect_timeout=3
                ):
                    _pg_user = user
                    break
            except psycopg.Error as exc:
                errors.append(f"{user}: {str(exc).strip()}")
        if _pg_user is None:
            _pg_probe_error = "; ".join(errors)
    if _pg_user is None:
        pytest.skip(
            f"no PostgreSQL server answers on {PG_HOST}:{PG_PORT} db {PG_DATABASE} "
            f"({_pg_probe_error})"
        )
    return _pg_user


def _pg_admin(user: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        host=PG_HOST, port=PG_PORT, dbname=PG_DATABASE, user=user, autocommit=True
    ) as conn:
        conn.execute(sql)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a fresh SQLite file in this test's temporary directory."""
    return f"sqlite:///{tmp_path / 'netops.db'}"


def _upgraded_engine(url: str) -> Iterator[Engine]:
    from netops.storage.db import make_engine, upgrade

    eng = make_engine(url)
    try:
        upgrade(eng)
        yield eng
    finally:
        eng.dispose()


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    """An engine on a fresh SQLite file with the schema upgraded to every Alembic head."""
    yield from _upgraded_engine(sqlite_url)


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A copy of the mini inventory at ``tmp_path / "inventory.yaml"``."""
    from tests.helpers import MINI

    path = tmp_path / "inventory.yaml"
    path.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database: a SQLite file, or a private PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'netops.db'}"
        return
    user = _postgres_user()
    schema = f"t_{uuid.uuid4().hex}"
    _pg_admin(user, f'CREATE SCHEMA "{schema}"')
    try:
        yield (
            f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{PG_DATABASE}"
            f"?options=-csearch_path%3D{schema}"
        )
    finally:
        _pg_admin(user, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on ``db_url`` with the schema upgraded to every Alembic head."""
    yield from _upgraded_engine(db_url)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on ``engine``; closed after the test (uncommitted work is rolled back)."""
    from netops.storage.db import session_factory

    with session_factory(engine)() as s:
        yield s
