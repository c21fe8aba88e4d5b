"""An in-memory JobQueue that records submissions and, like the real store, refuses a delivery seen before."""

from __future__ import annotations

import asyncio

from bot.jobs.model import JobRequest


class RecordingQueue:
    """Keep every accepted request in order; optionally wait `delay` seconds per submit (a slow store)."""

    def __init__(self, *, delay: float = 0.0, fail: Exception | None = None) -> None:
        self.requests: list[JobRequest] = []
        self._seen: set[str] = set()
        self._delay = delay
        self._fail = fail
        self.started = False
        self.stopped_with: float | None = None

    async def submit(self, request: JobRequest) -> bool:
        if self._delay:
            await asyncio.sleep(self._delay)
        if self._fail is not None:
            raise self._fail
        if request.delivery_id in self._seen:
            return False
        self._seen.add(request.delivery_id)
        self.requests.append(request)
        return True

    async def start(self) -> None:
        self.started = True

    async def stop(self, grace: float) -> None:
        self.stopped_with = grace
