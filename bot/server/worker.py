"""Wire the review worker: one HTTP session, App auth and LLM client per process, driving the job runner."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import aiohttp

from bot.github.auth import AppAuth
from bot.github.errors import AuthError
from bot.github.review_job import ReviewDeps, report_failure, run_review_job
from bot.jobs.runner import JobRunner
from bot.jobs.service import build_job_runner
from bot.llm.client import ChatClient
from bot.llm.reviewer import OpenAIReviewer
from bot.settings import Settings


@dataclass(frozen=True, slots=True)
class Worker:
    """The job runner and the clients its jobs share; close() releases the clients."""

    runner: JobRunner
    session: aiohttp.ClientSession
    chat: ChatClient | None

    async def close(self) -> None:
        """Close the GitHub session and the LLM client."""
        await self.session.close()
        if self.chat is not None:
            await self.chat.close()


def build_worker(settings: Settings) -> Worker:
    """Return the worker for `settings`; call inside the event loop. Raises AuthError for a bad App key."""
    if not settings.github.app_id or not settings.github.private_key:
        raise AuthError("GITHUB_APP_ID and a private key are needed to act as the GitHub App")
    auth = AppAuth(app_id=settings.github.app_id, private_key=settings.github.private_key)
    chat = ChatClient(settings.llm) if settings.llm.configured else None
    llm = OpenAIReviewer(chat, model=settings.llm.model) if chat is not None else None
    # Timeouts are per request (the GitHub client's policy); the session only pools connections.
    session = aiohttp.ClientSession()
    deps = ReviewDeps(session=session, auth=auth, api_url=settings.github.api_url, llm=llm)
    runner = build_job_runner(
        settings,
        handler=functools.partial(run_review_job, deps=deps),
        on_give_up=functools.partial(report_failure, deps=deps),
    )
    return Worker(runner=runner, session=session, chat=chat)
