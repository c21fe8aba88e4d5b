"""Two real servers (`python -m bot serve`) on one Redis: a delivery to either is reviewed once."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.jobs.redis_store import RedisJobStore
from bot.settings import Secret
from tests.fakes.fake_github import FakeGitHub
from tests.fakes.webhook_sender import deliver
from tests.jobs.test_redis import redis_prefix, redis_url_or_skip
from tests.jobs.test_restart_e2e import SECRET, Server, add_opened_pull, eventually, server_env

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(90)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    # No keep-alive: a stopping server would otherwise wait out its shutdown timeout on our idle connection.
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as s:
        yield s


async def test_two_servers_on_one_redis_review_a_delivery_once(
    tmp_path: Path,
    fake_github: FakeGitHub,
    github_app_key: tuple[str, str],
    shared_dir: Path,
    session: aiohttp.ClientSession,
) -> None:
    url = redis_url_or_skip()
    payload = add_opened_pull(fake_github, shared_dir)
    repo = fake_github.repos[payload["repository"]["full_name"]]
    delivery = "5f0c8a8e-0000-4000-8000-00000000beef"
    async with redis_prefix(url) as prefix:
        servers = []
        for name in ("first", "second"):
            # Separate data directories, as on separate machines: Redis is all they share.
            env = server_env(fake_github, github_app_key[0], tmp_path / name)
            env.update(REDIS_URL=url, PRODREADY_REDIS_PREFIX=prefix)
            servers.append(Server(env, tmp_path / f"{name}.log"))
        reader = RedisJobStore(Secret(url), prefix=prefix)
        await reader.open()
        try:
            for server in servers:
                await server.start(session)
            first, second = servers
            status, body = await deliver(
                session, f"{first.url}/webhook", "pull_request", payload, secret=SECRET, delivery_id=delivery
            )
            assert (status, body) == (202, {"status": "queued"})
            # GitHub's "Redeliver" may reach the other machine: it must know the delivery.
            status, body = await deliver(
                session, f"{second.url}/webhook", "pull_request", payload, secret=SECRET, delivery_id=delivery
            )
            assert (status, body) == (200, {"status": "duplicate"})

            async def done() -> bool:
                job = await reader.get(delivery)
                if job is not None and job.state == "failed":
                    raise AssertionError(f"the job failed: {job.last_error}")
                return job is not None and job.state == "done"

            await eventually(done, what="a server to finish the review")
        finally:
            await reader.close()
            codes = [await server.kill(signal.SIGTERM) for server in servers if server.process is not None]
        logs = "".join((tmp_path / f"{name}.log").read_text() for name in ("first", "second"))
        assert codes == [0, 0], logs
        assert len(fake_github.calls("pulls.reviews.create", "POST")) == 1, logs
        assert len(repo.reviews) == 1
        assert not (tmp_path / "first" / "jobs.sqlite3").exists()
        assert "jobs are kept in Redis" in logs
