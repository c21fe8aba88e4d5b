"""The job runner over a real SQLite store: serialisation, supersede, retries, give-up, stop, limits."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import metrics
from bot.jobs.model import JobReason, JobRequest
from bot.jobs.observer import Outcome
from bot.jobs.runner import JobRunner
from bot.jobs.sqlite_store import FILE_NAME, SQLiteJobStore
from bot.jobs.store import QueueStats
from bot.observability import current_context


def req(
    delivery: str, *, number: int = 1, sha: str = "a" * 40, reason: JobReason = "opened", installation: int = 7
) -> JobRequest:
    return JobRequest(
        delivery_id=delivery,
        installation_id=installation,
        repo="octo/app",
        number=number,
        head_sha=sha,
        reason=reason,
    )


class Recorder:
    """A handler that records what it ran, optionally slow or failing a set number of times."""

    def __init__(self, *, delay: float = 0.0, failures: int = 0, error: Exception | None = None) -> None:
        self.delay = delay
        self.failures = failures
        self.error = error or RuntimeError("GitHub answered 502")
        self.calls: list[tuple[str, float]] = []
        self.active: Counter[str] = Counter()
        self.max_active_per_pr: defaultdict[str, int] = defaultdict(int)
        self.max_active = 0
        self.started = asyncio.Event()

    async def __call__(self, request: JobRequest) -> None:
        self.calls.append((request.delivery_id, time.monotonic()))
        self.started.set()
        self.active[request.pr_key] += 1
        self.max_active_per_pr[request.pr_key] = max(
            self.max_active_per_pr[request.pr_key], self.active[request.pr_key]
        )
        self.max_active = max(self.max_active, sum(self.active.values()))
        try:
            await asyncio.sleep(self.delay)
            if self.failures:
                self.failures -= 1
                raise self.error
        finally:
            self.active[request.pr_key] -= 1

    @property
    def ran(self) -> list[str]:
        return [delivery for delivery, _ in self.calls]


class GiveUps:
    """Collects on_give_up calls."""

    def __init__(self, *, fail: bool = False) -> None:
        self.calls: list[tuple[str, str]] = []
        self.fail = fail

    async def __call__(self, request: JobRequest, error: str) -> None:
        self.calls.append((request.delivery_id, error))
        if self.fail:
            raise ConnectionError("GitHub is down too")


class Observed:
    """Collects what the runner reports for metrics."""

    def __init__(self) -> None:
        self.outcomes: list[Outcome] = []
        self.queues: list[QueueStats] = []

    def job_finished(self, outcome: Outcome, *, reason: str, seconds: float) -> None:
        self.outcomes.append(outcome)

    def queue_seen(self, stats: QueueStats, *, now: float) -> None:
        self.queues.append(stats)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteJobStore]:
    s = SQLiteJobStore(tmp_path)
    await s.open()
    yield s
    await s.close()


def runner(store: SQLiteJobStore, handler: Recorder, give_ups: GiveUps | None = None, **kw: object) -> JobRunner:
    options: dict[str, object] = {"concurrency": 4, "max_attempts": 3, "backoff_base": 0.02, "backoff_max": 0.2}
    options.update(kw)
    return JobRunner(store, handler, on_give_up=give_ups or GiveUps(), **options)  # type: ignore[arg-type]


async def idle(r: JobRunner) -> None:
    await asyncio.wait_for(r.wait_idle(), timeout=10)


async def test_submitted_job_runs_once_and_is_done(store: SQLiteJobStore) -> None:
    handler, observed = Recorder(), Observed()
    r = runner(store, handler, observer=observed)
    await r.start()
    assert await r.submit(req("d1")) is True
    assert await r.submit(req("d1")) is False
    await idle(r)
    await r.stop()
    assert handler.ran == ["d1"]
    job = await store.get("d1")
    assert job is not None and (job.state, job.attempts) == ("done", 1)
    assert observed.outcomes == ["done"]
    assert observed.queues


async def test_one_job_per_pull_request_at_a_time_while_pull_requests_run_in_parallel(
    store: SQLiteJobStore,
) -> None:
    handler = Recorder(delay=0.05)
    r = runner(store, handler, concurrency=6)
    await r.start()
    # Same head and a recheck: nothing here is superseded, so every job must run, three per pull request.
    reasons: list[JobReason] = ["opened", "recheck", "recheck"]
    await asyncio.gather(
        *(r.submit(req(f"d{pr}-{i}", number=pr, reason=reasons[i])) for pr in range(4) for i in range(3))
    )
    await idle(r)
    await r.stop()
    assert len(handler.ran) == 12
    assert set(handler.max_active_per_pr.values()) == {1}
    assert handler.max_active >= 2


async def test_newer_head_supersedes_pending_older_head(store: SQLiteJobStore) -> None:
    handler = Recorder()
    r = runner(store, handler)
    await r.submit(req("old", sha="a" * 40))
    await r.submit(req("new", sha="b" * 40, reason="synchronize"))
    await r.start()
    await idle(r)
    await r.stop()
    assert handler.ran == ["new"]
    old = await store.get("old")
    assert old is not None and old.state == "superseded"


async def test_recheck_runs_even_after_a_newer_push(store: SQLiteJobStore) -> None:
    handler = Recorder()
    r = runner(store, handler)
    await r.submit(req("check", sha="a" * 40, reason="recheck"))
    await r.submit(req("push", sha="b" * 40, reason="synchronize"))
    await r.start()
    await idle(r)
    await r.stop()
    assert handler.ran == ["check", "push"]


async def test_failures_are_retried_with_growing_backoff_then_succeed(store: SQLiteJobStore) -> None:
    handler, give_ups, observed = Recorder(failures=2), GiveUps(), Observed()
    r = runner(store, handler, give_ups, backoff_base=0.1, backoff_max=1.0, observer=observed)
    await r.start()
    await r.submit(req("d1"))
    await idle(r)
    await r.stop()
    times = [t for _, t in handler.calls]
    assert len(times) == 3
    # Equal jitter: the wait after attempt n is at least half of base * 2**(n-1).
    assert times[1] - times[0] >= 0.05
    assert times[2] - times[1] >= 0.1
    job = await store.get("d1")
    assert job is not None and (job.state, job.attempts) == ("done", 3)
    assert job.last_error == "RuntimeError: GitHub answered 502"
    assert give_ups.calls == []
    assert observed.outcomes == ["retry", "retry", "done"]


async def test_give_up_after_max_attempts_calls_on_give_up_once(store: SQLiteJobStore) -> None:
    handler, give_ups = Recorder(failures=99, error=ValueError("diff too large")), GiveUps()
    r = runner(store, handler, give_ups, max_attempts=3)
    await r.start()
    await r.submit(req("d1"))
    await idle(r)
    await asyncio.sleep(0.05)
    await r.stop()
    assert len(handler.calls) == 3
    assert give_ups.calls == [("d1", "ValueError: diff too large")]
    job = await store.get("d1")
    assert job is not None and (job.state, job.attempts) == ("failed", 3)


async def test_slow_handler_times_out_and_the_reason_is_given(store: SQLiteJobStore) -> None:
    handler, give_ups = Recorder(delay=5), GiveUps()
    r = runner(store, handler, give_ups, max_attempts=1, job_timeout=0.05)
    await r.start()
    await r.submit(req("d1"))
    await idle(r)
    await r.stop()
    assert give_ups.calls == [("d1", "the review took longer than 0.05 seconds")]


async def test_failing_give_up_and_odd_errors_do_not_stop_the_runner(store: SQLiteJobStore) -> None:
    async def odd(request: JobRequest) -> None:
        if request.number == 1:
            raise asyncio.CancelledError  # a library cancelling its own work must not look like shutdown
        if request.number == 2:
            raise KeyError("")

    give_ups = GiveUps(fail=True)
    r = JobRunner(store, odd, on_give_up=give_ups, max_attempts=1)
    await r.start()
    for n in (1, 2, 3):
        await r.submit(req(f"d{n}", number=n))
    await idle(r)
    await r.stop()
    assert sorted(give_ups.calls) == [("d1", "the review was cancelled"), ("d2", "KeyError: ''")]
    states = [(await store.get(f"d{n}")).state for n in (1, 2, 3)]  # type: ignore[union-attr]
    assert states == ["failed", "failed", "done"]


async def test_graceful_stop_finishes_in_flight_and_leaves_the_rest_queued(store: SQLiteJobStore) -> None:
    handler = Recorder(delay=0.2)
    r = runner(store, handler, concurrency=1)
    for n in range(3):
        await r.submit(req(f"d{n}", number=n))
    await r.start()
    await asyncio.wait_for(handler.started.wait(), timeout=5)
    await r.stop(grace_seconds=5)
    assert handler.ran == ["d0"]
    states = [(await store.get(f"d{n}")).state for n in range(3)]  # type: ignore[union-attr]
    assert states == ["done", "queued", "queued"]
    # A new runner on the same store resumes the rest.
    resumed = Recorder()
    again = runner(store, resumed)
    await again.start()
    await idle(again)
    await again.stop()
    assert sorted(resumed.ran) == ["d1", "d2"]


async def test_stop_past_the_grace_cancels_and_requeues_without_counting_the_attempt(
    store: SQLiteJobStore,
) -> None:
    handler = Recorder(delay=60)
    r = runner(store, handler)
    await r.submit(req("d1"))
    await r.start()
    await asyncio.wait_for(handler.started.wait(), timeout=5)
    started = time.monotonic()
    await r.stop(grace_seconds=0.1)
    assert time.monotonic() - started < 2
    job = await store.get("d1")
    assert job is not None and (job.state, job.attempts) == ("queued", 0)


async def test_rate_limit_skips_reviews_over_the_hourly_cap_and_says_so(store: SQLiteJobStore) -> None:
    now = [1000.0]
    handler, give_ups, limited = Recorder(), GiveUps(), GiveUps()
    r = runner(store, handler, give_ups, reviews_per_hour=2, on_rate_limited=limited, clock=lambda: now[0])
    await r.start()
    for n in range(3):
        await r.submit(req(f"i7-{n}", number=n, installation=7))
        await idle(r)
    await r.submit(req("i8-0", number=1, installation=8))
    await idle(r)
    await r.stop()
    assert handler.ran == ["i7-0", "i7-1", "i8-0"]
    assert give_ups.calls == []
    assert len(limited.calls) == 1
    delivery, message = limited.calls[0]
    assert delivery == "i7-2"
    assert "installation 7 reached its limit of 2 reviews per hour" in message
    assert "octo/app#2" in message and "/prodready recheck" in message
    skipped = await store.get("i7-2")
    assert skipped is not None and (skipped.state, skipped.attempts) == ("failed", 0)
    # A restart remembers the hour's reviews (not the skipped one); an hour later the budget is back.
    assert sorted(i for i, _ in await store.started_since(0)) == [7, 7, 8]
    restarted = runner(store, handler, give_ups, reviews_per_hour=2, on_rate_limited=limited, clock=lambda: now[0])
    await restarted.start()
    await restarted.submit(req("i7-3", number=3, installation=7))
    await idle(restarted)
    assert len(limited.calls) == 2
    now[0] += 3601
    await restarted.submit(req("i7-4", number=4, installation=7))
    await idle(restarted)
    await restarted.stop()
    assert handler.ran[-1] == "i7-4"


async def test_a_job_that_keeps_killing_the_process_is_abandoned(store: SQLiteJobStore) -> None:
    await store.submit(req("poison"), now=1.0)
    for _ in range(3):
        assert await store.claim(now=1.0) is not None
        await store.recover()
    handler, give_ups, observed = Recorder(), GiveUps(), Observed()
    r = runner(store, handler, give_ups, max_attempts=3, observer=observed)
    await r.start()
    await idle(r)
    await r.stop()
    assert handler.ran == []
    assert give_ups.calls == [("poison", "the process stopped during each of 3 attempts")]
    assert observed.outcomes == ["abandoned"]


async def test_runner_survives_a_locked_store_and_catches_up(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = SQLiteJobStore(tmp_path, busy_timeout=0.05)
    await store.open()
    # Due shortly after the runner starts, so its first claims meet the lock.
    await store.submit(req("d1"), now=time.time() + 0.1)
    handler = Recorder()
    r = runner(store, handler, poll_interval=0.05)
    await r.start()
    holder = sqlite3.connect(tmp_path / FILE_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    await asyncio.sleep(0.4)
    assert handler.ran == []
    assert "job store unavailable" in caplog.text and "is locked by another process" in caplog.text
    holder.execute("ROLLBACK")
    holder.close()
    await idle(r)
    await r.stop()
    await store.close()
    assert handler.ran == ["d1"]


async def test_bad_runner_options_are_refused(store: SQLiteJobStore) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        runner(store, Recorder(), concurrency=0)


async def test_default_observer_publishes_job_metrics(store: SQLiteJobStore) -> None:
    def done_count() -> float:
        value = metrics.REGISTRY.get_sample_value("prodready_jobs_total", {"reason": "reopened", "outcome": "done"})
        return value or 0.0

    before = done_count()
    r = JobRunner(store, Recorder(), on_give_up=GiveUps(), poll_interval=0.05)
    await r.submit(req("d1", reason="reopened"))
    await r.start()
    await idle(r)
    await asyncio.sleep(0.1)
    await r.stop()
    assert done_count() == before + 1
    assert metrics.REGISTRY.get_sample_value("prodready_job_queue_depth") == 0
    assert metrics.REGISTRY.get_sample_value("prodready_job_oldest_age_seconds") == 0


async def test_handler_logs_carry_the_job_context(store: SQLiteJobStore) -> None:
    seen: list[dict[str, object]] = []

    async def handler(request: JobRequest) -> None:
        seen.append(dict(current_context()))

    r = JobRunner(store, handler, on_give_up=GiveUps())
    await r.submit(req("d9", number=12, sha="c" * 40))
    await r.start()
    await idle(r)
    await r.stop()
    assert seen == [{"delivery_id": "d9", "repo": "octo/app", "pr": 12, "head_sha": "c" * 40, "attempt": 1}]
