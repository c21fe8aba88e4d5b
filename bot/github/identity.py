"""Who a credential is on GitHub: the App's own bot login, or the account behind a token."""

from __future__ import annotations

from gidgethub.abc import GitHubAPI

from bot.github.errors import Forbidden, GitHubError

# GitHub Actions' GITHUB_TOKEN is an installation token of the "github-actions" App; what it posts is
# authored by this account.
ACTIONS_BOT = "github-actions[bot]"
# GitHub's prefix of installation ("server-to-server") tokens; personal tokens are ghp_ or github_pat_.
INSTALLATION_TOKEN_PREFIX = "ghs_"


async def app_login(gh: GitHubAPI, *, jwt: str) -> str:
    """Return the login the App posts as (`SLUG[bot]`), read from GET /app with the App's JWT."""
    data = await gh.getitem("/app", jwt=jwt)
    slug = data.get("slug") if isinstance(data, dict) else None
    if not isinstance(slug, str) or not slug:
        raise GitHubError("GitHub's answer to GET /app had no slug")
    return f"{slug}[bot]"


async def token_login(gh: GitHubAPI, *, token: str) -> str:
    """Return the login a token posts as: its user's for a personal token, github-actions[bot] for GITHUB_TOKEN."""
    if token.startswith(INSTALLATION_TOKEN_PREFIX):
        return ACTIONS_BOT
    try:
        data = await gh.getitem("/user")
    except Forbidden:
        # An installation token may not read /user ("Resource not accessible by integration").
        return ACTIONS_BOT
    login = data.get("login") if isinstance(data, dict) else None
    if not isinstance(login, str) or not login:
        raise GitHubError("GitHub's answer to GET /user had no login")
    return login
