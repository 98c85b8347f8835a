"""The Alembic history: one head, and databases made by earlier versions upgrade to it."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from netops.storage import db as storage


def test_history_has_exactly_one_head() -> None:
    heads = ScriptDirectory.from_config(storage.alembic_config()).get_heads()
    assert len(heads) == 1, f"a second Alembic head appeared: {sorted(heads)}; chain it on the head"


def test_every_revision_after_the_merge_has_one_parent() -> None:
    script = ScriptDirectory.from_config(storage.alembic_config())
    merge_seen = False
    for rev in script.walk_revisions(base="base", head="heads"):
        parents = rev.down_revision
        if isinstance(parents, tuple) and len(parents) > 1:
            assert rev.revision == "0005", f"{rev.revision} merges {parents}: keep it linear"
            merge_seen = True
    assert merge_seen


def test_database_at_the_three_old_heads_upgrades_to_the_one_head(tmp_path: Path) -> None:
    engine = storage.make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        # what `netops db upgrade` on the previous main left: the three branch heads
        for branch_head in ("0002", "0003", "0004"):
            storage.upgrade(engine, branch_head)
        assert storage.current_revisions(engine) == {"0002", "0003", "0004"}
        storage.upgrade(engine)
        assert storage.current_revisions(engine) == storage.head_revisions()
        assert len(storage.head_revisions()) == 1
        tables = set(inspect(engine).get_table_names())
        assert {"agencies", "shapers", "interface_samples"} <= tables
    finally:
        engine.dispose()
