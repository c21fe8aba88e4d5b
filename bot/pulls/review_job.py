"""The review job: what the worker runs for a JobRequest: fetch -> review -> publish, from token to posted review."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass, replace

import aiohttp
from gidgethub.abc import GitHubAPI

from bot.github.auth import GitHubAuth
from bot.github.client import RetryPolicy
from bot.github.comments import create_comment, react
from bot.github.errors import Forbidden, GitHubError, NotFound
from bot.github.pulls import PullRequest, get_diff, get_pull
from bot.github.reviews import review_comments
from bot.jobs.model import JobRequest
from bot.pulls.check_run import finish_check, start_check
from bot.pulls.conversation import run_command
from bot.pulls.ignores import apply_ignores, read_downvotes
from bot.pulls.incremental import IncrementalReviewer, changed_since
from bot.pulls.publish import Published, SummaryComment, publish_failure, publish_review, read_summary
from bot.pulls.recheck import REFUSED_RECHECK, may_recheck
from bot.pulls.repo_files import LoadedConfig, fetch_sources, load_config
from bot.pulls.threads import our_comments, replied_threads
from bot.pulls.usefulness import count_posted, follow_up
from bot.render.check_run import incomplete, verdict
from bot.render.conversation import read_state
from bot.render.summary import LLMCoverage, ReviewMark
from bot.review.config import RepoConfig
from bot.review.diff import FileDiff
from bot.review.models import ReviewResult
from bot.review.pipeline import LLMReviewer, RuleEngine, run_review
from bot.rules.engine import run_rules

log = logging.getLogger(__name__)

# How long closing the check run of a cut-off review may hold up the job's end (or the shutdown).
CLOSE_CHECK_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class ReviewDeps:
    """What a review job needs from the process: built once at start-up and passed down."""

    session: aiohttp.ClientSession
    auth: GitHubAuth
    api_url: str
    llm: LLMReviewer | None = None
    policy: RetryPolicy | None = None
    rules: RuleEngine = run_rules
    # One run that must end in a verdict (the Action): a head reviewed before is reviewed again (posting nothing
    # twice), and a review GitHub refuses to take (403) is handed back instead of raised for the runner's retries.
    one_shot: bool = False


@dataclass(frozen=True, slots=True)
class ReviewOutcome:
    """What a finished review found, under which config, and what became of it on GitHub."""

    result: ReviewResult
    config: RepoConfig
    files: tuple[FileDiff, ...]
    head_sha: str
    published: Published | None = None
    # Why the review is not on the pull request (the token may not write there); None when it was posted.
    refused: str | None = None


async def run_review_job(
    request: JobRequest, *, deps: ReviewDeps, read_only: str | None = None
) -> ReviewOutcome | None:
    """Review the pull request of `request` and publish the result; None when there was nothing to do.

    `read_only` says why the credential may not write to the pull request (a fork's `pull_request` run): the
    review is made all the same and handed back unposted.
    """
    gh = deps.auth.client(deps.session, request.installation_id, base_url=deps.api_url, policy=deps.policy)
    try:
        ours = await deps.auth.login(deps.session, base_url=deps.api_url, policy=deps.policy)
        return await _review(gh, request, deps, ours=ours, read_only=read_only)
    except NotFound as exc:
        # The pull request, repository or installation went away while the job waited.
        log.info("review of %s#%d ended: %s", request.repo, request.number, exc)
        return None


async def _review(
    gh: GitHubAPI, request: JobRequest, deps: ReviewDeps, *, ours: str, read_only: str | None
) -> ReviewOutcome | None:
    pull = await get_pull(gh, request.repo, request.number)
    if request.reason == "command":
        if not pull.closed:
            await run_command(gh, request, pull, ours=ours)
        return None
    if request.reason == "recheck":
        if not await may_recheck(gh, pull, request.requested_by):
            if read_only is None:
                await create_comment(gh, request.repo, request.number, REFUSED_RECHECK)
            log.info("recheck refused: %s may not ask for one", request.requested_by)
            return None
        if read_only is None:
            await _acknowledge(gh, request)
    if pull.closed:
        log.info("skipped: %s#%d is closed", request.repo, request.number)
        return None
    if request.reason != "recheck" and request.head_sha and pull.head_sha != request.head_sha:
        # GitHub does not order deliveries: this job may be the last one left for the pull request even though
        # its push was not the last, so it reviews the current head (an earlier review of it is detected below).
        log.info("the pull request moved on from %s: reviewing %s", request.head_sha[:7], pull.head_sha[:7])
    loaded = await load_config(gh, request.repo, base_ref=pull.base_ref)
    if pull.draft and not loaded.config.review_drafts and request.reason != "recheck":
        log.info("skipped: draft pull request")
        return None
    summary = await read_summary(gh, request.repo, request.number, ours=ours)
    fresh_only = request.reason != "recheck" and not deps.one_shot
    if fresh_only and summary is not None and _already_reviewed(summary.mark, pull, deps):
        log.info("skipped: %s was already reviewed", pull.head_sha[:7])
        return None
    check_id, check_note = None, None
    if loaded.config.check_run and read_only is None:
        check_id, check_note = await start_check(gh, repo=request.repo, head_sha=pull.head_sha)
    try:
        outcome = await _review_and_publish(
            gh,
            request,
            pull,
            loaded,
            deps,
            summary=summary,
            notes=[check_note] if check_note else [],
            ours=ours,
            read_only=read_only,
        )
    except BaseException as exc:
        # Cancellation too (the job's time limit, shutdown): a check left in progress blocks a pull request
        # that requires it until the next push.
        if check_id is not None:
            await _close_check(gh, request.repo, check_id, exc)
        raise
    if check_id is not None:
        output = (
            verdict(outcome.result, loaded.config)
            if outcome
            else incomplete("the pull request changed during the review")
        )
        await finish_check(gh, repo=request.repo, check_id=check_id, output=output)
    return outcome


async def _close_check(gh: GitHubAPI, repo: str, check_id: int, exc: BaseException) -> None:
    """Complete the check run of a review that did not finish, within a short bound of its own."""
    if isinstance(exc, asyncio.CancelledError):
        reason = "the review was stopped before it finished"
    else:
        # GitHubError messages name the call and GitHub's words, never a credential; others stay vague.
        reason = str(exc) if isinstance(exc, GitHubError) else "an internal error"
    with suppress(TimeoutError):
        async with asyncio.timeout(CLOSE_CHECK_SECONDS):
            await finish_check(gh, repo=repo, check_id=check_id, output=incomplete(reason))


async def _review_and_publish(
    gh: GitHubAPI,
    request: JobRequest,
    pull: PullRequest,
    loaded: LoadedConfig,
    deps: ReviewDeps,
    *,
    summary: SummaryComment | None,
    notes: list[str],
    ours: str,
    read_only: str | None,
) -> ReviewOutcome | None:
    """Review the head and publish; return None when a newer push made the review moot before posting."""
    diff = await get_diff(gh, pull)
    sources = await fetch_sources(gh, request.repo, diff.files, ref=pull.head_sha)
    comments = await review_comments(gh, request.repo, request.number)
    posted_before = our_comments(comments, ours=ours)
    state = read_state(summary.body) if summary else read_state("")
    state = await read_downvotes(gh, pull=pull, comments=posted_before, state=state)
    llm = deps.llm
    if llm is not None and request.reason != "recheck":
        since = await changed_since(
            gh, repo=request.repo, head_sha=pull.head_sha, mark=summary.mark if summary else None
        )
        if since.changed is not None:
            llm = IncrementalReviewer(llm, changed=since.changed, comments=comments, ours=ours)
        if since.note:
            notes.append(since.note)
    result = await run_review(
        diff.files,
        config=loaded.config,
        rules=deps.rules,
        sources=sources,
        custom_rules=loaded.custom_rules,
        llm=llm,
        already_skipped=diff.skipped,
        config_problems=loaded.problems,
    )
    if await _head_moved(gh, pull):
        # A push landed while we reviewed: its own job reviews the new head; nothing is posted for this one.
        log.info("skipped publishing: %s was replaced while it was reviewed", pull.head_sha[:7])
        return None
    outcome = ReviewOutcome(result, loaded.config, tuple(diff.files), pull.head_sha, refused=read_only)
    if read_only is not None:
        return outcome
    state, usefulness = await follow_up(
        gh,
        repo=request.repo,
        number=request.number,
        result=result,
        files=diff.files,
        ours=posted_before,
        replied=replied_threads(comments),
        state=state,
    )
    result = apply_ignores(result, diff.files, state=state, config=loaded.config)
    outcome = replace(outcome, result=result)
    try:
        published = await publish_review(
            gh,
            repo=request.repo,
            number=request.number,
            head_sha=pull.head_sha,
            result=result,
            files=diff.files,
            ours=ours,
            notes=[*diff.notes, *notes],
            comments=comments,
            summary=summary,
            summary_read=True,
            mark=ReviewMark(
                pull.head_sha, _coverage(result, llm_used=deps.llm is not None), state=state, usefulness=usefulness
            ),
        )
    except Forbidden as exc:
        if not deps.one_shot:
            raise
        log.warning("GitHub refused to take the review: %s", exc)
        return replace(outcome, refused=f"GitHub refused to let this token post on the pull request ({exc})")
    count_posted(c.finding for c in published.posted)
    return replace(outcome, published=published)


def _already_reviewed(mark: ReviewMark | None, pull: PullRequest, deps: ReviewDeps) -> bool:
    """Tell whether the summary says this head was reviewed as fully as this process could review it."""
    if mark is None or mark.head_sha != pull.head_sha:
        return False
    return mark.llm == "full" or (deps.llm is None and mark.llm == "none")


async def _head_moved(gh: GitHubAPI, pull: PullRequest) -> bool:
    current = await get_pull(gh, pull.repo, pull.number)
    return current.head_sha != pull.head_sha or current.closed


def _coverage(result: ReviewResult, *, llm_used: bool) -> LLMCoverage:
    """Say how much of this head the LLM has seen, counting what an incremental review carried over."""
    if not llm_used:
        return "none"
    return "partial" if result.unreviewed else "full"


async def _acknowledge(gh: GitHubAPI, request: JobRequest) -> None:
    if request.comment_id is None:
        return
    try:
        await react(gh, request.repo, request.comment_id, "eyes")
    except GitHubError as exc:
        log.info("could not react to comment %s: %s", request.comment_id, exc)  # cosmetic only


async def report_failure(request: JobRequest, reason: str, *, deps: ReviewDeps) -> None:
    """Post "the review failed and why" into the summary comment; for the runner after the last attempt."""
    if request.reason == "command":
        log.warning("gave up on a command on %s#%d: %s", request.repo, request.number, reason)
        return  # no review failed: the summary stays as it is
    gh = deps.auth.client(deps.session, request.installation_id, base_url=deps.api_url, policy=deps.policy)
    try:
        ours = await deps.auth.login(deps.session, base_url=deps.api_url, policy=deps.policy)
        await publish_failure(
            gh, repo=request.repo, number=request.number, head_sha=request.head_sha, reason=reason, ours=ours
        )
    except GitHubError as exc:
        log.warning("could not report the failed review of %s#%d: %s", request.repo, request.number, exc)
