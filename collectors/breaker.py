"""A per-device circuit breaker: stop hammering a device that keeps failing.

Closed: every poll is attempted.  After ``threshold`` consecutive failures the breaker opens:
polls are skipped (recorded as "circuit open") until ``cooldown_s`` has passed; the cooldown
doubles on each re-opening up to ``max_cooldown_s``.  Then one trial poll is let through
(half-open); its success closes the breaker, its failure re-opens it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


@dataclass
class _Entry:
    failures: int = 0
    state: BreakerState = BreakerState.CLOSED
    opened_at: float = 0.0
    cooldown_s: float = 0.0


class CircuitBreaker:
    """Thread-safe breakers keyed by device name; ``clock`` is injectable for tests."""

    def __init__(
        self,
        threshold: int = 3,
        cooldown_s: float = 60.0,
        max_cooldown_s: float = 1800.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold = threshold
        self.base_cooldown_s = cooldown_s
        self.max_cooldown_s = max_cooldown_s
        self.clock = clock
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def allow(self, device: str) -> bool:
        """Whether to poll ``device`` now (moves an expired open breaker to half-open)."""
        with self._lock:
            e = self._entries.setdefault(device, _Entry())
            if e.state is BreakerState.OPEN:
                if self.clock() - e.opened_at >= e.cooldown_s:
                    e.state = BreakerState.HALF_OPEN
                    return True
                return False
            return True

    def success(self, device: str) -> None:
        with self._lock:
            self._entries[device] = _Entry()

    def failure(self, device: str) -> BreakerState:
        with self._lock:
            e = self._entries.setdefault(device, _Entry())
            e.failures += 1
            if e.state is BreakerState.HALF_OPEN or e.failures >= self.threshold:
                e.cooldown_s = (
                    min(e.cooldown_s * 2, self.max_cooldown_s)
                    if e.cooldown_s
                    else self.base_cooldown_s
                )
                e.state = BreakerState.OPEN
                e.opened_at = self.clock()
            return e.state

    def failures(self, device: str) -> int:
        """Consecutive failures of ``device`` since its last success."""
        with self._lock:
            entry = self._entries.get(device)
            return entry.failures if entry else 0

    def state(self, device: str) -> BreakerState:
        with self._lock:
            return self._entries.get(device, _Entry()).state

    def retry_in_s(self, device: str) -> float:
        with self._lock:
            e = self._entries.get(device)
            if e is None or e.state is not BreakerState.OPEN:
                return 0.0
            return max(0.0, e.cooldown_s - (self.clock() - e.opened_at))
