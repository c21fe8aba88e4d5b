"""The check runs resource."""

from __future__ import annotations

from typing import Any

from gidgethub.abc import GitHubAPI

from bot.github.client import repo_vars


async def create_check_run(gh: GitHubAPI, repo: str, *, name: str, head_sha: str) -> int:
    """Create check run `name`, in progress, on `head_sha`; return its id (KeyError etc. on an odd answer)."""
    run = await gh.post(
        "/repos/{owner}/{repo}/check-runs",
        repo_vars(repo),
        data={"name": name, "head_sha": head_sha, "status": "in_progress"},
    )
    return int(run["id"])


async def update_check_run(gh: GitHubAPI, repo: str, check_id: int, body: dict[str, Any]) -> None:
    """PATCH check run `check_id` with `body`."""
    await gh.patch("/repos/{owner}/{repo}/check-runs/{check_run_id}", repo_vars(repo, check_run_id=check_id), data=body)
