"""Fixtures for the read-model tests: the mini inventory, a :class:`Feed` on the ``engine``
fixture (SQLite and PostgreSQL), a SQL statement counter, and a fixed ``NOW``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from netops.inventory.loader import load_inventory
from netops.inventory.schema import Inventory
from tests.helpers import MINI
from tests.queries.feed import Feed

NOW = datetime(2026, 6, 9, 2, 0, tzinfo=UTC)  # Tuesday 10:00 WITA
NOW_S = NOW.timestamp()


@pytest.fixture
def mini() -> Inventory:
    return load_inventory(MINI).inventory


@pytest.fixture
def feed(mini: Inventory, engine: Engine) -> Iterator[Feed]:
    f = Feed(mini, engine)
    yield f
    f.close()


class QueryCounter:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements: list[str] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        # the BEGIN netops emits for SQLite's transactional sessions is not a query of the view
        if statement.strip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            return
        self.statements.append(statement)

    def __enter__(self) -> QueryCounter:
        self.statements = []
        event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc: Any) -> None:
        event.remove(self.engine, "before_cursor_execute", self)

    @property
    def count(self) -> int:
        return len(self.statements)
