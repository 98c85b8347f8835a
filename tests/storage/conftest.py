"""Storage test helpers: the mini inventory, and a full dump of the database for comparisons."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.engine import Engine

from netops.inventory import LoadedInventory, load_inventory
from tests.helpers import MINI

Dump = dict[str, list[tuple[Any, ...]]]


def dump_database(engine: Engine) -> Dump:
    """Every row of every table (reflected, so colleagues' tables count too), sorted."""
    meta = MetaData()
    meta.reflect(bind=engine)
    out: Dump = {}
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


@pytest.fixture
def dump() -> Callable[[Engine], Dump]:
    return dump_database


@pytest.fixture
def mini_path() -> Path:
    return MINI


@pytest.fixture
def mini_loaded() -> LoadedInventory:
    return load_inventory(MINI)
