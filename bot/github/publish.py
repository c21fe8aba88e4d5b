"""Publish a review: one COMMENT review of new inline comments, and the one summary comment kept up to date."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gidgethub.abc import GitHubAPI

from bot.github.errors import Unprocessable
from bot.render.github import InlineComment, fingerprints_in, inline_comment
from bot.render.summary import SUMMARY_MARKER, render_failure, render_summary
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


def _vars(repo: str, **more: Any) -> dict[str, Any]:
    owner, _, name = repo.partition("/")
    return {"owner": owner, "repo": name, **more}


async def existing_fingerprints(gh: GitHubAPI, repo: str, number: int) -> dict[str, str]:
    """Return fingerprint -> comment URL for every review comment already on the pull request."""
    found: dict[str, str] = {}
    url = "/repos/{owner}/{repo}/pulls/{number}/comments{?per_page}"
    async for comment in gh.getiter(url, _vars(repo, number=number, per_page=100)):
        for fp in fingerprints_in(str(comment.get("body") or "")):
            found.setdefault(fp, str(comment.get("html_url") or ""))
    return found


async def publish_review(
    gh: GitHubAPI,
    *,
    repo: str,
    number: int,
    head_sha: str,
    result: ReviewResult,
    files: Sequence[FileDiff],
    notes: Sequence[str] = (),
) -> Published:
    """Post the findings not yet on the pull request as one review, then write the summary comment."""
    out = Published()
    existing = await existing_fingerprints(gh, repo, number)
    fresh: dict[str, InlineComment] = {}
    for finding in result.findings:
        comment = inline_comment(finding, files)
        if comment.fingerprint in existing:
            out.already_posted.append(comment)
        else:
            fresh.setdefault(comment.fingerprint, comment)
    if fresh:
        out.review_id, out.posted, out.unplaced = await _post_review(gh, repo, number, head_sha, fresh, files)
    links = [(c.finding, existing.get(c.fingerprint)) for c in out.already_posted]
    if out.posted:
        urls = await existing_fingerprints(gh, repo, number)
        links.extend((c.finding, urls.get(c.fingerprint)) for c in out.posted)
    body = render_summary(result, head_sha=head_sha, links=links, unplaced=out.unplaced, notes=notes)
    out.summary_id = await upsert_summary(gh, repo, number, body)
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
            review = await gh.post(
                "/repos/{owner}/{repo}/pulls/{number}/reviews",
                _vars(repo, number=number),
                data={
                    "commit_id": head_sha,
                    "event": "COMMENT",
                    "body": f"prodready: {len(chosen)} new finding(s). The summary comment has the checklist.",
                    "comments": [c.payload for c in chosen],
                },
            )
        except Unprocessable as exc:
            log.warning("review refused by GitHub (%s); retrying with fewer comments", exc)
            continue
        placed = {c.fingerprint for c in chosen}
        unplaced = [c.finding for c in comments if c.fingerprint not in placed]
        return int(review.get("id", 0)) or None, chosen, unplaced
    return None, [], [c.finding for c in comments]


def _safest(comment: InlineComment, files: Sequence[FileDiff]) -> bool:
    """Tell whether a comment is a single line that the diff adds, the kind GitHub always takes."""
    if "start_line" in comment.payload:
        return False
    line = comment.payload["line"]
    return any(f.path == comment.payload["path"] and line in f.added for f in files)


async def find_summary(gh: GitHubAPI, repo: str, number: int) -> int | None:
    """Return the id of our summary comment on the pull request, if there is one."""
    url = "/repos/{owner}/{repo}/issues/{number}/comments{?per_page}"
    async for comment in gh.getiter(url, _vars(repo, number=number, per_page=100)):
        user = comment.get("user") or {}
        # Only a bot's comment counts: a person quoting the marker must not take over the summary.
        if user.get("type") == "Bot" and str(comment.get("body") or "").startswith(SUMMARY_MARKER):
            return int(comment["id"])
    return None


async def upsert_summary(gh: GitHubAPI, repo: str, number: int, body: str) -> int:
    """Edit the summary comment in place, or create it on the first run; return its id."""
    existing = await find_summary(gh, repo, number)
    if existing is not None:
        await gh.patch(
            "/repos/{owner}/{repo}/issues/comments/{comment_id}",
            _vars(repo, comment_id=existing),
            data={"body": body},
        )
        return existing
    created = await gh.post(
        "/repos/{owner}/{repo}/issues/{number}/comments", _vars(repo, number=number), data={"body": body}
    )
    return int(created["id"])


async def publish_failure(gh: GitHubAPI, *, repo: str, number: int, head_sha: str, reason: str) -> int:
    """Say in the summary comment that the review failed, and why."""
    return await upsert_summary(gh, repo, number, render_failure(head_sha=head_sha, reason=reason))
