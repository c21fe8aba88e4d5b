"""The job store interface: what a durable backend (embedded SQLite now, Redis later) must provide."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from bot.jobs.model import JobRequest

JobState = Literal["queued", "running", "done", "failed", "superseded"]
FinalState = Literal["done", "failed"]


class StoreError(RuntimeError):
    """The store cannot be read or written; the message says which store and what to do."""


@dataclass(frozen=True, slots=True)
class Job:
    """One stored job: the request plus where it is in its life."""

    id: int
    request: JobRequest
    state: JobState
    attempts: int
    next_attempt_at: float
    created_at: float
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class QueueStats:
    """What the metrics need: how much work is unfinished and since when the oldest has waited."""

    queued: int
    running: int
    oldest_created_at: float | None


class JobStore(Protocol):
    """Durable jobs. Every method is atomic; `claim` never hands out two jobs of one pull request at once."""

    async def open(self) -> None:
        """Create or check the storage; raise StoreError if it is unusable."""
        ...

    async def close(self) -> None:
        """Release the storage."""
        ...

    async def submit(self, request: JobRequest, *, now: float) -> bool:
        """Persist `request` as queued (False if its delivery id was seen) and supersede older heads."""
        ...

    async def claim(self, *, now: float) -> Job | None:
        """Mark the oldest due job whose pull request has nothing running as running; count the attempt."""
        ...

    async def retry(self, job_id: int, *, next_attempt_at: float, error: str) -> None:
        """Put a running job back in the queue, due at `next_attempt_at`."""
        ...

    async def release(self, job_id: int) -> None:
        """Put a running job back in the queue without counting the attempt (shutdown cut it short)."""
        ...

    async def finish(self, job_id: int, state: FinalState, *, now: float, error: str | None = None) -> None:
        """Record that a running job ended in `state`."""
        ...

    async def skip(self, job_id: int, *, now: float, error: str) -> None:
        """Record that a claimed job was refused without running: failed, neither attempted nor started."""
        ...

    async def recover(self) -> int:
        """Requeue jobs left running by a process that died; return how many."""
        ...

    async def get(self, delivery_id: str) -> Job | None:
        """Return the job of one delivery, or None."""
        ...

    async def next_due_at(self) -> float | None:
        """Return when the earliest queued job becomes due, or None when nothing is queued."""
        ...

    async def stats(self) -> QueueStats:
        """Count queued and running jobs and date the oldest of them."""
        ...

    async def started_since(self, since: float) -> list[tuple[int, float]]:
        """Return (installation id, first start) of jobs first started at or after `since`."""
        ...
