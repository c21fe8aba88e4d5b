"""The GitHub errors callers catch by meaning; messages never carry a token or a key."""

from __future__ import annotations

from typing import Any


class GitHubError(Exception):
    """Anything that went wrong talking to GitHub."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class AuthError(GitHubError):
    """GitHub refused our credentials (bad App key, wrong App id, revoked or expired token)."""


class NotFound(GitHubError):
    """The resource is absent, or the installation cannot see it (GitHub answers 404 for both)."""


class Forbidden(GitHubError):
    """The installation lacks a permission for this call."""


class Unprocessable(GitHubError):
    """GitHub understood the request but refused its content (422); `errors` as GitHub sent them."""

    def __init__(self, message: str, *, errors: Any = None, status: int | None = 422) -> None:
        super().__init__(message, status=status)
        self.errors = errors


class TooLarge(GitHubError):
    """GitHub will not render this resource in the requested form (406 on a diff that is too big)."""


class RateLimited(GitHubError):
    """A rate limit would have us wait longer than we are willing to; `retry_after` in seconds."""

    def __init__(self, message: str, *, retry_after: float, status: int | None = 403) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class Unavailable(GitHubError):
    """GitHub kept failing (5xx, timeouts, connection errors) after every retry."""
