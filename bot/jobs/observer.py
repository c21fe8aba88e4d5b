"""The seam between the job runner and whatever records metrics about it."""

from __future__ import annotations

from typing import Literal, Protocol

from bot import metrics
from bot.jobs.store import QueueStats

Outcome = Literal["done", "retry", "failed", "rate_limited", "abandoned"]


class JobObserver(Protocol):
    """Receives what the runner knows about its work; must not raise or block."""

    def job_finished(self, outcome: Outcome, *, reason: str, seconds: float) -> None:
        """Record one attempt's outcome, the job's reason, and how long the handler ran."""
        ...

    def queue_seen(self, stats: QueueStats, *, now: float) -> None:
        """Record the queue's depth and the age of its oldest job."""
        ...


class PrometheusObserver:
    """Publishes to the process's metrics (GET /metrics): the runner's default."""

    def job_finished(self, outcome: Outcome, *, reason: str, seconds: float) -> None:
        """Count the outcome by reason and time the attempt."""
        metrics.record_job(reason=reason, outcome=outcome, seconds=seconds)

    def queue_seen(self, stats: QueueStats, *, now: float) -> None:
        """Publish the number of unfinished jobs and the age of the oldest."""
        oldest = stats.oldest_created_at
        metrics.set_queue_state(
            depth=stats.queued + stats.running, oldest_age_seconds=0.0 if oldest is None else now - oldest
        )
