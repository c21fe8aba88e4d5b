"""The Redis job store on a real Redis: leases, fencing, expiry, bad URLs, refused and dropped connections."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from redis.asyncio import Redis

from bot.jobs.model import JobRequest
from bot.jobs.redis_store import RedisJobStore
from bot.jobs.redis_url import redis_location
from bot.jobs.store import StoreError
from bot.settings import Secret


def redis_url_or_skip() -> str:
    """Return REDIS_URL, or skip the test when it is unset."""
    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        pytest.skip("REDIS_URL is unset: no Redis server to test against (CI sets it)")
    return url


@asynccontextmanager
async def redis_prefix(url: str) -> AsyncIterator[str]:
    """Yield a key prefix no other test uses, and delete every key under it afterwards."""
    prefix = f"prodready-test:{uuid.uuid4().hex}:"
    try:
        yield prefix
    finally:
        async with Redis.from_url(url) as client:
            keys = [key async for key in client.scan_iter(match=f"{prefix}*", count=1000)]
            if keys:
                await client.delete(*keys)


@pytest.fixture
def redis_url() -> str:
    return redis_url_or_skip()


@pytest.fixture
async def prefix(redis_url: str) -> AsyncIterator[str]:
    async with redis_prefix(redis_url) as value:
        yield value


@pytest.fixture
async def raw(redis_url: str) -> AsyncIterator[Any]:
    # Any: redis-py types replies as bytes | str; with decode_responses they are str.
    async with Redis.from_url(redis_url, decode_responses=True) as client:
        yield client


@asynccontextmanager
async def opened(url: str, prefix: str, **options: float) -> AsyncIterator[RedisJobStore]:
    store = RedisJobStore(Secret(url), prefix=prefix, **options)  # type: ignore[arg-type]
    await store.open()
    try:
        yield store
    finally:
        await store.close()


def req(delivery: str, *, number: int = 1, reason: str = "opened") -> JobRequest:
    return JobRequest(
        delivery_id=delivery,
        installation_id=7,
        repo="octo/app",
        number=number,
        head_sha="a" * 40,
        reason=reason,  # type: ignore[arg-type]
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_recover_leaves_the_job_of_a_live_process_alone(redis_url: str, prefix: str) -> None:
    async with opened(redis_url, prefix, lease_seconds=0.3) as live, opened(redis_url, prefix) as starting:
        await live.submit(req("d1"), now=1.0)
        job = await live.claim(now=1.0)
        assert job is not None
        # Two lease lengths pass; the live process renews, so the job is still its own.
        await asyncio.sleep(0.7)
        assert await starting.recover() == 0
        assert await starting.claim(now=2.0) is None
        assert (await starting.stats()).running == 1
        await live.finish(job.id, "done", now=3.0)
        done = await starting.get("d1")
        assert done is not None and (done.state, done.attempts) == ("done", 1)


async def test_expired_lease_is_taken_over_once_and_the_old_owner_is_fenced(
    redis_url: str, prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    # renew_seconds far beyond the lease: this process hangs (or lost Redis) and stops renewing.
    async with (
        opened(redis_url, prefix, lease_seconds=0.2, renew_seconds=60) as stalled,
        opened(redis_url, prefix) as other,
    ):
        await stalled.submit(req("d1"), now=1.0)
        first = await stalled.claim(now=1.0)
        assert first is not None
        assert await other.claim(now=1.0) is None
        await asyncio.sleep(0.3)
        second = await other.claim(now=2.0)
        assert second is not None and second.id == first.id and second.attempts == 2
        assert await other.claim(now=2.0) is None
        # The stalled process wakes up: its outcome must not overwrite the run that took over.
        with caplog.at_level(logging.WARNING):
            await stalled.finish(first.id, "failed", now=3.0, error="late")
            await stalled.retry(first.id, next_attempt_at=4.0, error="late")
        assert "taken over by another process" in caplog.text
        current = await other.get("d1")
        assert current is not None and (current.state, current.last_error) == ("running", None)
        await other.finish(second.id, "done", now=5.0)
        done = await other.get("d1")
        assert done is not None and done.state == "done"


async def test_settling_twice_is_harmless(redis_url: str, prefix: str) -> None:
    async with opened(redis_url, prefix) as store:
        await store.submit(req("d1"), now=1.0)
        job = await store.claim(now=1.0)
        assert job is not None
        await store.release(job.id)
        # A write retried after a lost reply must not count the attempt back twice.
        await store.release(job.id)
        again = await store.claim(now=1.0)
        assert again is not None and again.attempts == 1
        await store.finish(again.id, "done", now=2.0)
        await store.finish(again.id, "done", now=2.0)
        assert (await store.stats()).running == 0


async def test_unreadable_stored_request_is_failed_not_blocking(redis_url: str, prefix: str, raw: Any) -> None:
    async with opened(redis_url, prefix) as store:
        await store.submit(req("d1"), now=1.0)
        await store.submit(req("d2", reason="recheck"), now=2.0)
        member = await raw.get(f"{prefix}delivery:d1")
        await raw.hset(f"{prefix}job:{member}", "request", '{"unknown": 1}')
        job = await store.claim(now=3.0)
        assert job is not None and job.request.delivery_id == "d2"
        state, error = await raw.hmget(f"{prefix}job:{member}", ["state", "last_error"])
        assert state == "failed" and "unreadable" in error
        with pytest.raises(StoreError, match="unreadable"):
            await store.get("d1")


async def test_finished_jobs_expire_after_retention_and_open_ones_never(redis_url: str, prefix: str, raw: Any) -> None:
    async with opened(redis_url, prefix, retention_seconds=50) as store:
        await store.submit(req("d1", number=1), now=1.0)
        await store.submit(req("d2", number=2), now=1.0)
        job = await store.claim(now=1.0)
        assert job is not None
        await store.finish(job.id, "done", now=2.0)
        finished = await raw.get(f"{prefix}delivery:{job.request.delivery_id}")
        assert 0 < await raw.ttl(f"{prefix}job:{finished}") <= 50
        assert 0 < await raw.ttl(f"{prefix}delivery:{job.request.delivery_id}") <= 50
        queued = await raw.get(f"{prefix}delivery:d2")
        assert await raw.ttl(f"{prefix}job:{queued}") == -1
        # Until it expires, a redelivery of the finished job is still a duplicate.
        assert await store.submit(req(job.request.delivery_id), now=3.0) is False


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://:hunter2-secret@127.0.0.1:6379/0", "not a usable Redis URL"),
        ("redis://:hunter2-secret@127.0.0.1:notaport/0", "not a usable Redis URL"),
        ("redis://:hunter2-secret@127.0.0.1:6379/notadb", "not a usable Redis URL"),
    ],
)
async def test_bad_url_is_a_clear_error_without_the_password(url: str, message: str) -> None:
    store = RedisJobStore(Secret(url))
    with pytest.raises(StoreError, match=message) as caught:
        await store.open()
    assert "hunter2-secret" not in str(caught.value)
    assert "hunter2-secret" not in redis_location(url)


async def test_refused_connection_at_start_names_the_server_not_the_password() -> None:
    port = closed_port()
    store = RedisJobStore(Secret(f"redis://:hunter2-secret@127.0.0.1:{port}/0"), timeout=1.0)
    with pytest.raises(StoreError) as caught:
        await store.open()
    text = str(caught.value)
    assert f"redis://127.0.0.1:{port}/0" in text and "check REDIS_URL" in text
    assert "hunter2-secret" not in text


async def test_wrong_password_is_reported_without_it(redis_url: str) -> None:
    location = redis_location(redis_url).split("://", 1)[1]
    store = RedisJobStore(Secret(f"redis://prodready-nobody:hunter2-secret@{location}"), timeout=2.0)
    with pytest.raises(StoreError, match="check REDIS_URL") as caught:
        await store.open()
    assert "hunter2-secret" not in str(caught.value)


async def test_dropped_connections_are_reopened(redis_url: str, prefix: str, raw: Any) -> None:
    async with opened(redis_url, prefix) as store:
        assert await store.submit(req("d1", number=1), now=1.0)
        # Only this store's own connections: other tests may share the server.
        ids = [c["id"] for c in await raw.client_list() if c.get("name") == f"prodready:{store.owner}"]
        assert ids
        for client_id in ids:
            await raw.client_kill_filter(_id=client_id)
        assert await store.submit(req("d2", number=2), now=1.0)
        job = await store.claim(now=1.0)
        assert job is not None and job.request.delivery_id == "d1"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://user:hunter2-secret@cache.internal:6380/3", "redis://cache.internal:6380/3"),
        ("rediss://:hunter2-secret@cache.internal", "rediss://cache.internal:6379/0"),
        ("unix://:hunter2-secret@/run/redis.sock?db=1", "unix:///run/redis.sock"),
        ("redis://:hunter2-secret@host:port/0", "the Redis in REDIS_URL"),
    ],
)
def test_location_shows_where_never_who(url: str, shown: str) -> None:
    assert redis_location(url) == shown
