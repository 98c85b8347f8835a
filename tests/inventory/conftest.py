"""Fixture for inventory tests: the mini inventory as text, edited per test, and its problems.

``doc.edit(old, new)`` replaces exactly one occurrence (so a test fails loudly if the fixture file
changes under it), ``doc.line(needle)`` is the 1-based line of the first line containing
``needle``, ``doc.problems()`` lists what the loader reports, as printed by the CLI.
"""

from __future__ import annotations

import pytest

from netops.errors import InventoryError
from netops.inventory import LoadedInventory, load_inventory_text
from tests.helpers import MINI


class Doc:
    name = "inventory.yaml"

    def __init__(self, text: str) -> None:
        self.text = text

    def edit(self, old: str, new: str) -> Doc:
        count = self.text.count(old)
        assert count == 1, f"{old!r} occurs {count} times in the document"
        self.text = self.text.replace(old, new)
        return self

    def line(self, needle: str, nth: int = 1) -> int:
        hits = [i for i, ln in enumerate(self.text.splitlines(), start=1) if needle in ln]
        assert len(hits) >= nth, f"{needle!r} found {len(hits)} times"
        return hits[nth - 1]

    def at(self, needle: str, nth: int = 1) -> str:
        """``inventory.yaml:<line>`` of ``needle``: the start of a printed problem."""
        return f"{self.name}:{self.line(needle, nth)}"

    def load(self, *, strict: bool = False) -> LoadedInventory:
        return load_inventory_text(self.text, self.name, strict=strict)

    def problems(self, *, strict: bool = False) -> list[str]:
        try:
            loaded = self.load(strict=strict)
        except InventoryError as exc:
            return [str(p) for p in exc.problems]
        return [str(w) for w in loaded.warnings]


@pytest.fixture
def mini_text() -> str:
    return MINI.read_text(encoding="utf-8")


@pytest.fixture
def doc(mini_text: str) -> Doc:
    return Doc(mini_text)
