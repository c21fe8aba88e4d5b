"""Several job runners on one Redis: one job per pull request at a time, each job once, crash takeover, outages."""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import signal
import socket
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.jobs.model import JobRequest
from bot.jobs.redis_store import RedisJobStore
from bot.jobs.runner import JobRunner
from bot.jobs.store import StoreError
from bot.settings import Secret
from tests.jobs.test_redis import redis_prefix, redis_url_or_skip

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def redis_url() -> str:
    return redis_url_or_skip()


@pytest.fixture
async def prefix(redis_url: str) -> AsyncIterator[str]:
    async with redis_prefix(redis_url) as value:
        yield value


def recheck(delivery: str, number: int) -> JobRequest:
    # Rechecks are never superseded, so every submitted job must run.
    return JobRequest(
        delivery_id=delivery, installation_id=3, repo="octo/app", number=number, head_sha="b" * 40, reason="recheck"
    )


async def never_give_up(request: JobRequest, error: str) -> None:
    raise AssertionError(f"{request.delivery_id} gave up: {error}")


class Ledger:
    """Records every run and how many jobs of each pull request ran at the same moment."""

    def __init__(self) -> None:
        self.runs: Counter[str] = Counter()
        self.by_runner: Counter[str] = Counter()
        self.running: Counter[int] = Counter()
        self.most_at_once = 0

    def handler(self, name: str):  # type: ignore[no-untyped-def]
        async def handle(request: JobRequest) -> None:
            self.runs[request.delivery_id] += 1
            self.by_runner[name] += 1
            self.running[request.number] += 1
            self.most_at_once = max(self.most_at_once, self.running[request.number])
            try:
                await asyncio.sleep(random.uniform(0, 0.01))
            finally:
                self.running[request.number] -= 1

        return handle


@asynccontextmanager
async def opened_store(url: str, prefix: str = "prodready:") -> AsyncIterator[RedisJobStore]:
    store = RedisJobStore(Secret(url), prefix=prefix, timeout=1.0)
    await store.open()
    try:
        yield store
    finally:
        await store.close()


@asynccontextmanager
async def runner(url: str, prefix: str, handler, **store_options: float) -> AsyncIterator[JobRunner]:  # type: ignore[no-untyped-def]
    store = RedisJobStore(Secret(url), prefix=prefix, **store_options)  # type: ignore[arg-type]
    jobs = JobRunner(store, handler, on_give_up=never_give_up, concurrency=4, poll_interval=0.05, close_store=True)
    await jobs.start()
    try:
        yield jobs
    finally:
        await jobs.stop(grace_seconds=5)


async def test_two_runners_run_each_job_once_and_one_per_pull_request(redis_url: str, prefix: str) -> None:
    ledger = Ledger()
    async with (
        runner(redis_url, prefix, ledger.handler("a")) as a,
        runner(redis_url, prefix, ledger.handler("b")) as b,
    ):
        requests = [recheck(f"d{i}", number=i % 5) for i in range(60)]
        results = await asyncio.gather(*(
            (a if i % 2 else b).submit(request) for i, request in enumerate(requests)
        ))  # fmt: skip
        assert all(results)
        await asyncio.wait_for(asyncio.gather(a.wait_idle(), b.wait_idle()), timeout=30)
    assert ledger.runs == Counter({f"d{i}": 1 for i in range(60)})
    assert ledger.most_at_once == 1
    assert sum(ledger.by_runner.values()) == 60


async def test_duplicate_deliveries_across_runners_are_stored_and_run_once(redis_url: str, prefix: str) -> None:
    ledger = Ledger()
    async with (
        runner(redis_url, prefix, ledger.handler("a")) as a,
        runner(redis_url, prefix, ledger.handler("b")) as b,
    ):
        # GitHub redelivers to whichever process its load balancer picks, racing the original.
        requests = [recheck(f"dup{i}", number=i) for i in range(20)]
        results = await asyncio.gather(*(r.submit(request) for request in requests for r in (a, b)))
        assert sum(results) == 20
        await asyncio.wait_for(asyncio.gather(a.wait_idle(), b.wait_idle()), timeout=30)
    assert ledger.runs == Counter({f"dup{i}": 1 for i in range(20)})


