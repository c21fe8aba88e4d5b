"""Incremental review: after a push, only the files changed since the last reviewed head go to the LLM.

The last reviewed head is read from the summary comment, so this holds across restarts without a
store. GitHub's compare API says which files changed; a force-push (the old head no longer an
ancestor) or any doubt means a full review. LLM findings on files not sent again are read back from
the prodready review comments and kept while the code they point at is unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gidgethub.abc import GitHubAPI

from bot.github.commits import compare
from bot.github.errors import GitHubError, RateLimited
from bot.pulls.publish import written_by
from bot.render.github import code_at, fingerprint, prior_llm_finding
from bot.render.summary import ReviewMark
from bot.review.config import RepoConfig
from bot.review.diff import FileDiff
from bot.review.models import Finding, LLMReview
from bot.review.ports import LLMReviewer

log = logging.getLogger(__name__)

# GitHub's compare answer lists at most 300 changed files; at that count the list may be cut short.
MAX_COMPARE_FILES = 300
FORWARD = frozenset({"ahead", "identical"})


@dataclass(frozen=True, slots=True)
class Since:
    """What changed since the last reviewed head: `changed` paths, or None for "review everything"."""

    changed: frozenset[str] | None
    note: str


async def changed_since(gh: GitHubAPI, *, repo: str, head_sha: str, mark: ReviewMark | None) -> Since:
    """Return the paths changed between the last fully LLM-reviewed head and `head_sha`."""
    if mark is None:
        return Since(None, "")
    if mark.llm != "full":
        return Since(None, f"Full review: the LLM did not see all of `{mark.head_sha[:7]}`.")
    try:
        data = await compare(gh, repo, base=mark.head_sha, head=head_sha)
    except RateLimited:
        raise  # the job is retried later; a full review now would spend more of the same limit
    except GitHubError as exc:
        # 404: the old head is gone (force-push and garbage collection) or unknown.
        log.info("full review: %s could not be compared (%s)", mark.head_sha[:7], exc)
        return Since(None, f"Full review: `{mark.head_sha[:7]}` could not be compared with the new head.")
    return _read_comparison(data, since=mark.head_sha)


def _read_comparison(data: Any, *, since: str) -> Since:
    status = data.get("status") if isinstance(data, dict) else None
    if status not in FORWARD:
        # diverged or behind: the branch was rewritten, so the earlier review says nothing about this code.
        return Since(None, f"Full review: the branch no longer builds on `{since[:7]}` (force-push).")
    files = [f for f in data.get("files") or [] if isinstance(f, dict) and isinstance(f.get("filename"), str)]
    if len(files) >= MAX_COMPARE_FILES:
        return Since(None, f"Full review: too many files changed since `{since[:7]}` to compare.")
    changed = frozenset(str(f["filename"]) for f in files)
    return Since(changed, f"Incremental review: the LLM saw only what changed since `{since[:7]}`.")


def still_standing(
    comments: Sequence[Mapping[str, Any]], files: Sequence[FileDiff], *, skip: frozenset[str], ours: str
) -> list[Finding]:
    """Return the LLM findings posted earlier whose code is still on the same lines of the diff.

    Findings on paths in `skip` (sent to the LLM again) are left to the new answer. A finding
    whose fingerprint no longer matches the code at its lines is fixed or moved, and not kept. Only comments
    written by `ours` (prodready's login) are read.
    """
    by_path = {f.path: f for f in files}
    kept: dict[str, Finding] = {}
    for comment in comments:
        if not written_by(comment, ours):
            continue
        read = prior_llm_finding(comment)
        if read is None:
            continue
        finding, fp = read
        if finding.path in skip or finding.path not in by_path:
            continue
        if fingerprint(finding, code_at(files, finding)) == fp:
            kept.setdefault(fp, finding)
    return list(kept.values())


class IncrementalReviewer:
    """An LLMReviewer that sends only the changed files and adds the earlier findings still standing."""

    def __init__(
        self, inner: LLMReviewer, *, changed: frozenset[str], comments: Sequence[Mapping[str, Any]], ours: str
    ) -> None:
        self._inner = inner
        self._ours = ours
        self._changed = changed
        self._comments = comments
        self.sent: list[str] = []
        self.kept: list[Finding] = []

    async def review(
        self, files: Sequence[FileDiff], *, config: RepoConfig, static_findings: Sequence[Finding]
    ) -> LLMReview:
        """Review the changed files with the inner reviewer; carry the rest over from the earlier review."""
        send = [f for f in files if f.path in self._changed]
        self.sent = [f.path for f in send]
        self.kept = still_standing(self._comments, files, skip=frozenset(self.sent), ours=self._ours)
        fresh = await self._inner.review(send, config=config, static_findings=static_findings) if send else LLMReview()
        note = f"{len(send)} changed file(s) went to the LLM; {len(self.kept)} earlier LLM finding(s) still stand."
        return LLMReview(
            findings=(*fresh.findings, *self.kept),
            calls=fresh.calls,
            prompt_tokens=fresh.prompt_tokens,
            completion_tokens=fresh.completion_tokens,
            notes=(*fresh.notes, note),
            unreviewed=fresh.unreviewed,
        )
