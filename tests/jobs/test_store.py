"""The job store contract on both backends (SQLite on real files, Redis on a real server), then SQLite's own faults."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.jobs.model import JobReason, JobRequest
from bot.jobs.redis_store import RedisJobStore
from bot.jobs.sqlite_store import FILE_NAME, SQLiteJobStore
from bot.jobs.store import JobStore, StoreError
from bot.settings import Secret
from tests.jobs.test_redis import redis_prefix, redis_url_or_skip


def req(delivery: str, *, number: int = 1, sha: str = "a" * 40, reason: JobReason = "opened") -> JobRequest:
    return JobRequest(
        delivery_id=delivery, installation_id=7, repo="octo/app", number=number, head_sha=sha, reason=reason
    )


class Backend:
    """Opens stores of one kind over one shared place (a data dir, or a Redis prefix) and closes them after."""

    def __init__(self, make: Callable[..., JobStore], lease: float) -> None:
        self._make = make
        self.lease = lease
        self._open: list[JobStore] = []

    async def store(self, **options: Any) -> JobStore:
        store = self._make(**options)
        await store.open()
        self._open.append(store)
        return store

    async def die(self, store: JobStore) -> None:
        """Make `store` look like a process that was killed: it stops, and its leases run out."""
        self._open.remove(store)
        await store.close()
        await asyncio.sleep(self.lease)

    async def close_all(self) -> None:
        for store in self._open:
            await store.close()


@pytest.fixture(params=["sqlite", "redis"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    if request.param == "sqlite":
        made = Backend(lambda **_: SQLiteJobStore(tmp_path), lease=0.0)
        yield made
        await made.close_all()
        return
    url = redis_url_or_skip()
    async with redis_prefix(url) as prefix:

        def make(*, lease: float = 30.0) -> JobStore:
            return RedisJobStore(Secret(url), prefix=prefix, lease_seconds=lease)

        made = Backend(make, lease=0.3)
        yield made
        await made.close_all()


@pytest.fixture
async def store(backend: Backend) -> JobStore:
    return await backend.store()


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[SQLiteJobStore]:
    s = SQLiteJobStore(tmp_path)
    await s.open()
    yield s
    await s.close()


async def test_submitted_job_survives_in_a_new_store_on_the_same_file(backend: Backend) -> None:
    first = await backend.store()
    request = JobRequest(
        delivery_id="d1", installation_id=9, repo="o/r", number=3, head_sha="b" * 40,
        reason="recheck", comment_id=55, requested_by="mona",
    )  # fmt: skip
    assert await first.submit(request, now=100.0)
    # The first store is never closed: what was acknowledged must already be on disk.
    second = await backend.store()
    job = await second.get("d1")
    assert job is not None
    assert job.request == request
    assert (job.state, job.attempts, job.created_at) == ("queued", 0, 100.0)


async def test_duplicate_delivery_is_ignored(store: JobStore) -> None:
    assert await store.submit(req("d1"), now=1.0) is True
    assert await store.submit(req("d1", sha="c" * 40), now=2.0) is False
    stats = await store.stats()
    assert stats.queued == 1
    job = await store.get("d1")
    assert job is not None and job.request.head_sha == "a" * 40


async def test_claim_takes_one_job_per_pull_request_at_a_time(store: JobStore) -> None:
    await store.submit(req("d1", number=1, reason="opened"), now=1.0)
    await store.submit(req("d2", number=1, reason="recheck"), now=2.0)
    await store.submit(req("d3", number=2), now=3.0)
    first = await store.claim(now=10.0)
    second = await store.claim(now=10.0)
    assert first is not None and first.request.delivery_id == "d1"
    assert (first.state, first.attempts) == ("running", 1)
    # d2 waits for d1 (same pull request), so the other pull request's job comes next.
    assert second is not None and second.request.delivery_id == "d3"
    assert await store.claim(now=10.0) is None
    await store.finish(first.id, "done", now=11.0)
    third = await store.claim(now=12.0)
    assert third is not None and third.request.delivery_id == "d2"


async def test_newer_head_supersedes_queued_older_head(store: JobStore) -> None:
    await store.submit(req("d1", sha="a" * 40), now=1.0)
    await store.submit(req("d2", sha="b" * 40, reason="synchronize"), now=2.0)
    old, new = await store.get("d1"), await store.get("d2")
    assert old is not None and old.state == "superseded"
    assert new is not None and new.state == "queued"
    # Another pull request is untouched.
    await store.submit(req("d3", number=2, sha="a" * 40), now=3.0)
    await store.submit(req("d4", number=3, sha="c" * 40), now=4.0)
    other = await store.get("d3")
    assert other is not None and other.state == "queued"


async def test_recheck_is_never_superseded_and_supersedes_nothing(store: JobStore) -> None:
    await store.submit(req("d1", sha="a" * 40), now=1.0)
    await store.submit(req("d2", sha="b" * 40, reason="recheck"), now=2.0)
    await store.submit(req("d3", sha="c" * 40, reason="synchronize"), now=3.0)
    states = {d: (await store.get(d)).state for d in ("d1", "d2", "d3")}  # type: ignore[union-attr]
    assert states == {"d1": "superseded", "d2": "queued", "d3": "queued"}


async def test_running_job_is_not_superseded(store: JobStore) -> None:
    await store.submit(req("d1", sha="a" * 40), now=1.0)
    running = await store.claim(now=2.0)
    await store.submit(req("d2", sha="b" * 40, reason="synchronize"), now=3.0)
    assert running is not None
    assert (await store.get("d1")).state == "running"  # type: ignore[union-attr]


async def test_retry_waits_until_due_and_keeps_the_error(store: JobStore) -> None:
    await store.submit(req("d1"), now=1.0)
    job = await store.claim(now=1.0)
    assert job is not None
    await store.retry(job.id, next_attempt_at=50.0, error="HTTP 502")
    assert await store.next_due_at() == 50.0
    assert await store.claim(now=49.9) is None
    again = await store.claim(now=50.0)
    assert again is not None and again.attempts == 2 and again.last_error == "HTTP 502"


async def test_recover_requeues_running_jobs_with_attempt_counted(backend: Backend) -> None:
    dead = await backend.store(lease=backend.lease)
    await dead.submit(req("d1"), now=1.0)
    await dead.claim(now=1.0)
    await backend.die(dead)
    fresh = await backend.store()
    assert await fresh.recover() == 1
    job = await fresh.get("d1")
    assert job is not None and (job.state, job.attempts) == ("queued", 1)
    assert await fresh.recover() == 0


async def test_release_does_not_count_the_attempt(store: JobStore) -> None:
    await store.submit(req("d1"), now=1.0)
    job = await store.claim(now=1.0)
    assert job is not None
    await store.release(job.id)
    released = await store.get("d1")
    assert released is not None and (released.state, released.attempts) == ("queued", 0)


async def test_stats_count_and_date_the_queue(store: JobStore) -> None:
    empty = await store.stats()
    assert (empty.queued, empty.running, empty.oldest_created_at) == (0, 0, None)
    await store.submit(req("d1", number=1), now=5.0)
    await store.submit(req("d2", number=2), now=8.0)
    await store.submit(req("d3", number=3), now=9.0)
    finished = await store.claim(now=9.0)
    assert finished is not None
    await store.finish(finished.id, "done", now=9.0)
    await store.claim(now=9.0)
    stats = await store.stats()
    assert (stats.queued, stats.running, stats.oldest_created_at) == (1, 1, 8.0)
    assert await store.started_since(0.0) == [(7, 9.0), (7, 9.0)]
    assert await store.started_since(9.5) == []


async def test_many_concurrent_submits_keep_exactly_the_unique_deliveries(store: JobStore) -> None:
    # Every delivery is sent twice at once, as a redelivery racing the original would be.
    requests = [req(f"d{i % 100}", number=i % 10, sha="a" * 40) for i in range(200)]
    results = await asyncio.gather(*(store.submit(r, now=1.0) for r in requests))
    assert sum(results) == 100
    assert (await store.stats()).queued == 100


async def test_unreadable_stored_request_is_failed_not_blocking(sqlite_store: SQLiteJobStore, tmp_path: Path) -> None:
    store = sqlite_store
    await store.submit(req("d1", number=1), now=1.0)
    await store.submit(req("d2", number=1, reason="recheck"), now=2.0)
    with sqlite3.connect(tmp_path / FILE_NAME) as conn:
        conn.execute("UPDATE jobs SET request = '{\"unknown\": 1}' WHERE delivery_id = 'd1'")
    job = await store.claim(now=3.0)
    assert job is not None and job.request.delivery_id == "d2"
    with sqlite3.connect(tmp_path / FILE_NAME) as conn:
        state, error = conn.execute("SELECT state, last_error FROM jobs WHERE delivery_id = 'd1'").fetchone()
    assert state == "failed" and "unreadable" in error


async def test_finished_jobs_are_pruned_after_retention_but_recent_ones_still_dedupe(tmp_path: Path) -> None:
    first = SQLiteJobStore(tmp_path)
    await first.open()
    for delivery, when in (("old", 1.0), ("new", 2.0e12)):
        await first.submit(req(delivery, number=len(delivery)), now=when)
        job = await first.claim(now=when)
        assert job is not None
        await first.finish(job.id, "done", now=when)
    await first.close()
    second = SQLiteJobStore(tmp_path, retention_seconds=3600)
    await second.open()
    assert await second.get("old") is None
    assert await second.submit(req("new"), now=3.0) is False
    await second.close()


async def test_garbage_file_is_reported_as_damaged(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_bytes(b"this is not sqlite\n" * 300)
    store = SQLiteJobStore(tmp_path)
    with pytest.raises(StoreError, match=r"is damaged .*move the file aside") as caught:
        await store.open()
    assert str(tmp_path / FILE_NAME) in str(caught.value)


async def test_damaged_pages_are_reported_as_damaged(tmp_path: Path) -> None:
    store = SQLiteJobStore(tmp_path)
    await store.open()
    for i in range(100):
        await store.submit(req(f"d{i}", number=i), now=1.0)
    await store.close()
    with sqlite3.connect(tmp_path / FILE_NAME) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = tmp_path / FILE_NAME
    data = bytearray(path.read_bytes())
    # Keep the header page intact so the file still looks like SQLite; scramble the pages after it.
    data[4096:] = bytes((b * 7 + 13) % 256 for b in data[4096:])
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="is damaged"):
        await SQLiteJobStore(tmp_path).open()


async def test_data_dir_that_is_a_file_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create"):
        await SQLiteJobStore(blocker / "nested").open()


async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / FILE_NAME) as conn:
        conn.execute("PRAGMA user_version=99")
    with pytest.raises(StoreError, match="schema version 99"):
        await SQLiteJobStore(tmp_path).open()


async def test_locked_database_gives_a_clear_error_then_recovers(sqlite_store: SQLiteJobStore, tmp_path: Path) -> None:
    locked = SQLiteJobStore(tmp_path, busy_timeout=0.1)
    await locked.open()
    holder = sqlite3.connect(tmp_path / FILE_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked by another process"):
            await locked.submit(req("d1"), now=1.0)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # The failed write left no half transaction behind.
    assert await locked.submit(req("d1"), now=1.0) is True
    await locked.close()


async def test_use_before_open_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not open"):
        await SQLiteJobStore(tmp_path).submit(req("d1"), now=1.0)
    with pytest.raises(StoreError, match="not open"):
        await RedisJobStore(Secret("redis://127.0.0.1:1/0")).claim(now=1.0)


async def test_a_long_running_store_prunes_finished_jobs_without_a_restart(tmp_path: Path) -> None:
    # A server that runs for months never reopens its store; finished jobs must not pile up meanwhile.
    store = SQLiteJobStore(tmp_path, retention_seconds=3600)
    await store.open()
    try:
        for delivery, when in (("old", 1_000.0), ("new", 1_000.0 + 2 * 86400)):
            await store.submit(req(delivery, number=len(delivery)), now=when)
            job = await store.claim(now=when)
            assert job is not None
            await store.finish(job.id, "done", now=when)
        assert await store.get("old") is None
        assert await store.get("new") is not None
    finally:
        await store.close()


async def test_submits_written_together_supersede_in_arrival_order(sqlite_store: SQLiteJobStore) -> None:
    # Concurrent submits share one transaction (group commit); the last push to arrive must still win.
    # (SQLite only: over Redis's connection pool, arrival order at the server is not the order of the calls.)
    heads = [c * 40 for c in "abcde"]
    submits = (sqlite_store.submit(req(f"d{i}", sha=h), now=1.0) for i, h in enumerate(heads))
    assert await asyncio.gather(*submits) == [True] * 5
    assert (await sqlite_store.stats()).queued == 1
    job = await sqlite_store.claim(now=2.0)
    assert job is not None and job.request.head_sha == "e" * 40


async def test_a_failed_group_of_submits_fails_every_waiting_caller_then_recovers(tmp_path: Path) -> None:
    locked = SQLiteJobStore(tmp_path, busy_timeout=0.1)
    await locked.open()
    holder = sqlite3.connect(tmp_path / FILE_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        results = await asyncio.gather(
            *(locked.submit(req(f"d{i}"), now=1.0) for i in range(20)), return_exceptions=True
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert all(isinstance(r, StoreError) for r in results)
    # Nothing half-written: every delivery can be stored again.
    assert await asyncio.gather(*(locked.submit(req(f"d{i}"), now=1.0) for i in range(20))) == [True] * 20
    await locked.close()


async def test_a_caller_that_gives_up_does_not_lose_the_others_submits(sqlite_store: SQLiteJobStore) -> None:
    tasks = [asyncio.create_task(sqlite_store.submit(req(f"d{i}", number=i), now=1.0)) for i in range(10)]
    tasks[3].cancel()
    done = await asyncio.gather(*tasks, return_exceptions=True)
    assert isinstance(done[3], asyncio.CancelledError)
    assert [d for i, d in enumerate(done) if i != 3] == [True] * 9
    # The cancelled caller's delivery may or may not have been written; a redelivery settles it either way.
    assert (await sqlite_store.stats()).queued in (9, 10)
