"""Ignores on a pull request: what they take out of a review, and 👎 reactions read as ignores.

GitHub sends no webhook for reactions, so they are read when the next event for the pull request arrives: the
listed review comments carry a reactions rollup, and only ours with more 👎 than last time are asked about.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from gidgethub.abc import GitHubAPI

from bot.github.pulls import PullRequest
from bot.github.reactions import review_comment_reactions
from bot.pulls.recheck import may_recheck
from bot.pulls.threads import OurComment, current_fingerprints, is_bot_user
from bot.render.conversation import ConversationState, Ignore
from bot.review.checklist import build_checklist
from bot.review.config import RepoConfig
from bot.review.diff import FileDiff
from bot.review.models import Finding, ReviewResult

log = logging.getLogger(__name__)

# Comments whose reactions are read per event; more wait for the next one, so a burst of 👎 stays cheap.
MAX_REACTION_READS = 10


def apply_ignores(
    result: ReviewResult, files: Sequence[FileDiff], *, state: ConversationState, config: RepoConfig
) -> ReviewResult:
    """Return `result` without the findings the pull request's ignores cover (the checklist follows)."""
    if not state.ignores:
        return result

    def kept(findings: Sequence[Finding]) -> tuple[Finding, ...]:
        return tuple(
            f
            for f, fp in current_fingerprints(findings, files)
            if state.ignore_for(fingerprint=fp, rule=f.rule, category=f.category) is None
        )

    findings, over_cap = kept(result.findings), kept(result.over_cap)
    if len(findings) == len(result.findings) and len(over_cap) == len(result.over_cap):
        return result
    dropped = len(result.findings) - len(findings)
    checklist = build_checklist(
        [*findings, *over_cap], files=files, config=config, llm_used=result.llm_used and result.stats.llm_calls > 0
    )
    note = f"{dropped} finding(s) not posted: ignored on this pull request (listed below)."
    return replace(result, findings=findings, over_cap=over_cap, checklist=checklist, notes=(*result.notes, note))


async def read_downvotes(
    gh: GitHubAPI, *, pull: PullRequest, comments: Sequence[OurComment], state: ConversationState
) -> ConversationState:
    """Return `state` with an ignore for each of our comments that the author or a writer gave a 👎."""
    reads = 0
    allowed: dict[str, bool] = {}
    downvotes = dict(state.downvotes)
    for comment in comments:
        if comment.downvotes <= downvotes.get(comment.fingerprint, 0):
            continue
        covered = state.ignore_for(fingerprint=comment.fingerprint, rule=comment.rule, category=comment.category)
        if covered is None:
            if reads == MAX_REACTION_READS:
                break
            reads += 1
            by = await _first_entitled(gh, pull, comment, allowed)
            if by is not None:
                why = "👎 on prodready's comment"
                state = state.with_ignore(
                    Ignore("finding", comment.fingerprint, by, why=why, label=comment.label, via="reaction")
                )
        downvotes[comment.fingerprint] = comment.downvotes
    return replace(state, downvotes=downvotes)


async def _first_entitled(
    gh: GitHubAPI, pull: PullRequest, comment: OurComment, allowed: dict[str, bool]
) -> str | None:
    """Return the first person who gave `comment` a 👎 and may use prodready's commands, if any."""
    for reaction in await review_comment_reactions(gh, pull.repo, comment.id, content="-1"):
        user = reaction.get("user")
        login = user.get("login") if isinstance(user, dict) else None
        if not isinstance(login, str) or is_bot_user(user):
            continue
        if login not in allowed:
            allowed[login] = await may_recheck(gh, pull, login)
        if allowed[login]:
            return login
    return None
