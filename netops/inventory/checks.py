"""Cross-entry rules of the inventory (references, duplicates, overlaps, capacity)."""

from __future__ import annotations

from netops.errors import Problem
from netops.inventory.schema import Inventory
from netops.inventory.yamlmap import LineMap


def cross_check(inv: Inventory, name: str, lines: LineMap) -> list[Problem]:
    """Return every cross-entry problem (errors and warnings), in document order."""
    return []
