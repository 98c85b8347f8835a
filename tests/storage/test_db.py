"""Engine factory, pragmas, migrations: on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from netops.errors import StorageError
from netops.settings import Settings
from netops.storage.db import (
    current_revisions,
    head_revisions,
    make_engine,
    open_database,
    session_factory,
    upgrade,
)
from netops.storage.models import CredentialRef, Device, Group, InventoryRevision, Site

INVENTORY_TABLES = {
    "agency_groups",
    "agencies",
    "quotas",
    "boosts",
    "sites",
    "devices",
    "interfaces",
    "links",
    "uplinks",
    "shapers",
    "credential_refs",
    "inventory_revisions",
}


def test_upgrade_creates_every_inventory_table_and_reaches_all_heads(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert INVENTORY_TABLES <= tables
    assert current_revisions(engine) == head_revisions()


def test_upgrade_twice_is_harmless(engine: Engine) -> None:
    upgrade(engine)
    assert current_revisions(engine) == head_revisions()


def test_fresh_database_has_no_revision_before_upgrade(db_url: str) -> None:
    eng = make_engine(db_url)
    try:
        assert current_revisions(eng) == set()
    finally:
        eng.dispose()


def test_sqlite_connections_have_foreign_keys_on_and_wal(sqlite_url: str) -> None:
    eng = make_engine(sqlite_url)
    try:
        with eng.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        eng.dispose()


def test_foreign_keys_are_enforced(session: Session) -> None:
    session.add(
        Device(
            key="ghost",
            hostname="ghost",
            mgmt_address="127.0.0.1",
            mgmt_port=22,
            platform="linux",
            role="core",
            site_id=999,
            credential_id=999,
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_datetimes_come_back_aware_in_utc(session: Session) -> None:
    wita = timezone(timedelta(hours=8))
    applied = datetime(2026, 6, 1, 8, 0, tzinfo=wita)
    session.add(
        InventoryRevision(applied_at=applied, source="x.yaml", sha256="0" * 64, applied_by="tester")
    )
    session.commit()
    session.expunge_all()
    row = session.scalars(select(InventoryRevision)).one()
    assert row.applied_at == datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
    assert row.applied_at.tzinfo is not None


def test_naive_datetime_is_refused(session: Session) -> None:
    session.add(
        InventoryRevision(
            applied_at=datetime(2026, 6, 1), source="x", sha256="0" * 64, applied_by="t"
        )
    )
    # SQLAlchemy wraps the type's ValueError while binding the parameter
    with pytest.raises(StatementError, match="naive datetime") as info:
        session.flush()
    assert isinstance(info.value.orig, ValueError)


def test_natural_key_is_unique(session: Session) -> None:
    session.add_all([Group(key="opd", name="opd"), Group(key="opd", name="opd")])
    with pytest.raises(IntegrityError):
        session.flush()


def test_open_database_creates_sqlite_file_and_parent_directory(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "deep" / "dir")
    eng = open_database(settings)
    try:
        assert (tmp_path / "deep" / "dir" / "netops.db").exists()
        with session_factory(eng)() as s:
            s.add(CredentialRef(key="lab", name="lab", username="u", password_ref="P"))
            s.commit()
            assert s.scalars(select(CredentialRef.name)).all() == ["lab"]
            assert s.scalars(select(Site)).all() == []
    finally:
        eng.dispose()


def test_malformed_url_raises_storage_error() -> None:
    with pytest.raises(StorageError, match="invalid database URL"):
        make_engine("not a url")


def test_unknown_driver_raises_storage_error() -> None:
    with pytest.raises(StorageError, match="cannot use database URL"):
        make_engine("nosuchdb://x/y")


def test_upgrade_of_unreachable_server_raises_storage_error_without_password() -> None:
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    eng = make_engine("postgresql+psycopg://u:hunter2@127.0.0.1:1/x?connect_timeout=2")
    with pytest.raises(StorageError) as info:
        upgrade(eng)
    assert "hunter2" not in str(info.value)
    assert "cannot upgrade database" in str(info.value)
