"""The pull request reviews resource: review comments, and posting a review."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gidgethub.abc import GitHubAPI

from bot.github.client import repo_vars


async def review_comments(gh: GitHubAPI, repo: str, number: int) -> list[dict[str, Any]]:
    """Return every review comment on the pull request, all pages."""
    url = "/repos/{owner}/{repo}/pulls/{number}/comments{?per_page}"
    return [c async for c in gh.getiter(url, repo_vars(repo, number=number, per_page=100)) if isinstance(c, dict)]


async def create_review(
    gh: GitHubAPI, repo: str, number: int, *, commit_id: str, body: str, comments: Sequence[dict[str, Any]]
) -> int | None:
    """Post one review of event COMMENT (never an approval) on `commit_id`; return its id."""
    review = await gh.post(
        "/repos/{owner}/{repo}/pulls/{number}/reviews",
        repo_vars(repo, number=number),
        data={"commit_id": commit_id, "event": "COMMENT", "body": body, "comments": list(comments)},
    )
    return int(review.get("id", 0)) or None


async def review_comment(gh: GitHubAPI, repo: str, comment_id: int) -> dict[str, Any]:
    """Return one review comment."""
    data = await gh.getitem("/repos/{owner}/{repo}/pulls/comments/{comment_id}", repo_vars(repo, comment_id=comment_id))
    return data if isinstance(data, dict) else {}


async def reply_in_thread(gh: GitHubAPI, repo: str, number: int, *, to: dict[str, Any], body: str) -> int:
    """Reply in the review thread that review comment `to` starts; return the reply's id."""
    # GitHub ignores everything but the body for a reply, yet its schema still asks for commit_id and path.
    created = await gh.post(
        "/repos/{owner}/{repo}/pulls/{number}/comments",
        repo_vars(repo, number=number),
        data={
            "body": body,
            "in_reply_to": int(to["id"]),
            "commit_id": str(to.get("commit_id") or ""),
            "path": str(to.get("path") or ""),
        },
    )
    return int(created["id"])
