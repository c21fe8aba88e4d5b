"""The issue comments resource (a pull request's conversation) and reactions on those comments."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from gidgethub.abc import GitHubAPI

from bot.github.client import repo_vars


async def issue_comments(gh: GitHubAPI, repo: str, number: int) -> AsyncIterator[dict[str, Any]]:
    """Yield the comments of issue or pull request `number`, all pages."""
    url = "/repos/{owner}/{repo}/issues/{number}/comments{?per_page}"
    async for comment in gh.getiter(url, repo_vars(repo, number=number, per_page=100)):
        if isinstance(comment, dict):
            yield comment


async def create_comment(gh: GitHubAPI, repo: str, number: int, body: str) -> int:
    """Post a comment on issue or pull request `number`; return its id."""
    created = await gh.post(
        "/repos/{owner}/{repo}/issues/{number}/comments", repo_vars(repo, number=number), data={"body": body}
    )
    return int(created["id"])


async def edit_comment(gh: GitHubAPI, repo: str, comment_id: int, body: str) -> None:
    """Replace the body of comment `comment_id`."""
    await gh.patch(
        "/repos/{owner}/{repo}/issues/comments/{comment_id}",
        repo_vars(repo, comment_id=comment_id),
        data={"body": body},
    )


async def react(gh: GitHubAPI, repo: str, comment_id: int, content: str) -> None:
    """Add the reaction `content` (e.g. "eyes") to comment `comment_id`."""
    await gh.post(
        "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
        repo_vars(repo, comment_id=comment_id),
        data={"content": content},
    )
