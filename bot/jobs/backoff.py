"""How long a failed job waits before its next attempt: exponential, capped, with jitter."""

from __future__ import annotations

import random


def backoff_delay(attempt: int, *, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Return the wait after failed attempt `attempt` (1-based): half fixed, half random, at most `cap`."""
    if attempt < 1:
        raise ValueError(f"attempt counts from 1, got {attempt}")
    # The exponent is bounded so a large attempt number cannot overflow the float.
    ceiling = min(cap, base * 2 ** min(attempt - 1, 60))
    # "Equal jitter": a floor keeps retries from hammering a failing service, the random half spreads
    # out jobs that failed together (one GitHub outage fails every running job at once).
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)
