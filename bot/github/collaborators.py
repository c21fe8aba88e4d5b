"""The collaborators resource: a user's permission on a repository."""

from __future__ import annotations

from typing import Any

from gidgethub.abc import GitHubAPI

from bot.github.client import repo_vars
from bot.github.errors import NotFound


async def permission(gh: GitHubAPI, repo: str, user: str) -> dict[str, Any] | None:
    """Return GitHub's permission answer for `user` on `repo`; None when the user is not known there."""
    try:
        data = await gh.getitem(
            "/repos/{owner}/{repo}/collaborators/{username}/permission", repo_vars(repo, username=user)
        )
    except NotFound:
        return None
    return data if isinstance(data, dict) else {}
