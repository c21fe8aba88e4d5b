"""The GitHub API client: gidgethub over a shared aiohttp session, with timeouts, retries and rate limits.

Every call has a timeout; 5xx answers and network faults are retried a bounded number of times
with jittered backoff; rate limits are waited out when the wait is short and raised as
RateLimited when it is not. gidgethub's exceptions are turned into bot.github.errors.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import gidgethub
import gidgethub.aiohttp
from gidgethub.abc import JSON_CONTENT_TYPE

from bot import metrics
from bot.github.errors import AuthError, GitHubError, Unavailable
from bot.github.failures import lower_keys, rate_limit_wait, translate
from bot.github.routes import RouteNames
from bot.settings import Secret

USER_AGENT = "prodready"
API_VERSION = "2022-11-28"
# Asked for each call; `renew=True` after a 401 means the cached token was revoked or expired early.
TokenSource = Callable[[bool], Awaitable[Secret]]
# The route template of the call in progress, for metrics: a template never holds ids, paths or tokens.
_ROUTE: ContextVar[str] = ContextVar("github_route", default="other")


def repo_vars(repo: str, **more: Any) -> dict[str, Any]:
    """Return the URL variables of `repo` ("owner/name") and `more`, for a route template."""
    owner, _, name = repo.partition("/")
    return {"owner": owner, "repo": name, **more}


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long to wait for GitHub and how often to try again."""

    attempts: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 10.0
    timeout: float = 30.0
    connect_timeout: float = 10.0
    max_rate_limit_wait: float = 90.0
    rate_limit_retries: int = 2

    def backoff(self, attempt: int) -> float:
        """Return the pause before retry `attempt` (1-based): exponential, half of it jittered."""
        ceiling = min(self.backoff_max, self.backoff_base * 2.0 ** (attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)


class GitHubClient(gidgethub.aiohttp.GitHubAPI):
    """A gidgethub API object for one installation (or the App itself when `token_source` is None)."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_url: str,
        token_source: TokenSource | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        super().__init__(session, USER_AGENT, base_url=base_url.rstrip("/"))
        self._token_source = token_source
        self.policy = policy or RetryPolicy()
        self._timeout = aiohttp.ClientTimeout(total=self.policy.timeout, connect=self.policy.connect_timeout)
        self._routes = RouteNames(self.base_url)

    async def _request(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes = b""
    ) -> tuple[int, Mapping[str, str], bytes]:
        path = urlsplit(url).path
        route = _ROUTE.get()
        for attempt in range(1, self.policy.attempts + 1):
            try:
                async with self._session.request(
                    method, url, headers=headers, data=body, timeout=self._timeout
                ) as response:
                    answer = response.status, response.headers, await response.read()
                    _count(method, route, response.status)
                    return answer
            except (aiohttp.ClientError, TimeoutError) as exc:
                _count(method, route, None)
                # A request that timed out may have been applied: repeating a POST could post a review twice.
                unsent = isinstance(exc, aiohttp.ClientConnectorError)
                if (not unsent and not may_repeat(method, url)) or attempt == self.policy.attempts:
                    what = "timed out" if isinstance(exc, TimeoutError) else f"failed ({type(exc).__name__})"
                    raise Unavailable(f"GitHub {method} {path} {what} after {attempt} attempt(s)") from None
                await self.sleep(self.policy.backoff(attempt))
        raise AssertionError("unreachable")

    async def handle_rate_limit_error(
        self, *, method: str, url: str, exception: gidgethub.HTTPException, attempt: int
    ) -> bool:
        """Retry 5xx with backoff and rate limits after GitHub's wait, both a bounded number of times."""
        status = int(exception.status_code)
        wait = rate_limit_wait(status, lower_keys(exception.headers), str(exception), now=time.time())
        if wait is not None:
            if wait > self.policy.max_rate_limit_wait or attempt > self.policy.rate_limit_retries:
                return False
            await self.sleep(wait)
            return True
        # GitHub may have applied a POST that it answered with a 5xx; the job's own retry re-reads what was
        # posted before posting again, so only requests that are safe to repeat are repeated here.
        if status >= 500 and attempt < self.policy.attempts and may_repeat(method, url):
            await self.sleep(self.policy.backoff(attempt))
            return True
        return False

    async def _make_request(
        self,
        method: str,
        url: str,
        url_vars: Any,
        data: Any,
        accept: str,
        jwt: str | None = None,
        oauth_token: str | None = None,
        content_type: str = JSON_CONTENT_TYPE,
        extra_headers: dict[str, str] | None = None,
    ) -> tuple[bytes, str | None, int]:
        route = self._routes.name(method, url, url_vars)
        context = _ROUTE.set(route)
        try:
            return await self._authorised(
                method, url, url_vars, data, accept, jwt, oauth_token, content_type, extra_headers
            )
        except GitHubError as exc:
            metrics.record_github_error(route=route, kind=type(exc).__name__)
            raise
        finally:
            _ROUTE.reset(context)

    async def _authorised(
        self,
        method: str,
        url: str,
        url_vars: Any,
        data: Any,
        accept: str,
        jwt: str | None,
        oauth_token: str | None,
        content_type: str,
        extra_headers: dict[str, str] | None,
    ) -> tuple[bytes, str | None, int]:
        headers = {"x-github-api-version": API_VERSION, **(extra_headers or {})}
        for auth_attempt in (1, 2):
            token = None
            if jwt is None and oauth_token is None and self._token_source is not None:
                token = await self._token_source(auth_attempt > 1)
            try:
                return await super()._make_request(
                    method,
                    url,
                    url_vars,
                    data,
                    accept,
                    jwt=jwt,
                    oauth_token=token.reveal() if token is not None else oauth_token,
                    content_type=content_type,
                    extra_headers=headers,
                )
            except gidgethub.HTTPException as exc:
                # The route's template names the call without the ids and paths the URL holds.
                path = _ROUTE.get().partition(" ")[2]
                error = translate(exc, method=method, path=path)
                if isinstance(error, AuthError) and token is not None and auth_attempt == 1:
                    continue
                raise error from None
        raise AssertionError("unreachable")

    async def sleep(self, seconds: float) -> None:
        """Pause between attempts."""
        await asyncio.sleep(seconds)


def may_repeat(method: str, url: str) -> bool:
    """Tell whether sending a request twice does no harm: reads, edits, and the POSTs GitHub de-duplicates."""
    if method != "POST":
        return True
    path = urlsplit(url).path
    # Minting a token twice gives two tokens; reacting twice gives one reaction.
    return path.endswith(("/access_tokens", "/reactions"))


def _count(method: str, route: str, status: int | None) -> None:
    metrics.record_github_call(method=method, status=status)
    metrics.record_github_route(route=route, status=status)
