"""The real server killed with SIGKILL after acknowledging a delivery and before posting; a restart posts once."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.jobs.sqlite_store import SQLiteJobStore
from tests.fakes.fake_github import APP_ID, FakeGitHub
from tests.fakes.webhook_sender import deliver

ROOT = Path(__file__).resolve().parents[2]
SECRET = "restart-test-webhook-secret"
pytestmark = pytest.mark.timeout(90)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def eventually(check: Callable[[], Any], *, seconds: float = 20, what: str) -> Any:
    """Poll `check` until it returns something truthy; fail naming `what` after `seconds`."""
    for _ in range(int(seconds / 0.05)):
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Server:
    """`python -m bot serve` in its own process, on its own port, over a given data dir."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.env = {**env, "PORT": str(self.port)}
        self.log = log
        self.process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, session: aiohttp.ClientSession) -> None:
        with self.log.open("ab") as out:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "serve", cwd=ROOT, env=self.env, stdout=out, stderr=out
            )

        async def healthy() -> bool:
            assert self.process is not None
            if self.process.returncode is not None:
                raise AssertionError(f"server exited with {self.process.returncode}: {self.log.read_text()}")
            try:
                async with session.get(f"{self.url}/healthz", timeout=aiohttp.ClientTimeout(total=1)) as resp:
                    return resp.status == 200
            except aiohttp.ClientError:
                return False

        await eventually(healthy, what="the server to answer /healthz")

    async def kill(self, sig: int) -> int:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(sig)
        return await asyncio.wait_for(self.process.wait(), timeout=30)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    # No keep-alive: a stopping server would otherwise wait out its shutdown timeout on our idle connection.
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as s:
        yield s


def server_env(fake: FakeGitHub, private_pem: str, data_dir: Path) -> dict[str, str]:
    # REDIS_URL too: this test reads the embedded store the server must be using.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENAI_", "GITHUB_", "PRODREADY_", "SENTRY", "REDIS_"))
    }
    env.update(
        GITHUB_APP_ID=str(APP_ID),
        GITHUB_PRIVATE_KEY=private_pem,
        GITHUB_WEBHOOK_SECRET=SECRET,
        GITHUB_API_URL=fake.url,
        PRODREADY_DATA_DIR=str(data_dir),
    )
    return env


async def job_state(data_dir: Path, delivery_id: str) -> str | None:
    store = SQLiteJobStore(data_dir)
    await store.open()
    try:
        job = await store.get(delivery_id)
    finally:
        await store.close()
    return None if job is None else job.state


def add_opened_pull(fake_github: FakeGitHub, shared_dir: Path) -> dict[str, Any]:
    """Set up the fake GitHub with the pull request of GitHub's published `opened` payload; return the payload."""
    payload: dict[str, Any] = json.loads((shared_dir / "github" / "webhooks" / "pull_request.opened.json").read_text())
    pr = payload["pull_request"]
    repo = fake_github.add_repo(payload["repository"]["full_name"])
    fake_github.add_installation(payload["installation"]["id"], [repo.full_name])
    repo.add_pull(
        payload["number"],
        diff=(ROOT / "tests" / "samples" / "github" / "small_pr" / "pr.diff").read_text(),
        head_sha=pr["head"]["sha"],
        base_sha=pr["base"]["sha"],
        user=pr["user"]["login"],
    )
    return payload


async def test_review_is_posted_exactly_once_after_the_server_is_killed_mid_job(
    tmp_path: Path,
    fake_github: FakeGitHub,
    github_app_key: tuple[str, str],
    shared_dir: Path,
    session: aiohttp.ClientSession,
) -> None:
    payload = add_opened_pull(fake_github, shared_dir)
    pr = payload["pull_request"]
    repo = fake_github.repos[payload["repository"]["full_name"]]
    # The first server's job hangs on reading the pull request: acknowledged, started, nothing posted yet.
    fake_github.timeout_delay = 120
    fake_github.inject("pulls.get", "timeout")
    data_dir = tmp_path / "data"
    env = server_env(fake_github, github_app_key[0], data_dir)
    delivery = "72d3162e-cc78-11e3-81ab-4c9367dc0958"

    first = Server(env, tmp_path / "first.log")
    await first.start(session)
    status, body = await deliver(
        session, f"{first.url}/webhook", "pull_request", payload, secret=SECRET, delivery_id=delivery
    )
    assert (status, body) == (202, {"status": "queued"})
    await eventually(lambda: fake_github.calls("pulls.get"), what="the first server to start the job")
    assert await first.kill(signal.SIGKILL) == -signal.SIGKILL
    assert fake_github.calls("pulls.reviews.create") == []
    assert await job_state(data_dir, delivery) == "running"

    second = Server(env, tmp_path / "second.log")
    await second.start(session)
    try:

        async def done() -> bool:
            state = await job_state(data_dir, delivery)
            if state == "failed":
                raise AssertionError(f"the resumed job failed: {second.log.read_text()}")
            return state == "done"

        await eventually(done, what=f"the restarted server to finish the job; log: {second.log}")
        # A redelivery of the same webhook (GitHub's "Redeliver" button) must not review again.
        status, body = await deliver(
            session, f"{second.url}/webhook", "pull_request", payload, secret=SECRET, delivery_id=delivery
        )
        assert (status, body) == (200, {"status": "duplicate"})
        await asyncio.sleep(0.5)
    finally:
        exit_code = await second.kill(signal.SIGTERM)
    reviews = fake_github.calls("pulls.reviews.create", "POST")
    assert len(reviews) == 1, second.log.read_text()
    assert reviews[0].json()["commit_id"] == pr["head"]["sha"]
    assert len(repo.reviews) == 1
    assert len(fake_github.calls("issues.comments.create", "POST")) == 1
    assert exit_code == 0, second.log.read_text()
