"""Read models for the web UI and the API: what a page shows, in a constant number of SQL queries.

Each function takes an open :class:`~sqlalchemy.orm.Session`, the loaded
:class:`~netops.inventory.schema.Inventory` (the network's structure: uplinks, agencies and their
quotas, devices, links, shapers) and the moment ``now``; telemetry comes from the collectors'
tables through SQL aggregates and window functions over a bounded time range, so the number of
queries never depends on the number of rows and lists are paginated (:class:`Page`).
Pure functions (alert rules, pagination, diff layout) are kept apart from the SQL.  No Flask, no
SSH.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_PER_PAGE = 200


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: ``items``, 1-based ``page``, ``per_page`` and the ``total`` count."""

    items: Sequence[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def clamp_page(page: int, per_page: int) -> tuple[int, int]:
    """``(page, per_page)`` within bounds: page >= 1, 1 <= per_page <= :data:`MAX_PER_PAGE`."""
    return max(1, page), min(max(1, per_page), MAX_PER_PAGE)


def paginate(items: Sequence[T], page: int, per_page: int) -> Page[T]:
    """Slice an in-memory sequence (inventory rows) into a :class:`Page`."""
    page, per_page = clamp_page(page, per_page)
    start = (page - 1) * per_page
    return Page(items[start : start + per_page], page, per_page, len(items))
