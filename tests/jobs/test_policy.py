"""Backoff and the per-installation rate limit: pure rules, checked over many inputs."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.jobs.backoff import backoff_delay
from bot.jobs.ratelimit import InstallationRateLimit


@given(
    attempt=st.integers(min_value=1, max_value=10_000),
    base=st.floats(min_value=0.001, max_value=100),
    cap=st.floats(min_value=0.001, max_value=10_000),
    seed=st.integers(),
)
def test_backoff_stays_between_half_and_all_of_the_capped_exponential(
    attempt: int, base: float, cap: float, seed: int
) -> None:
    ceiling = min(cap, base * 2 ** min(attempt - 1, 60))
    delay = backoff_delay(attempt, base=base, cap=cap, rng=random.Random(seed))
    assert ceiling / 2 <= delay <= ceiling


def test_backoff_grows_then_stops_at_the_cap_and_is_jittered() -> None:
    floors = [backoff_delay(n, base=1, cap=30, rng=random.Random(0)) for n in range(1, 8)]
    assert floors[0] < 1.01 and floors[3] >= 4 and floors[-1] <= 30
    spread = {backoff_delay(3, base=1, cap=30, rng=random.Random(s)) for s in range(20)}
    assert len(spread) == 20


def test_backoff_refuses_attempt_zero() -> None:
    with pytest.raises(ValueError, match="counts from 1"):
        backoff_delay(0, base=1, cap=10)


def test_rate_limit_counts_per_installation_in_a_sliding_window() -> None:
    limit = InstallationRateLimit(2, window=100)
    assert limit.try_acquire(1, 0) and limit.try_acquire(1, 10)
    assert not limit.try_acquire(1, 50)
    assert limit.try_acquire(2, 50)
    assert limit.retry_after(1, 50) == 50
    # The first review leaves the window at t=100, so one more fits, and only one.
    assert limit.try_acquire(1, 100)
    assert not limit.try_acquire(1, 105)
    assert limit.retry_after(2, 60) == 0


def test_rate_limit_seeded_from_earlier_reviews() -> None:
    limit = InstallationRateLimit(1, window=100)
    limit.seed([(3, 90.0), (4, 5.0)])
    assert not limit.try_acquire(3, 120)
    assert limit.try_acquire(4, 120)


def test_rate_limit_refuses_a_zero_limit() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        InstallationRateLimit(0)
