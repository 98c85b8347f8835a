"""The per-device circuit breaker opens after repeated failures and recovers after a trial."""

from __future__ import annotations

from collectors.breaker import BreakerState, CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_after_threshold_and_skips_until_cooldown() -> None:
    clock = Clock()
    b = CircuitBreaker(threshold=3, cooldown_s=60, clock=clock)
    for _ in range(2):
        assert b.allow("ptp") and b.failure("ptp") is BreakerState.CLOSED
    assert b.failure("ptp") is BreakerState.OPEN
    assert not b.allow("ptp")
    assert b.allow("core1")  # other devices unaffected
    clock.now = 61
    assert b.allow("ptp") and b.state("ptp") is BreakerState.HALF_OPEN


def test_failed_trial_reopens_with_doubled_cooldown_and_success_closes() -> None:
    clock = Clock()
    b = CircuitBreaker(threshold=1, cooldown_s=10, max_cooldown_s=25, clock=clock)
    b.failure("d")
    clock.now = 10
    assert b.allow("d")
    assert b.failure("d") is BreakerState.OPEN
    assert b.retry_in_s("d") == 20
    clock.now = 30
    assert b.allow("d")
    b.failure("d")
    assert b.retry_in_s("d") == 25  # capped
    clock.now = 55
    assert b.allow("d")
    b.success("d")
    assert b.state("d") is BreakerState.CLOSED and b.allow("d")
