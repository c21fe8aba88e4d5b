"""The real App wired to the fake GitHub and fake LLM over loopback, with short retry timings for fault tests.

`running_app` starts the aiohttp app from bot.server on 127.0.0.1: with `timing=None` exactly as `prodready
serve` builds it (bot.server.main.build_app), otherwise with the same parts (create_app, JobRunner over the
SQLite store, run_review_job, report_failure, ChatClient with its breaker) but backoffs of milliseconds.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import BaseTestServer, TestServer

from bot.github.auth import AppAuth
from bot.github.client import RetryPolicy as GitHubRetry
from bot.github.review_job import ReviewDeps, report_failure, run_review_job
from bot.jobs.runner import JobRunner
from bot.jobs.sqlite_store import SQLiteJobStore
from bot.jobs.store import Job
from bot.llm.breaker import CircuitBreaker
from bot.llm.client import ChatClient
from bot.llm.client import RetryPolicy as LLMRetry
from bot.llm.reviewer import OpenAIReviewer
from bot.server.app import create_app
from bot.server.main import WORKER_KEY, build_app
from bot.settings import Settings, settings_from_env
from tests.fakes.fake_github import APP_ID, FakeGitHub, FakePull, FakeRepo
from tests.fakes.fake_llm import FakeLLM
from tests.fakes.hooked_github import HookedGitHub
from tests.fakes.webhook_sender import deliver

SECRET = "harness-webhook-secret-9d1e"
FAST_GITHUB = GitHubRetry(
    attempts=3, backoff_base=0.01, backoff_max=0.05, timeout=5.0, connect_timeout=2.0, max_rate_limit_wait=5.0
)
FAST_LLM = LLMRetry(base_delay=0.01, max_delay=0.05, max_retry_after=5.0)


@dataclass(frozen=True, slots=True)
class Timing:
    """Retry and backoff settings short enough for tests; the parts are the production ones."""

    job_attempts: int = 3
    job_backoff: float = 0.05
    job_timeout: float = 30.0
    github: GitHubRetry = FAST_GITHUB
    llm: LLMRetry = FAST_LLM
    llm_retries: int = 1
    breaker_threshold: int = 5
    breaker_cooldown: float = 60.0


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
    store: SQLiteJobStore | None
    chat: ChatClient | None


async def _fast_app(settings: Settings, timing: Timing) -> tuple[web.Application, Wiring]:
    """Build the app as bot.server.worker does, with `timing` in place of the production backoffs."""
    assert settings.github.app_id and settings.github.private_key
    auth = AppAuth(app_id=settings.github.app_id, private_key=settings.github.private_key)
    chat = None
    if settings.llm.configured:
        llm_settings = replace(settings.llm, max_retries=timing.llm_retries)
        breaker = CircuitBreaker(threshold=timing.breaker_threshold, cooldown=timing.breaker_cooldown)
        chat = ChatClient(llm_settings, policy=timing.llm, breaker=breaker)
    reviewer = OpenAIReviewer(chat, model=settings.llm.model) if chat is not None else None
    session = aiohttp.ClientSession()
    deps = ReviewDeps(session=session, auth=auth, api_url=settings.github.api_url, llm=reviewer, policy=timing.github)
    store = SQLiteJobStore(settings.data_dir)
    runner = JobRunner(
        store,
        functools.partial(run_review_job, deps=deps),
        on_give_up=functools.partial(report_failure, deps=deps),
        concurrency=settings.jobs.concurrency,
        max_attempts=timing.job_attempts,
        backoff_base=timing.job_backoff,
        backoff_max=timing.job_backoff * 4,
        reviews_per_hour=settings.jobs.reviews_per_hour,
        job_timeout=timing.job_timeout,
        notify_timeout=10.0,
        poll_interval=0.05,
        close_store=True,
    )
    app = create_app(settings, queue=runner, grace_seconds=2.0)

    async def close(app: web.Application) -> None:
        await session.close()
        if chat is not None:
            await chat.close()

    app.on_cleanup.append(close)
    return app, Wiring(runner=runner, store=store, chat=chat)


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
        store = self.wiring.store
        if store is None:
            raise RuntimeError("the production wiring keeps its store private")
        return await store.get(delivery_id)

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
    timing: Timing | None = Timing(),
    installation: int = 7,
    env: dict[str, str] | None = None,
) -> AsyncIterator[AppWorld]:
    """Start the App on 127.0.0.1 against the fakes; `timing=None` uses the production wiring unchanged."""
    settings = harness_settings(github, llm, private_key=private_key, data_dir=data_dir, env=env or {})
    if timing is None:
        app = await build_app(settings)
        wiring = Wiring(runner=app[WORKER_KEY].runner, store=None, chat=app[WORKER_KEY].chat)
    else:
        app, wiring = await _fast_app(settings, timing)
    # No keep-alive: a stopping server would otherwise wait on idle connections.
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    async with TestServer(app, host="127.0.0.1") as server, aiohttp.ClientSession(connector=connector) as session:
        yield AppWorld(github, llm, server, session, wiring, data_dir, installation)
