"""The real App wired to the fake GitHub and fake LLM over loopback, with short retry timings for fault tests.

`running_app` starts the aiohttp app from bot.server on 127.0.0.1, built by bot.wiring exactly as `prodready
serve` builds it; `tuning` (default: backoffs of milliseconds, see `fast_tuning`) is the only difference.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.test_utils import BaseTestServer, TestServer

from bot.github.client import RetryPolicy as GitHubRetry
from bot.jobs.runner import JobRunner
from bot.jobs.service import JobTiming
from bot.jobs.store import Job, JobStore
from bot.llm.client import ChatClient
from bot.llm.client import RetryPolicy as LLMRetry
from bot.server.main import WORKER_KEY, build_app
from bot.settings import Settings, settings_from_env
from bot.wiring import Tuning
from tests.fakes.fake_github import APP_ID, FakeGitHub, FakePull, FakeRepo
from tests.fakes.fake_llm import FakeLLM
from tests.fakes.hooked_github import HookedGitHub
from tests.fakes.webhook_sender import deliver

SECRET = "harness-webhook-secret-9d1e"
FAST_GITHUB = GitHubRetry(
    attempts=3, backoff_base=0.01, backoff_max=0.05, timeout=5.0, connect_timeout=2.0, max_rate_limit_wait=5.0
)
FAST_LLM = LLMRetry(base_delay=0.01, max_delay=0.05, max_retry_after=5.0)


def fast_tuning(
    *,
    job_attempts: int = 3,
    job_backoff: float = 0.05,
    job_timeout: float = 30.0,
    github: GitHubRetry = FAST_GITHUB,
    llm: LLMRetry = FAST_LLM,
    llm_retries: int = 1,
    breaker_threshold: int = 5,
    breaker_cooldown: float = 60.0,
) -> Tuning:
    """Return a Tuning with retry and backoff waits short enough for tests; the parts are the production ones."""
    jobs = JobTiming(
        max_attempts=job_attempts,
        backoff_base=job_backoff,
        backoff_max=job_backoff * 4,
        job_timeout=job_timeout,
        notify_timeout=10.0,
        poll_interval=0.05,
    )
    return Tuning(
        github=github,
        llm=llm,
        llm_retries=llm_retries,
        breaker_threshold=breaker_threshold,
        breaker_cooldown=breaker_cooldown,
        jobs=jobs,
        grace_seconds=2.0,
    )


FAST = fast_tuning()


def harness_settings(
    github: FakeGitHub, llm: FakeLLM | None, *, private_key: str, data_dir: Path, env: dict[str, str]
) -> Settings:
    """Return the settings `prodready serve` would build from an environment pointing at the fakes."""
    base = {
        "GITHUB_WEBHOOK_SECRET": SECRET,
        "GITHUB_APP_ID": str(APP_ID),
        "GITHUB_PRIVATE_KEY": private_key,
        "GITHUB_API_URL": github.url,
        "PRODREADY_DATA_DIR": str(data_dir),
    }
    if llm is not None:
        base["OPENAI_BASE_URL"] = llm.base_url
    return settings_from_env({**base, **env})


@dataclass
class Wiring:
    """The pieces of a running app the tests look into."""

    runner: JobRunner
    store: JobStore
    chat: ChatClient | None


@dataclass
class AppWorld:
    """The running App, the fakes around it, and helpers to drive it like GitHub does."""

    github: HookedGitHub
    llm: FakeLLM | None
    server: BaseTestServer
    session: aiohttp.ClientSession
    wiring: Wiring
    data_dir: Path
    installation: int = 7
    sent: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Return the webhook URL."""
        return str(self.server.make_url("/webhook"))

    async def send(self, event: str, payload: dict[str, Any], *, delivery_id: str | None = None) -> tuple[int, Any]:
        """Deliver one signed webhook; return (status, JSON body)."""
        return await deliver(self.session, self.url, event, payload, secret=SECRET, delivery_id=delivery_id)

    async def settle(self, seconds: float = 20.0) -> None:
        """Wait until nothing is queued or running, retries included."""
        await asyncio.wait_for(self.wiring.runner.wait_idle(), timeout=seconds)

    async def job(self, delivery_id: str) -> Job | None:
        """Return the stored job of a delivery."""
        return await self.wiring.store.get(delivery_id)

    def pr_event(self, repo: FakeRepo, pull: FakePull, action: str, *, head: str | None = None, **extra: Any) -> dict:
        """Return a pull_request payload as GitHub sends it for `action` at `head` (default: current)."""
        return {
            "action": action,
            "number": pull.number,
            "pull_request": {
                "number": pull.number,
                "state": "open",
                "draft": pull.draft,
                "head": {"sha": head or pull.head_sha, "ref": pull.head_ref},
                "base": {"sha": pull.base_sha, "ref": pull.base_ref},
                "user": {"login": pull.user, "type": "User"},
            },
            "repository": {"full_name": repo.full_name},
            "installation": {"id": self.installation},
            "sender": {"login": pull.user, "type": "User"},
            **extra,
        }

    def recheck_event(self, repo: FakeRepo, pull: FakePull) -> dict:
        """Return an issue_comment payload of the author asking `/prodready recheck`."""
        comment_id = repo.add_issue_comment(pull.number, "/prodready recheck", user=pull.user)
        user = {"login": pull.user, "type": "User"}
        return {
            "action": "created",
            "issue": {"number": pull.number, "state": "open", "pull_request": {"url": "x"}, "user": user},
            "comment": {"id": comment_id, "body": "/prodready recheck", "user": user},
            "repository": {"full_name": repo.full_name},
            "installation": {"id": self.installation},
            "sender": user,
        }


def sha(text: str) -> str:
    """Return a commit-like sha for `text`."""
    return hashlib.sha1(text.encode()).hexdigest()


@asynccontextmanager
async def running_app(
    github: HookedGitHub,
    llm: FakeLLM | None,
    *,
    private_key: str,
    data_dir: Path,
    tuning: Tuning = FAST,
    installation: int = 7,
    env: dict[str, str] | None = None,
) -> AsyncIterator[AppWorld]:
    """Start the App on 127.0.0.1 against the fakes; `tuning=Tuning()` runs it with the production timings."""
    settings = harness_settings(github, llm, private_key=private_key, data_dir=data_dir, env=env or {})
    app = await build_app(settings, tuning)
    worker = app[WORKER_KEY]
    wiring = Wiring(runner=worker.runner, store=worker.runner.store, chat=worker.chat)
    # No keep-alive: a stopping server would otherwise wait on idle connections.
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    async with TestServer(app, host="127.0.0.1") as server, aiohttp.ClientSession(connector=connector) as session:
        yield AppWorld(github, llm, server, session, wiring, data_dir, installation)
