"""A circuit breaker: after repeated failures stop calling the LLM for a while, then try once."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

State = Literal["closed", "open", "half_open"]


class CircuitBreaker:
    """Open after `threshold` consecutive failures; after `cooldown` seconds let one trial call through."""

    def __init__(
        self, *, threshold: int = 5, cooldown: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if threshold < 1 or cooldown <= 0:
            raise ValueError("the breaker needs a threshold of at least 1 and a positive cool-down")
        self.threshold = threshold
        self.cooldown = cooldown
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> State:
        """Return where the breaker stands now."""
        if self._opened_at is None:
            return "closed"
        return "half_open" if self._clock() - self._opened_at >= self.cooldown else "open"

    def retry_in(self) -> float:
        """Return the seconds until a trial call is let through (0 when calls pass now)."""
        if self._opened_at is None:
            return 0.0
        return max(0.0, self.cooldown - (self._clock() - self._opened_at))

    def allow(self) -> bool:
        """Tell whether a call may go out now; in half-open state only one trial at a time."""
        state = self.state
        if state == "closed":
            return True
        if state == "half_open" and not self._trial_running:
            self._trial_running = True
            return True
        return False

    def record_success(self) -> None:
        """Close the breaker: the endpoint answers again."""
        self._failures = 0
        self._opened_at = None
        self._trial_running = False

    def record_failure(self) -> None:
        """Count a failed call; open (or re-open after a failed trial) at the threshold."""
        self._failures += 1
        if self._trial_running or self._failures >= self.threshold:
            self._opened_at = self._clock()
        self._trial_running = False

    def trip(self) -> None:
        """Open now, whatever the count: the endpoint let a whole review's deadline pass."""
        self._failures = max(self._failures, self.threshold)
        self._opened_at = self._clock()
        self._trial_running = False

    def abandon_trial(self) -> None:
        """Give back a trial call that ended without telling anything about the endpoint (cancelled)."""
        self._trial_running = False
