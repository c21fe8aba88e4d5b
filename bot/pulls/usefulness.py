"""After each review: which of prodready's comments were addressed by a later push or ignored, and closing them.

Each comment's outcome is recorded once in the summary's state, so the counters count it once, whichever
server reviews the next push.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from gidgethub.abc import GitHubAPI

from bot import metrics
from bot.pulls.resolve import close_addressed
from bot.pulls.threads import OurComment, code_changed, current_fingerprints
from bot.render.conversation import RULE_ID, ConversationState, Outcome
from bot.render.summary import Usefulness
from bot.review.diff import FileDiff
from bot.review.models import Finding, ReviewResult


async def follow_up(
    gh: GitHubAPI,
    *,
    repo: str,
    number: int,
    result: ReviewResult,
    files: Sequence[FileDiff],
    ours: Sequence[OurComment],
    replied: set[int],
    state: ConversationState,
) -> tuple[ConversationState, Usefulness]:
    """Record the outcome of our comments that have one now, close the addressed ones, and measure.

    `result` is the review before ignores were applied: an ignored finding that still stands is not addressed.
    """
    current = {fp for _, fp in current_fingerprints([*result.findings, *result.over_cap], files)}
    outcomes: dict[str, Outcome] = dict(state.outcomes)
    to_close: list[OurComment] = []
    for comment in ours:
        if comment.fingerprint in outcomes:
            continue
        if state.ignore_for(fingerprint=comment.fingerprint, rule=comment.rule, category=comment.category):
            outcomes[comment.fingerprint] = "ignored"
        elif comment.fingerprint not in current and code_changed(comment, files):
            if comment.id in replied:
                outcomes[comment.fingerprint] = "addressed"  # a person answered: their thread, left alone
            else:
                to_close.append(comment)
    closing = await close_addressed(gh, repo=repo, number=number, comments=to_close, resolve=not state.cannot_resolve)
    outcomes.update(closing.outcomes)
    _count(ours, before=state.outcomes, after=outcomes)
    state = replace(state, outcomes=outcomes, cannot_resolve=state.cannot_resolve or closing.refused)
    mine = [outcomes.get(c.fingerprint) for c in ours]
    useful = Usefulness(
        posted=len(ours),
        addressed=sum(1 for o in mine if o in ("addressed", "resolved", "minimized")),
        ignored=mine.count("ignored"),
    )
    return state, useful


def rule_label(rule: str | None) -> str:
    """Return a rule id fit for a metric label ("none" for LLM findings)."""
    if rule is None:
        return "none"
    return rule if RULE_ID.match(rule) else "other"


def count_posted(findings: Iterable[Finding]) -> None:
    """Count newly posted inline comments by rule and category."""
    for f in findings:
        metrics.record_inline_comment(rule=rule_label(f.rule), category=f.category)


def _count(ours: Sequence[OurComment], *, before: Mapping[str, Outcome], after: Mapping[str, Outcome]) -> None:
    for comment in ours:
        outcome = after.get(comment.fingerprint)
        if outcome is not None and comment.fingerprint not in before:
            metrics.record_comment_outcome(
                outcome="ignored" if outcome == "ignored" else "addressed",
                rule=rule_label(comment.rule),
                category=comment.category,
            )
