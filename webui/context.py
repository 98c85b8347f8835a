"""What every request of one app shares: settings, the database engine, the inventory.

``web_context()`` is the app's :class:`WebContext`; ``db()`` is this request's SQLAlchemy session
(opened on first use, closed when the request ends).  The inventory (the YAML file the bandwidth
plan is built from) is re-read when the file changes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from flask import current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from netops.inventory.schema import Inventory
from netops.settings import Settings

T = TypeVar("T")


@dataclass
class WebContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    inventory_path: Path
    _cache: tuple[float, Inventory] | None = None
    _derived: dict[str, tuple[float, Any]] = field(default_factory=dict)
    _recent: dict[str, tuple[float, float, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def inventory(self) -> Inventory:
        """The inventory file, loaded (and validated) again only when its mtime changed.

        Raises :class:`netops.errors.InventoryError` when it does not load."""
        from netops.inventory.loader import load_inventory

        mtime = self.inventory_path.stat().st_mtime
        with self._lock:
            if self._cache is None or self._cache[0] != mtime:
                self._cache = (mtime, load_inventory(self.inventory_path).inventory)
            return self._cache[1]

    def derived(self, name: str, build: Callable[[Inventory], T]) -> T:
        """``build(inventory)``, computed once per version of the inventory file (e.g. the
        topology analyses, which depend on nothing else)."""
        inventory = self.inventory()
        mtime = self._cache[0] if self._cache else 0.0
        with self._lock:
            hit = self._derived.get(name)
            if hit is not None and hit[0] == mtime:
                return cast(T, hit[1])
        value = build(inventory)
        with self._lock:
            self._derived[name] = (mtime, value)
        return value

    def recent(self, name: str, max_age_s: float, build: Callable[[], T]) -> T:
        """``build()``, reused by every request for ``max_age_s`` seconds and while the
        inventory file is unchanged (e.g. every agency's current demand: the poller measures
        once a minute, so recomputing it per page view would only repeat the same answer)."""
        mtime = self.inventory_path.stat().st_mtime
        now = time.monotonic()
        with self._lock:
            hit = self._recent.get(name)
            if hit is not None and hit[0] == mtime and now - hit[1] < max_age_s:
                return cast(T, hit[2])
        value = build()
        with self._lock:
            self._recent[name] = (mtime, now, value)
        return value


def web_context() -> WebContext:
    ctx = current_app.extensions["netops"]
    assert isinstance(ctx, WebContext)
    return ctx


def db() -> Session:
    """This request's session (closed at the end of the request, uncommitted work rolled back)."""
    if "netops_session" not in g:
        g.netops_session = web_context().sessions()
    session = g.netops_session
    assert isinstance(session, Session)
    return session


def close_db(exc: BaseException | None = None) -> None:
    session = g.pop("netops_session", None)
    if session is not None:
        session.close()