# The doomed process: leases one job with a short lease, says so, then hangs until it is killed.
CHILD = """
import asyncio, sys
from pathlib import Path
from bot.jobs.model import JobRequest
from bot.jobs.redis_store import RedisJobStore
from bot.jobs.runner import JobRunner
from bot.settings import Secret

url, prefix, marker = sys.argv[1], sys.argv[2], Path(sys.argv[3])

async def handler(request):
    marker.write_text(request.delivery_id)
    await asyncio.sleep(3600)

async def give_up(request, error):
    raise AssertionError("never reached")

async def main():
    store = RedisJobStore(Secret(url), prefix=prefix, lease_seconds=0.5)
    runner = JobRunner(store, handler, on_give_up=give_up)
    await runner.start()
    request = JobRequest(delivery_id="crash-1", installation_id=1, repo="o/r", number=5,
                         head_sha="f" * 40, reason="opened")
    assert await runner.submit(request)
    await asyncio.sleep(3600)

asyncio.run(main())
"""


async def test_job_of_a_killed_process_is_taken_over_once_its_lease_runs_out(
    redis_url: str, prefix: str, tmp_path: Path
) -> None:
    marker = tmp_path / "started"
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD, redis_url, prefix, str(marker), cwd=ROOT, stderr=asyncio.subprocess.PIPE
    )
    ledger = Ledger()
    try:
        for _ in range(1000):
            if marker.exists() or child.returncode is not None:
                break
            await asyncio.sleep(0.01)
        assert marker.exists(), "the child never started the job"
        async with runner(redis_url, prefix, ledger.handler("survivor")) as survivor:
            # Started while the child lives: its start-up recovery must leave the child's job alone.
            await asyncio.sleep(1.2)
            assert ledger.runs["crash-1"] == 0
            os.kill(child.pid, signal.SIGKILL)
            await asyncio.wait_for(child.wait(), timeout=10)
            for _ in range(300):
                if ledger.runs["crash-1"]:
                    break
                await asyncio.sleep(0.01)
            await asyncio.wait_for(survivor.wait_idle(), timeout=10)
            await asyncio.sleep(0.6)  # past another lease: no second takeover
            async with opened_store(redis_url, prefix) as reader:
                job = await reader.get("crash-1")
    finally:
        if child.returncode is None:
            os.kill(child.pid, signal.SIGKILL)
        await child.communicate()
    assert child.returncode == -signal.SIGKILL
    assert ledger.runs == Counter({"crash-1": 1})
    assert job is not None and (job.state, job.attempts) == ("done", 2)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivateRedis:
    """A redis-server of the test's own, with an fsync-always append-only file, to crash and restart."""

    def __init__(self, data: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed: cannot crash and restart a private Redis")
        self.binary, self.data, self.port = binary, data, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.data.mkdir(exist_ok=True)
        self.process = await asyncio.create_subprocess_exec(
            self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.data),
            "--appendonly", "yes", "--appendfsync", "always", "--save", "", stdout=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(500):
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                await asyncio.sleep(0.01)
                continue
            writer.close()
            return
        raise AssertionError("the private redis-server did not start")

    async def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


async def test_runner_outlives_a_redis_crash_and_acknowledged_jobs_survive_it(tmp_path: Path) -> None:
    redis = PrivateRedis(tmp_path / "redis")
    ledger = Ledger()
    await redis.start()
    try:
        async with runner(redis.url, "prodready:", ledger.handler("a"), timeout=1.0) as jobs:
            assert await jobs.submit(recheck("before", 1))
            await asyncio.wait_for(jobs.wait_idle(), timeout=10)
            # Acknowledged but not yet due when Redis dies: the append-only file must keep it.
            async with opened_store(redis.url) as other:
                assert await other.submit(recheck("later", 2), now=4.0e12)
            await redis.kill()
            with pytest.raises(StoreError, match=f"127.0.0.1:{redis.port}") as caught:
                await jobs.submit(recheck("during", 3))
            assert "Traceback" not in str(caught.value)
            await asyncio.sleep(0.5)  # the dispatcher meets the outage and must keep going
            # Same port, same data directory: the restarted Redis replays its append-only file.
            await redis.start()
            assert await jobs.submit(recheck("after", 4))
            for _ in range(400):
                if ledger.runs["after"]:
                    break
                await asyncio.sleep(0.025)
            async with opened_store(redis.url) as reader:
                kept, before = await reader.get("later"), await reader.get("before")
    finally:
        await redis.kill()
    assert ledger.runs == Counter({"before": 1, "after": 1})
    assert kept is not None and kept.state == "queued"
    assert before is not None and before.state == "done"
