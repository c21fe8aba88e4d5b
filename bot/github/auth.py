"""GitHub authentication: the one module that holds the App's private key, installation tokens and workflow tokens.

Two credentials sit behind one seam (`GitHubAuth`): the App (`prodready serve`), which mints an installation token
per job, and a token handed to us (`prodready action`: the workflow's GITHUB_TOKEN or a personal token). Each also
says who it posts as, so that prodready trusts its hidden markers only in its own comments.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import aiohttp
from cachetools import TLRUCache
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from gidgethub.apps import get_jwt

from bot.github.client import GitHubClient, RetryPolicy
from bot.github.errors import AuthError, GitHubError, NotFound
from bot.github.identity import app_login, token_login
from bot.settings import Secret

# GitHub allows App JWTs at most 10 minutes ahead; gidgethub backdates iat by 60 s for clock drift.
JWT_LIFETIME = 10 * 60


@dataclass(frozen=True, slots=True)
class _Token:
    value: Secret
    expires: float  # epoch seconds


class GitHubAuth(Protocol):
    """A credential for GitHub: clients that act with it, and the login under which it posts."""

    def client(
        self,
        session: aiohttp.ClientSession,
        installation_id: int,
        *,
        base_url: str,
        policy: RetryPolicy | None = None,
    ) -> GitHubClient:
        """Return a client for `installation_id` (a token credential has one installation and ignores it)."""
        ...

    async def login(self, session: aiohttp.ClientSession, *, base_url: str, policy: RetryPolicy | None = None) -> str:
        """Return the login of the account this credential posts as; read from GitHub once, then cached."""
        ...


class _OnceLogin:
    """The login of a credential, asked of GitHub once per process (concurrent first callers share one call)."""

    def __init__(self) -> None:
        self._value: str | None = None
        self._lock = asyncio.Lock()

    async def get(self, read: Callable[[], Awaitable[str]]) -> str:
        async with self._lock:
            if self._value is None:
                self._value = await read()
            return self._value


class AppAuth:
    """Mint App JWTs and installation tokens; tokens are cached until shortly before they expire."""

    def __init__(
        self,
        *,
        app_id: str,
        private_key: Secret,
        renew_before: float = 300.0,
        max_installations: int = 4096,
        clock: Callable[[], float] = time.time,
    ) -> None:
        try:
            load_pem_private_key(private_key.reveal().encode(), password=None)
        except (ValueError, TypeError):
            raise AuthError("the GitHub App private key is not a readable unencrypted PEM key") from None
        if not app_id.strip():
            raise AuthError("the GitHub App id is empty")
        self.app_id = app_id.strip()
        self._key = private_key
        self._clock = clock
        self._renew_before = renew_before
        self._tokens: TLRUCache[int, _Token] = TLRUCache(maxsize=max_installations, ttu=self._use_until, timer=clock)
        self._locks: dict[int, asyncio.Lock] = {}
        self._login = _OnceLogin()
        self.minted = 0

    def _use_until(self, _key: int, token: _Token, _now: float) -> float:
        return token.expires - self._renew_before

    def app_jwt(self) -> Secret:
        """Return a fresh JWT that authenticates as the App itself."""
        return Secret(get_jwt(app_id=self.app_id, private_key=self._key.reveal(), expiration=JWT_LIFETIME))

    async def installation_token(self, app: GitHubClient, installation_id: int, *, renew: bool = False) -> Secret:
        """Return a token for `installation_id`, minting one through `app` when none is cached."""
        lock = self._locks.setdefault(installation_id, asyncio.Lock())
        async with lock:
            cached = None if renew else self._tokens.get(installation_id)
            if cached is not None:
                return cached.value
            self._tokens.pop(installation_id, None)
            token = await self._mint(app, installation_id)
            self._tokens[installation_id] = token
            return token.value

    async def _mint(self, app: GitHubClient, installation_id: int) -> _Token:
        url = "/app/installations/{installation_id}/access_tokens"
        try:
            data = await app.post(url, {"installation_id": installation_id}, data=b"", jwt=self.app_jwt().reveal())
        except AuthError as exc:
            raise AuthError(
                f"GitHub refused the App's credentials (check GITHUB_APP_ID and GITHUB_PRIVATE_KEY): {exc}",
                status=exc.status,
            ) from None
        except NotFound as exc:
            raise NotFound(f"installation {installation_id} not found (was the App uninstalled?)") from exc
        if not isinstance(data, dict) or not isinstance(data.get("token"), str):
            raise GitHubError("GitHub's installation token answer had no token")
        self.minted += 1
        return _Token(Secret(data["token"]), _expiry(data.get("expires_at"), now=self._clock()))

    def client(
        self,
        session: aiohttp.ClientSession,
        installation_id: int,
        *,
        base_url: str,
        policy: RetryPolicy | None = None,
    ) -> GitHubClient:
        """Return a client that acts as `installation_id`, renewing its token as needed."""
        app = GitHubClient(session, base_url=base_url, policy=policy)

        async def token(renew: bool) -> Secret:
            return await self.installation_token(app, installation_id, renew=renew)

        return GitHubClient(session, base_url=base_url, token_source=token, policy=policy)

    async def login(self, session: aiohttp.ClientSession, *, base_url: str, policy: RetryPolicy | None = None) -> str:
        """Return the App's bot login, `SLUG[bot]`, from GET /app (asked once)."""

        async def read() -> str:
            app = GitHubClient(session, base_url=base_url, policy=policy)
            return await app_login(app, jwt=self.app_jwt().reveal())

        return await self._login.get(read)


class TokenAuth:
    """A token given to the process (the Action's GITHUB_TOKEN or a personal token): no minting, no installation."""

    def __init__(self, token: Secret) -> None:
        if not token:
            raise AuthError("the GitHub token is empty")
        self._token = token
        self._login = _OnceLogin()

    def client(
        self,
        session: aiohttp.ClientSession,
        installation_id: int = 0,
        *,
        base_url: str,
        policy: RetryPolicy | None = None,
    ) -> GitHubClient:
        """Return a client that acts with the token; `installation_id` is not used."""

        async def token(renew: bool) -> Secret:
            # A given token cannot be renewed: a second 401 reaches the caller as AuthError.
            return self._token

        return GitHubClient(session, base_url=base_url, token_source=token, policy=policy)

    async def login(self, session: aiohttp.ClientSession, *, base_url: str, policy: RetryPolicy | None = None) -> str:
        """Return the login the token posts as (asked once)."""
        client = self.client(session, base_url=base_url, policy=policy)
        return await self._login.get(lambda: token_login(client, token=self._token.reveal()))


def _expiry(expires_at: object, *, now: float) -> float:
    """Parse GitHub's `expires_at`; when absent or odd assume the documented one hour."""
    if isinstance(expires_at, str):
        try:
            return datetime.fromisoformat(expires_at.replace("Z", "+00:00")).timestamp()
        except ValueError:
            pass
    return now + 3600.0
