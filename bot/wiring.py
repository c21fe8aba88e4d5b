"""Build a worker from Settings and a Tuning: the one composition root (server, Action, CLI, tests, benches)."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace

import aiohttp

from bot.github.auth import AppAuth, GitHubAuth, TokenAuth
from bot.github.client import RetryPolicy as GitHubRetry
from bot.github.errors import AuthError
from bot.jobs.model import JobRequest
from bot.jobs.runner import JobRunner
from bot.jobs.service import JobTiming, build_job_runner
from bot.llm.breaker import CircuitBreaker
from bot.llm.client import ChatClient
from bot.llm.client import RetryPolicy as LLMRetry
from bot.llm.reviewer import DEFAULT_REQUEST_TOKENS, OpenAIReviewer
from bot.pulls.review_job import ReviewDeps, ReviewOutcome, report_failure, run_review_job
from bot.settings import LLMSettings, Secret, Settings


@dataclass(frozen=True, slots=True)
class Tuning:
    """Timings and sizes that are not the operator's to set: production values by default, short ones in tests."""

    github: GitHubRetry = field(default_factory=GitHubRetry)
    llm: LLMRetry = field(default_factory=LLMRetry)
    # None keeps PRODREADY_LLM_MAX_RETRIES; fault tests lower it so an outage shows within a second.
    llm_retries: int | None = None
    breaker_threshold: int = 5
    breaker_cooldown: float = 60.0
    jobs: JobTiming = field(default_factory=JobTiming)
    # How long a stopping server lets running reviews finish; None keeps the server's default.
    grace_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class Worker:
    """The job runner and the clients its jobs share; close() releases the clients."""

    runner: JobRunner
    deps: ReviewDeps
    session: aiohttp.ClientSession
    chat: ChatClient | None
    tuning: Tuning

    @property
    def reviewer(self) -> OpenAIReviewer | None:
        """Return the LLM reviewer every job shares (None when no LLM is configured)."""
        return self.deps.llm if isinstance(self.deps.llm, OpenAIReviewer) else None

    async def close(self) -> None:
        """Close the GitHub session and the LLM client."""
        await self.session.close()
        if self.chat is not None:
            await self.chat.close()


def build_chat(settings: LLMSettings, tuning: Tuning) -> ChatClient:
    """Return the process's one LLM client for `settings`, with the retry timings and breaker of `tuning`."""
    if tuning.llm_retries is not None:
        settings = replace(settings, max_retries=tuning.llm_retries)
    breaker = CircuitBreaker(threshold=tuning.breaker_threshold, cooldown=tuning.breaker_cooldown)
    return ChatClient(settings, policy=tuning.llm, breaker=breaker)


def build_reviewer(
    chat: ChatClient, *, model: str | None = None, on_progress: Callable[[int, int], None] | None = None
) -> OpenAIReviewer:
    """Return the reviewer over `chat`, its request sizes bounded by PRODREADY_LLM_MAX_REQUEST_TOKENS."""
    settings = chat.settings
    return OpenAIReviewer(
        chat,
        model=model or settings.model,
        request_tokens=min(DEFAULT_REQUEST_TOKENS, settings.max_request_tokens),
        max_request_tokens=settings.max_request_tokens,
        on_progress=on_progress,
    )


@asynccontextmanager
async def open_reviewer(
    settings: LLMSettings,
    *,
    tuning: Tuning | None = None,
    model: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> AsyncIterator[OpenAIReviewer]:
    """Yield a reviewer on its own client, closed on exit (the CLI's one-shot use)."""
    chat = build_chat(settings, tuning or Tuning())
    try:
        yield build_reviewer(chat, model=model, on_progress=on_progress)
    finally:
        await chat.close()


def _review_deps(
    settings: Settings, tuning: Tuning, *, auth: GitHubAuth, one_shot: bool = False
) -> tuple[ReviewDeps, aiohttp.ClientSession, ChatClient | None]:
    """Return what every review job shares, for `auth`: the App's credential or a given token."""
    chat = build_chat(settings.llm, tuning) if settings.llm.configured else None
    llm = build_reviewer(chat) if chat is not None else None
    # Timeouts are per request (the GitHub client's policy); the session only pools connections.
    session = aiohttp.ClientSession()
    deps = ReviewDeps(
        session=session, auth=auth, api_url=settings.github.api_url, llm=llm, policy=tuning.github, one_shot=one_shot
    )
    return deps, session, chat


def build_worker(settings: Settings, tuning: Tuning | None = None) -> Worker:
    """Return the worker for `settings`; call inside the event loop. Raises AuthError for a bad App key."""
    tuning = tuning or Tuning()
    if not settings.github.app_id or not settings.github.private_key:
        raise AuthError("GITHUB_APP_ID and a private key are needed to act as the GitHub App")
    auth = AppAuth(app_id=settings.github.app_id, private_key=settings.github.private_key)
    deps, session, chat = _review_deps(settings, tuning, auth=auth)

    async def handle(request: JobRequest) -> None:
        await run_review_job(request, deps=deps)

    runner = build_job_runner(
        settings,
        handler=handle,
        on_give_up=functools.partial(report_failure, deps=deps),
        timing=tuning.jobs,
    )
    return Worker(runner=runner, deps=deps, session=session, chat=chat, tuning=tuning)


@dataclass(frozen=True, slots=True)
class OneShotWorker:
    """The App's review job run once, in the foreground, with a given token (the Action): no store, no runner."""

    deps: ReviewDeps
    session: aiohttp.ClientSession
    chat: ChatClient | None

    async def review(self, request: JobRequest, *, read_only: str | None = None) -> ReviewOutcome | None:
        """Run the review job for `request` as the App's worker would, and return what it found."""
        return await run_review_job(request, deps=self.deps, read_only=read_only)

    async def close(self) -> None:
        """Close the GitHub session and the LLM client."""
        await self.session.close()
        if self.chat is not None:
            await self.chat.close()


def build_one_shot_worker(settings: Settings, token: Secret, tuning: Tuning | None = None) -> OneShotWorker:
    """Return the Action's worker: the same review job and clients as the App's, acting with `token`."""
    deps, session, chat = _review_deps(settings, tuning or Tuning(), auth=TokenAuth(token), one_shot=True)
    return OneShotWorker(deps=deps, session=session, chat=chat)
