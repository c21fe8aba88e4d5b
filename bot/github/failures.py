"""Read GitHub's error answers: how long a rate limit asks us to wait, and which error a status means."""

from __future__ import annotations

import time
from collections.abc import Mapping

import gidgethub

from bot.github.errors import (
    AuthError,
    Forbidden,
    GitHubError,
    NotFound,
    RateLimited,
    TooLarge,
    Unavailable,
    Unprocessable,
)


def rate_limit_wait(status: int, headers: Mapping[str, str], message: str, *, now: float) -> float | None:
    """Return how long GitHub asks us to wait before retrying, or None when this is no rate limit."""
    if status not in (403, 429):
        return None
    retry_after = headers.get("retry-after", "").strip()
    if retry_after:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            return 60.0
    if headers.get("x-ratelimit-remaining") == "0":
        try:
            reset = float(headers.get("x-ratelimit-reset", ""))
        except ValueError:
            return 60.0
        # The reset is in whole seconds; a little slack avoids arriving just before it.
        return max(0.0, reset - now) + 0.5
    if status == 429 or "secondary rate limit" in message.lower():
        # GitHub's advice when a secondary limit comes without Retry-After: wait at least a minute.
        # A 429 is a rate limit whatever its message says.
        return 60.0
    return None


def lower_keys(headers: Mapping[str, str]) -> dict[str, str]:
    """Return headers with lower-case names (gidgethub passes them as sent)."""
    return {k.lower(): v for k, v in headers.items()}


def translate(exc: gidgethub.HTTPException, *, method: str, path: str) -> GitHubError:
    """Turn a gidgethub exception into ours; the message holds GitHub's words, never credentials."""
    status = int(exc.status_code)
    said = str(exc)[:300]
    message = f"GitHub answered {status} to {method} {path}: {said}"
    wait = rate_limit_wait(status, lower_keys(exc.headers), said, now=time.time())
    if wait is not None or isinstance(exc, gidgethub.RateLimitExceeded):
        return RateLimited(message, retry_after=wait if wait is not None else 60.0, status=status)
    if status == 401:
        return AuthError(message, status=status)
    if status == 403:
        return Forbidden(message, status=status)
    if status == 404:
        return NotFound(message, status=status)
    if status == 406:
        return TooLarge(message, status=status)
    if status == 422:
        return Unprocessable(message, errors=getattr(exc, "errors", None), status=status)
    if status >= 500:
        return Unavailable(message, status=status)
    return GitHubError(message, status=status)
