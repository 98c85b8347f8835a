"""Migrations cannot brick a database: killed upgrades, concurrent upgrades and syncs, `db current`.

The kill lands at an exact point: an SQLAlchemy ``after_cursor_execute`` listener SIGKILLs the
upgrading process right after its Nth ``CREATE TABLE`` (a timed ``kill -9`` almost never lands
inside the ~30 ms of DDL), for every N the first upgrade has.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from netops.cli.main import cli
from netops.storage import db as storage
from netops.storage.models import InventoryRevision
from tests.helpers import MINI, ROOT

_KILLER = """
import os, signal, sys
from sqlalchemy import event
from netops.storage import db
engine = db.make_engine(sys.argv[1])
kill_after = int(sys.argv[2])
seen = 0
@event.listens_for(engine, "after_cursor_execute")
def _kill(conn, cursor, statement, parameters, context, executemany):
    global seen
    if statement.lstrip().upper().startswith("CREATE TABLE"):
        seen += 1
        if seen == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)
db.upgrade(engine)
print("CREATE TABLE count", seen)
"""


def _upgrade_killed_after(url: str, n: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _KILLER, url, str(n)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _create_table_count(tmp_path: Path) -> int:
    done = _upgrade_killed_after(f"sqlite:///{tmp_path / 'count.db'}", 0)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_upgrade_killed_after_each_create_table_leaves_sqlite_the_next_upgrade_completes(
    tmp_path: Path,
) -> None:
    steps = _create_table_count(tmp_path)
    assert steps >= 10  # the whole history, not a stub
    for n in range(1, steps + 1):
        url = f"sqlite:///{tmp_path / f'killed-{n}.db'}"
        killed = _upgrade_killed_after(url, n)
        assert killed.returncode == -9, (n, killed.stdout, killed.stderr)
        engine = storage.make_engine(url)
        try:
            # nothing half-done: no table without a version to explain it
            with engine.connect() as conn:
                tables = conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type='table'"
                ).scalars().all()
            assert tables == [], (n, tables)
            storage.upgrade(engine)
            assert storage.current_revisions(engine) == storage.head_revisions(), n
        finally:
            engine.dispose()


_FIRST_RUN = """
import sys, time
from pathlib import Path
from netops.inventory.loader import load_inventory
from netops.storage import db
from netops.storage.sync import sync_inventory
url, inventory, barrier, me, count = sys.argv[1:6]

def wait(step):
    Path(barrier, f"{step}-{me}").touch()
    deadline = time.monotonic() + 60
    while len(list(Path(barrier).glob(f"{step}-*"))) < int(count):
        assert time.monotonic() < deadline, "barrier timeout"
        time.sleep(0.005)

inv = load_inventory(inventory).inventory
engine = db.make_engine(url)
wait("upgrade")
db.upgrade(engine)
wait("sync")
with db.session_factory(engine)() as session, session.begin():
    report = sync_inventory(session, inv, source="t", sha256="0" * 64)
print("revision", report.revision_id)
"""


def test_two_first_upgrades_and_syncs_at_once_both_succeed_and_record_one_revision(
    db_url: str, tmp_path: Path
) -> None:
    count = 3
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _FIRST_RUN, db_url, str(MINI), str(tmp_path), str(i),
             str(count)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        for i in range(count)
    ]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0] * count, [err[-2000:] for _out, err in outs]
    revisions = sorted(out.split()[-1] for out, _err in outs)
    assert revisions.count("None") == count - 1, revisions  # the later syncs changed nothing
    engine = storage.make_engine(db_url)
    try:
        assert storage.current_revisions(engine) == storage.head_revisions()
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(InventoryRevision)).scalar() == 1
    finally:
        engine.dispose()


def test_db_current_exits_1_when_behind_or_ahead_and_0_at_the_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'netops.db'}"
    runner = CliRunner()
    behind = runner.invoke(cli, ["db", "current", "--database-url", url])
    assert behind.exit_code == 1 and "behind" in behind.output and "db upgrade" in behind.output
    engine = storage.make_engine(url)
    try:
        storage.upgrade(engine, "0002")
        partly = runner.invoke(cli, ["db", "current", "--database-url", url])
        assert partly.exit_code == 1 and "behind" in partly.output
        storage.upgrade(engine)
        head = runner.invoke(cli, ["db", "current", "--database-url", url])
        assert head.exit_code == 0 and "up to date" in head.output
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        ahead = runner.invoke(cli, ["db", "current", "--database-url", url])
        assert ahead.exit_code == 1 and "ahead" in ahead.output and "9999" in ahead.output
    finally:
        engine.dispose()


@pytest.mark.parametrize("statement", ["CREATE TABLE t (x INTEGER)", "DROP TABLE agencies"])
def test_sqlite_ddl_rolls_back_with_its_transaction(sqlite_url: str, statement: str) -> None:
    engine = storage.make_engine(sqlite_url)
    try:
        storage.upgrade(engine)
        before = set(storage_tables(engine))
        with engine.connect() as conn:
            conn.exec_driver_sql(statement)
            conn.rollback()
        assert set(storage_tables(engine)) == before
    finally:
        engine.dispose()


def storage_tables(engine: object) -> list[str]:
    from sqlalchemy import inspect

    return inspect(engine).get_table_names()
