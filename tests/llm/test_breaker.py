"""The circuit breaker opens after repeated failures, lets one trial through after the cool-down, and closes."""

from __future__ import annotations

import pytest

from bot.llm.breaker import CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_opens_at_the_threshold_and_closes_after_a_good_trial():
    clock = Clock()
    breaker = CircuitBreaker(threshold=3, cooldown=30, clock=clock)
    for _ in range(2):
        assert breaker.allow()
        breaker.record_failure()
    assert breaker.state == "closed"
    breaker.record_failure()
    assert breaker.state == "open" and not breaker.allow()
    assert breaker.retry_in() == pytest.approx(30)
    clock.now += 30
    assert breaker.state == "half_open"
    assert breaker.allow()
    assert not breaker.allow()  # one trial at a time
    breaker.record_success()
    assert breaker.state == "closed" and breaker.allow()


def test_a_failed_trial_reopens_for_a_full_cooldown():
    clock = Clock()
    breaker = CircuitBreaker(threshold=1, cooldown=10, clock=clock)
    breaker.record_failure()
    clock.now += 10
    assert breaker.allow()
    breaker.record_failure()
    assert breaker.state == "open" and breaker.retry_in() == pytest.approx(10)


def test_success_resets_the_count():
    breaker = CircuitBreaker(threshold=2, cooldown=10, clock=Clock())
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state == "closed"


def test_an_abandoned_trial_is_given_back():
    clock = Clock()
    breaker = CircuitBreaker(threshold=1, cooldown=10, clock=clock)
    breaker.record_failure()
    clock.now += 10
    assert breaker.allow()
    breaker.abandon_trial()
    assert breaker.allow()


@pytest.mark.parametrize(("threshold", "cooldown"), [(0, 10), (3, 0)])
def test_rejects_nonsense_settings(threshold, cooldown):
    with pytest.raises(ValueError):
        CircuitBreaker(threshold=threshold, cooldown=cooldown)
