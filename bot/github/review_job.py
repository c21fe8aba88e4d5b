"""The review job: what the worker runs for a JobRequest, from installation token to published review."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
from gidgethub.abc import GitHubAPI

from bot.github.auth import AppAuth
from bot.github.client import RetryPolicy
from bot.github.errors import GitHubError, NotFound
from bot.github.publish import publish_failure, publish_review
from bot.github.pull_requests import PullRequest, get_diff, get_pull
from bot.github.repo_files import fetch_sources, load_config
from bot.jobs.model import JobRequest
from bot.review.pipeline import LLMReviewer, run_review

log = logging.getLogger(__name__)

WRITE_ROLES = frozenset({"admin", "maintain", "write"})
REFUSED_RECHECK = (
    "Only the pull request's author or someone with write, maintain or admin permission on this "
    "repository can ask for `/prodready recheck`."
)


@dataclass(frozen=True, slots=True)
class ReviewDeps:
    """What a review job needs from the process: built once at start-up and passed down."""

    session: aiohttp.ClientSession
    auth: AppAuth
    api_url: str
    llm: LLMReviewer | None = None
    policy: RetryPolicy | None = None


def _vars(repo: str, **more: Any) -> dict[str, Any]:
    owner, _, name = repo.partition("/")
    return {"owner": owner, "repo": name, **more}


async def run_review_job(request: JobRequest, *, deps: ReviewDeps) -> None:
    """Review the pull request of `request` and publish the result; end quietly when there is nothing to do."""
    gh = deps.auth.client(deps.session, request.installation_id, base_url=deps.api_url, policy=deps.policy)
    try:
        await _review(gh, request, deps)
    except NotFound as exc:
        # The pull request, repository or installation went away while the job waited.
        log.info("review of %s#%d ended: %s", request.repo, request.number, exc)


async def _review(gh: GitHubAPI, request: JobRequest, deps: ReviewDeps) -> None:
    pull = await get_pull(gh, request.repo, request.number)
    if request.reason == "recheck":
        if not await may_recheck(gh, pull, request.requested_by):
            await _reply_refused(gh, request)
            return
        await _acknowledge(gh, request)
    if pull.closed:
        log.info("skipped: %s#%d is closed", request.repo, request.number)
        return
    if request.reason != "recheck" and request.head_sha and pull.head_sha != request.head_sha:
        log.info("skipped: a newer push replaced %s", request.head_sha[:7])
        return
    loaded = await load_config(gh, request.repo, base_ref=pull.base_ref)
    if pull.draft and not loaded.config.review_drafts and request.reason != "recheck":
        log.info("skipped: draft pull request")
        return
    diff = await get_diff(gh, pull)
    sources = await fetch_sources(gh, request.repo, diff.files, ref=pull.head_sha)
    result = await run_review(
        diff.files,
        config=loaded.config,
        sources=sources,
        custom_rules=loaded.custom_rules,
        llm=deps.llm,
        llm_files=await _changed_since(gh, request, pull),
        already_skipped=diff.skipped,
        config_problems=loaded.problems,
    )
    await publish_review(
        gh,
        repo=request.repo,
        number=request.number,
        head_sha=pull.head_sha,
        result=result,
        files=diff.files,
        notes=diff.notes,
    )


async def may_recheck(gh: GitHubAPI, pull: PullRequest, user: str | None) -> bool:
    """Tell whether `user` may ask for a recheck: the author, or write, maintain or admin permission."""
    if not user:
        return False
    if user.lower() == pull.author.lower():
        return True
    try:
        data = await gh.getitem(
            "/repos/{owner}/{repo}/collaborators/{username}/permission", _vars(pull.repo, username=user)
        )
    except NotFound:
        return False
    # `permission` folds maintain into write; `role_name` names custom roles, so accept either.
    return data.get("permission") in {"admin", "write"} or data.get("role_name") in WRITE_ROLES


async def _acknowledge(gh: GitHubAPI, request: JobRequest) -> None:
    if request.comment_id is None:
        return
    try:
        await gh.post(
            "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
            _vars(request.repo, comment_id=request.comment_id),
            data={"content": "eyes"},
        )
    except GitHubError as exc:
        log.info("could not react to comment %s: %s", request.comment_id, exc)  # cosmetic only


async def _reply_refused(gh: GitHubAPI, request: JobRequest) -> None:
    await gh.post(
        "/repos/{owner}/{repo}/issues/{number}/comments",
        _vars(request.repo, number=request.number),
        data={"body": REFUSED_RECHECK},
    )


async def _changed_since(gh: GitHubAPI, request: JobRequest, pull: PullRequest) -> list[str] | None:
    """Return the files a push changed, so the LLM sees only those; None means all (static rules see all)."""
    if request.reason != "synchronize" or not request.before_sha:
        return None
    try:
        data = await gh.getitem(
            "/repos/{owner}/{repo}/compare/{basehead}",
            _vars(request.repo, basehead=f"{request.before_sha}...{pull.head_sha}"),
        )
    except GitHubError as exc:
        log.info("full review: the push could not be compared (%s)", exc)
        return None
    return [str(f["filename"]) for f in data.get("files", []) if isinstance(f, dict) and "filename" in f]


async def report_failure(request: JobRequest, reason: str, *, deps: ReviewDeps) -> None:
    """Post "the review failed and why" into the summary comment; for the runner after the last attempt."""
    gh = deps.auth.client(deps.session, request.installation_id, base_url=deps.api_url, policy=deps.policy)
    try:
        await publish_failure(gh, repo=request.repo, number=request.number, head_sha=request.head_sha, reason=reason)
    except GitHubError as exc:
        log.warning("could not report the failed review of %s#%d: %s", request.repo, request.number, exc)
