"""The shared fake GitHub plus what end-to-end fault tests need: arrival times, per-route hooks, review heads."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.fake_github import REPO_KEY, FakeGitHub

# A hook sees a request after the fake has recorded it and checked its token; a response it returns is
# sent instead of the route's own answer, None lets the route answer.
Hook = Callable[[web.Request], Awaitable[web.StreamResponse | None]]


@dataclass(frozen=True, slots=True)
class ReviewPost:
    """One POST of a review: the head it was for, and the pull request's head when it arrived."""

    number: int
    commit_id: str | None
    current_head: str
    event: str | None
    at: float


class HookedGitHub(FakeGitHub):
    """The shared fake GitHub; also records when each request arrived and lets tests hook routes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.arrivals: list[tuple[str, str, float]] = []  # (route, method, monotonic time)
        self.hooks: dict[str, Hook] = {}
        self.review_posts: list[ReviewPost] = []

    def arrived(self, route: str, method: str | None = None) -> list[float]:
        """Return the monotonic times at which requests to `route` arrived."""
        return [t for r, m, t in self.arrivals if r == route and (method is None or m == method)]

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        route = request.match_info.route.name or "unknown"
        self.arrivals.append((route, request.method, time.monotonic()))

        async def hooked(req: web.Request) -> web.StreamResponse:
            if route == "pulls.reviews.create":
                await self._note_review(req)
            hook = self.hooks.get(route)
            if hook is not None:
                answer = await hook(req)
                if answer is not None:
                    return answer
            return await handler(req)

        return await super()._middleware(request, hooked)

    async def _note_review(self, request: web.Request) -> None:
        pull = request[REPO_KEY].pulls.get(int(request.match_info["number"]))
        try:
            data = json.loads(await request.read())
        except ValueError:
            data = {}
        self.review_posts.append(
            ReviewPost(
                number=int(request.match_info["number"]),
                commit_id=data.get("commit_id"),
                current_head=pull.head_sha if pull else "",
                event=data.get("event"),
                at=time.monotonic(),
            )
        )


@asynccontextmanager
async def hooked_github(public_key: str) -> AsyncIterator[HookedGitHub]:
    """Run a HookedGitHub on 127.0.0.1 for the duration of the block."""
    fake = HookedGitHub(public_key_pem=public_key)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()
