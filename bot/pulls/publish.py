"""Publish a review: one COMMENT review of new inline comments, and the one summary comment kept up to date."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gidgethub.abc import GitHubAPI

from bot.github.comments import create_comment, edit_comment, issue_comments
from bot.github.errors import NotFound, Unprocessable
from bot.github.reviews import create_review, review_comments
from bot.render.github import InlineComment, fingerprints_in, inline_comments, review_body
from bot.render.summary import SUMMARY_MARKER, ReviewMark, read_mark, render_failure, render_summary
from bot.review.diff import FileDiff
from bot.review.models import Finding, ReviewResult

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Published:
    """What a publish run did."""

    review_id: int | None = None
    posted: list[InlineComment] = field(default_factory=list)
    already_posted: list[InlineComment] = field(default_factory=list)
    unplaced: list[Finding] = field(default_factory=list)
    summary_id: int | None = None


@dataclass(frozen=True, slots=True)
class SummaryComment:
    """Our summary comment on a pull request: its id and body."""

    id: int
    body: str

    @property
    def mark(self) -> ReviewMark | None:
        """Return the last reviewed head recorded in it."""
        return read_mark(self.body)


def written_by(comment: Mapping[str, Any], login: str) -> bool:
    """Tell whether `comment` was written by the account `login` (prodready's own, as its credential says).

    Anyone who can comment can type the hidden markers, another App included: a marker only counts in our own
    comments, or another bot on the repository could hide a finding or take over the summary.
    """
    user = comment.get("user")
    author = user.get("login") if isinstance(user, Mapping) else None
    return isinstance(author, str) and bool(login) and author.lower() == login.lower()


def fingerprint_links(comments: Sequence[Mapping[str, Any]], *, ours: str) -> dict[str, str]:
    """Return fingerprint -> comment URL for the review comments of `ours` that carry one."""
    found: dict[str, str] = {}
    for comment in comments:
        if not written_by(comment, ours):
            continue
        for fp in fingerprints_in(str(comment.get("body") or "")):
            found.setdefault(fp, str(comment.get("html_url") or ""))
    return found


async def existing_fingerprints(gh: GitHubAPI, repo: str, number: int, *, ours: str) -> dict[str, str]:
    """Return fingerprint -> comment URL for every review comment of `ours` already on the pull request."""
    return fingerprint_links(await review_comments(gh, repo, number), ours=ours)


async def publish_review(
    gh: GitHubAPI,
    *,
    repo: str,
    number: int,
    head_sha: str,
    result: ReviewResult,
    files: Sequence[FileDiff],
    ours: str,
    notes: Sequence[str] = (),
    comments: Sequence[Mapping[str, Any]] | None = None,
    summary: SummaryComment | None = None,
    summary_read: bool = False,
    mark: ReviewMark | None = None,
) -> Published:
    """Post the findings not yet on the pull request as one review, then write the summary comment.

    `comments` are the review comments already read by the caller, and `summary` the summary comment
    it found (`summary_read` says it looked, so None means there is none); both save listing twice.
    `ours` is the login prodready posts as: only its comments say what was posted before.
    """
    out = Published()
    existing = (
        fingerprint_links(comments, ours=ours)
        if comments is not None
        else await existing_fingerprints(gh, repo, number, ours=ours)
    )
    fresh: dict[str, InlineComment] = {}
    for comment in inline_comments(result.findings, files):
        if comment.fingerprint in existing:
            out.already_posted.append(comment)
        else:
            fresh.setdefault(comment.fingerprint, comment)
    if fresh:
        out.review_id, out.posted, out.unplaced = await _post_review(gh, repo, number, head_sha, fresh, files)
    links = [(c.finding, existing.get(c.fingerprint)) for c in out.already_posted]
    if out.posted:
        urls = await existing_fingerprints(gh, repo, number, ours=ours)
        links.extend((c.finding, urls.get(c.fingerprint)) for c in out.posted)
    body = render_summary(result, head_sha=head_sha, links=links, unplaced=out.unplaced, notes=notes, mark=mark)
    out.summary_id = await upsert_summary(gh, repo, number, body, ours=ours, known=summary, looked=summary_read)
    return out


async def _post_review(
    gh: GitHubAPI,
    repo: str,
    number: int,
    head_sha: str,
    fresh: dict[str, InlineComment],
    files: Sequence[FileDiff],
) -> tuple[int | None, list[InlineComment], list[Finding]]:
    """Post one review; on 422 retry with only the safest comments, then with none (all go to the summary).

    GitHub's 422 does not say which comment it refused, and a review is all or nothing.
    """
    comments = list(fresh.values())
    attempts = [comments, [c for c in comments if _safest(c, files)], []]
    for i, chosen in enumerate(attempts):
        if i and len(chosen) == len(attempts[i - 1]):
            continue
        if not chosen:
            break
        try:
            review_id = await create_review(
                gh,
                repo,
                number,
                commit_id=head_sha,
                body=review_body(len(chosen)),
                comments=[c.payload for c in chosen],
            )
        except Unprocessable as exc:
            log.warning("review refused by GitHub (%s); retrying with fewer comments", exc)
            continue
        placed = {c.fingerprint for c in chosen}
        unplaced = [c.finding for c in comments if c.fingerprint not in placed]
        return review_id, chosen, unplaced
    return None, [], [c.finding for c in comments]


def _safest(comment: InlineComment, files: Sequence[FileDiff]) -> bool:
    """Tell whether a comment is a single line that the diff adds, the kind GitHub always takes."""
    if "start_line" in comment.payload:
        return False
    line = comment.payload["line"]
    return any(f.path == comment.payload["path"] and line in f.added for f in files)


async def read_summary(gh: GitHubAPI, repo: str, number: int, *, ours: str) -> SummaryComment | None:
    """Return our summary comment on the pull request (the first one `ours` wrote), if there is one."""
    async for comment in issue_comments(gh, repo, number):
        body = str(comment.get("body") or "")
        # A person or another bot quoting the marker must not take over the summary.
        if written_by(comment, ours) and body.startswith(SUMMARY_MARKER):
            return SummaryComment(int(comment["id"]), body)
    return None


async def find_summary(gh: GitHubAPI, repo: str, number: int, *, ours: str) -> int | None:
    """Return the id of our summary comment on the pull request, if there is one."""
    found = await read_summary(gh, repo, number, ours=ours)
    return found.id if found else None


async def upsert_summary(
    gh: GitHubAPI,
    repo: str,
    number: int,
    body: str,
    *,
    ours: str,
    known: SummaryComment | None = None,
    looked: bool = False,
) -> int:
    """Edit the summary comment in place, or create it on the first run; return its id.

    `known` is the summary when the caller has it; `looked` says the caller searched and found none.
    """
    existing = known.id if known is not None else None if looked else await find_summary(gh, repo, number, ours=ours)
    if existing is not None:
        try:
            await edit_comment(gh, repo, existing, body)
            return existing
        except NotFound:
            # Deleted since it was read (the review can take minutes): the summary is written anew.
            log.info("summary comment %s is gone; creating a new one", existing)
    return await create_comment(gh, repo, number, body)


async def publish_failure(gh: GitHubAPI, *, repo: str, number: int, head_sha: str, reason: str, ours: str) -> int:
    """Say in the summary comment that the review failed, and why; the last completed review stays recorded."""
    summary = await read_summary(gh, repo, number, ours=ours)
    body = render_failure(head_sha=head_sha, reason=reason, mark=summary.mark if summary else None)
    return await upsert_summary(gh, repo, number, body, ours=ours, known=summary, looked=True)
