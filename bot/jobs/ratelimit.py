"""A per-installation cap on reviews in a sliding window, to bound what one installation can cost."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable


class InstallationRateLimit:
    """At most `limit` reviews per installation within any `window` seconds."""

    def __init__(self, limit: int, *, window: float = 3600.0) -> None:
        if limit < 1:
            raise ValueError(f"the review limit must be at least 1, got {limit}")
        self.limit = limit
        self.window = window
        self._starts: defaultdict[int, deque[float]] = defaultdict(deque)

    def seed(self, starts: Iterable[tuple[int, float]]) -> None:
        """Count reviews started before a restart, so restarting does not reset the budget."""
        for installation_id, at in sorted(starts, key=lambda item: item[1]):
            self._starts[installation_id].append(at)

    def try_acquire(self, installation_id: int, now: float) -> bool:
        """Count one review for `installation_id` and return True, or return False when over the limit."""
        starts = self._starts[installation_id]
        while starts and starts[0] <= now - self.window:
            starts.popleft()
        if len(starts) >= self.limit:
            return False
        starts.append(now)
        return True

    def retry_after(self, installation_id: int, now: float) -> float:
        """Return the seconds until `installation_id` may start another review."""
        starts = self._starts[installation_id]
        if len(starts) < self.limit:
            return 0.0
        return max(0.0, starts[0] + self.window - now)
