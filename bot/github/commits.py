"""The commits resource: comparing two commits."""

from __future__ import annotations

from typing import Any

from gidgethub.abc import GitHubAPI

from bot.github.client import repo_vars


async def compare(gh: GitHubAPI, repo: str, *, base: str, head: str) -> Any:
    """Return GitHub's comparison of `base...head` (status, files)."""
    return await gh.getitem("/repos/{owner}/{repo}/compare/{basehead}", repo_vars(repo, basehead=f"{base}...{head}"))
