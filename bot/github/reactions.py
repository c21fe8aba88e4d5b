"""The reactions resource for pull request review comments (GitHub sends no webhook for reactions)."""

from __future__ import annotations

from typing import Any

from gidgethub.abc import GitHubAPI

from bot.github.client import repo_vars


async def review_comment_reactions(gh: GitHubAPI, repo: str, comment_id: int, *, content: str) -> list[dict[str, Any]]:
    """Return the reactions of kind `content` (e.g. "-1") on review comment `comment_id`, all pages."""
    url = "/repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions{?content,per_page}"
    variables = repo_vars(repo, comment_id=comment_id, content=content, per_page=100)
    return [r async for r in gh.getiter(url, variables) if isinstance(r, dict)]
