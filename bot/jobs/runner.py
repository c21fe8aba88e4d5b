"""The worker: takes due jobs from the store, one per pull request at a time, retries, and gives up clearly."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress

from bot.jobs.backoff import backoff_delay
from bot.jobs.model import JobRequest
from bot.jobs.observer import JobObserver, Outcome, PrometheusObserver
from bot.jobs.ratelimit import InstallationRateLimit
from bot.jobs.store import Job, JobStore, StoreError
from bot.observability import Redactor, log_context

log = logging.getLogger(__name__)

Handler = Callable[[JobRequest], Awaitable[None]]
Notify = Callable[[JobRequest, str], Awaitable[None]]

ERROR_TEXT_LIMIT = 1000
# Writes after a handler ran are retried briefly: losing one would leave the job "running" until a restart.
STORE_WRITE_DELAYS = (0.05, 0.25, 1.0)
MAX_ASKED_WAIT = 3600.0
_REDACTOR = Redactor()


def describe(exc: BaseException) -> str:
    """Return a short, single-paragraph account of why an attempt failed, with credentials redacted."""
    text = str(exc).strip() or "no details"
    # Errors quote what a service answered, which can echo a token; this text is stored, logged and
    # posted in the failure summary, so it is redacted here, where it is made.
    return _REDACTOR.redact(f"{type(exc).__name__}: {text}")[:ERROR_TEXT_LIMIT]


def asked_wait(exc: BaseException) -> float:
    """Return how long the failed call's service asked us to wait (an error's `retry_after`), else 0."""
    # Duck-typed so the runner needs no GitHub import: retrying a rate-limited job sooner than the
    # Retry-After GitHub sent prolongs the limit. An hour bounds a nonsensical answer.
    wait = getattr(exc, "retry_after", None)
    if isinstance(wait, int | float) and not isinstance(wait, bool) and wait > 0:
        return min(float(wait), MAX_ASKED_WAIT)
    return 0.0


class JobRunner:
    """A JobQueue that persists every request before answering and works it off in the background."""

    def __init__(
        self,
        store: JobStore,
        handler: Handler,
        *,
        on_give_up: Notify,
        concurrency: int = 4,
        max_attempts: int = 3,
        backoff_base: float = 10.0,
        backoff_max: float = 600.0,
        on_rate_limited: Notify | None = None,
        reviews_per_hour: int | None = None,
        job_timeout: float = 900.0,
        notify_timeout: float = 60.0,
        poll_interval: float = 1.0,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        observer: JobObserver | None = None,
        close_store: bool = False,
    ) -> None:
        if concurrency < 1 or max_attempts < 1:
            raise ValueError("concurrency and max_attempts must be at least 1")
        self._store = store
        self._handler = handler
        self._on_give_up = on_give_up
        self._on_rate_limited = on_rate_limited or on_give_up
        self._concurrency = concurrency
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_max = backoff_max
        self._limit = InstallationRateLimit(reviews_per_hour) if reviews_per_hour else None
        self._job_timeout = job_timeout
        self._notify_timeout = notify_timeout
        self._poll_interval = poll_interval
        self._clock = clock
        self._rng = rng or random.Random()
        self._observer = observer or PrometheusObserver()
        self._close_store = close_store
        self._wake = asyncio.Event()
        self._stopping = False
        self._dispatcher: asyncio.Task[None] | None = None
        self._in_flight: dict[asyncio.Task[None], Job] = {}

    @property
    def store(self) -> JobStore:
        """Return the store the runner works from."""
        return self._store

    @property
    def concurrency(self) -> int:
        """Return how many jobs run at once."""
        return self._concurrency

    @property
    def max_attempts(self) -> int:
        """Return the attempts per job before it is given up."""
        return self._max_attempts

    @property
    def reviews_per_hour(self) -> int | None:
        """Return the reviews one installation may start per hour (None: no limit)."""
        return self._limit.limit if self._limit is not None else None

    async def submit(self, request: JobRequest) -> bool:
        """Persist `request` durably; return False for a delivery already seen. Raises StoreError."""
        inserted = await self._store.submit(request, now=self._clock())
        if inserted:
            self._wake.set()
        return inserted

    async def start(self) -> None:
        """Open the store, requeue work a dead process left running, then start taking jobs."""
        await self._store.open()
        recovered = await self._store.recover()
        if recovered:
            log.warning("requeued %d job(s) left running by a stopped process", recovered)
        if self._limit is not None:
            self._limit.seed(await self._store.started_since(self._clock() - self._limit.window))
        self._stopping = False
        self._dispatcher = asyncio.create_task(self._dispatch(), name="jobs-dispatcher")

    async def stop(self, grace_seconds: float = 30.0) -> None:
        """Stop taking jobs, let running ones finish within the grace, and leave the rest queued."""
        self._stopping = True
        self._wake.set()
        if self._dispatcher is not None:
            await self._dispatcher
            self._dispatcher = None
        running = dict(self._in_flight)
        if running:
            _, late = await asyncio.wait(running, timeout=grace_seconds)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
            for task in late:
                job = running[task]
                log.warning("stopped before job %s finished; it stays queued", job.request.delivery_id)
                with suppress(StoreError):
                    await self._store.release(job.id)
        if self._close_store:
            await self._store.close()

    async def wait_idle(self, *, poll: float = 0.01) -> None:
        """Return once nothing is running and nothing is queued, including jobs waiting to retry."""
        while True:
            if not self._in_flight:
                stats = await self._store.stats()
                if stats.queued == 0 and stats.running == 0:
                    return
            await asyncio.sleep(poll)

    async def _dispatch(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                await self._fill()
                delay = await self._next_wait()
            except StoreError as exc:
                log.error("job store unavailable, retrying in %.1fs: %s", self._poll_interval, exc)
                delay = self._poll_interval
            except Exception:
                # The dispatcher must outlive any surprise; the next round starts from the store again.
                log.exception("job dispatcher error")
                delay = self._poll_interval
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    async def _fill(self) -> None:
        while not self._stopping and len(self._in_flight) < self._concurrency:
            job = await self._store.claim(now=self._clock())
            if job is None:
                break
            if self._stopping:
                await self._store.release(job.id)
                break
            task = asyncio.create_task(self._work(job), name=f"job-{job.id}")
            self._in_flight[task] = job
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.pop(task, None)
        self._wake.set()

    async def _next_wait(self) -> float:
        now = self._clock()
        self._observer.queue_seen(await self._store.stats(), now=now)
        due = await self._store.next_due_at()
        # Due work that could not be claimed waits on a free slot or its pull request: a wake-up, not a timer.
        if due is None or due <= now:
            return self._poll_interval
        return min(due - now, self._poll_interval)

    async def _work(self, job: Job) -> None:
        request = job.request
        # Bound for the whole attempt, so the handler's own log lines say which delivery and pull request.
        with log_context(
            delivery_id=request.delivery_id,
            repo=request.repo,
            pr=request.number,
            head_sha=request.head_sha,
            attempt=job.attempts,
        ):
            await self._attempt(job)

    async def _attempt(self, job: Job) -> None:
        request = job.request
        if job.attempts > self._max_attempts:
            error = f"the process stopped during each of {self._max_attempts} attempts"
            await self._fail(job, error, "abandoned", 0.0)
            return
        # A slash command costs no review: it takes no place in the installation's hourly budget.
        if job.attempts == 1 and self._limit is not None and request.reason != "command":
            now = self._clock()
            if not self._limit.try_acquire(request.installation_id, now):
                await self._rate_limited(job, self._limit.retry_after(request.installation_id, now))
                return
        started = time.monotonic()
        try:
            async with asyncio.timeout(self._job_timeout):
                await self._handler(request)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
            await self._failed_attempt(job, "the review was cancelled", time.monotonic() - started)
        except TimeoutError:
            error = f"the review took longer than {self._job_timeout:g} seconds"
            await self._failed_attempt(job, error, time.monotonic() - started)
        except Exception as exc:
            await self._failed_attempt(job, describe(exc), time.monotonic() - started, asked_wait(exc))
        else:
            await self._write(lambda: self._store.finish(job.id, "done", now=self._clock()), job)
            self._observer.job_finished("done", reason=job.request.reason, seconds=time.monotonic() - started)
            log.info("review job done")

    async def _failed_attempt(self, job: Job, error: str, seconds: float, wait: float = 0.0) -> None:
        if job.attempts >= self._max_attempts:
            await self._fail(job, error, "failed", seconds)
            return
        delay = backoff_delay(job.attempts, base=self._backoff_base, cap=self._backoff_max, rng=self._rng)
        delay = max(delay, wait)
        log.warning(
            "review attempt %d of %d failed, retrying in %.1fs: %s",
            job.attempts,
            self._max_attempts,
            delay,
            error,
        )
        next_at = self._clock() + delay
        await self._write(lambda: self._store.retry(job.id, next_attempt_at=next_at, error=error), job)
        self._observer.job_finished("retry", reason=job.request.reason, seconds=seconds)

    async def _fail(self, job: Job, error: str, outcome: Outcome, seconds: float) -> None:
        log.error("review job gave up after %d attempt(s): %s", job.attempts, error)
        await self._write(lambda: self._store.finish(job.id, "failed", now=self._clock(), error=error), job)
        self._observer.job_finished(outcome, reason=job.request.reason, seconds=seconds)
        await self._notify(self._on_give_up, job.request, error)

    async def _rate_limited(self, job: Job, retry_after: float) -> None:
        assert self._limit is not None
        request = job.request
        minutes = max(1, round(retry_after / 60))
        error = (
            f"installation {request.installation_id} reached its limit of {self._limit.limit} reviews "
            f"per hour, so this review of {request.repo}#{request.number} was skipped; "
            f"comment /prodready recheck in about {minutes} minute(s) to run it"
        )
        log.warning("review skipped: %s", error)
        await self._write(lambda: self._store.skip(job.id, now=self._clock(), error=error), job)
        self._observer.job_finished("rate_limited", reason=job.request.reason, seconds=0.0)
        await self._notify(self._on_rate_limited, request, error)

    async def _write(self, write: Callable[[], Awaitable[None]], job: Job) -> None:
        for delay in (*STORE_WRITE_DELAYS, None):
            try:
                await write()
                return
            except StoreError as exc:
                if delay is None:
                    # The job stays "running" in the store; the next start-up requeues it.
                    log.error("could not record the job's outcome: %s", exc)
                    return
                await asyncio.sleep(delay)

    async def _notify(self, notify: Notify, request: JobRequest, error: str) -> None:
        try:
            async with asyncio.timeout(self._notify_timeout):
                await notify(request, error)
        except Exception:
            # Telling the user failed; the job's outcome is already recorded, so only a log remains.
            log.exception("could not report the failed review")
