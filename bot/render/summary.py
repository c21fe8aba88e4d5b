"""The one summary comment of a pull request: checklist, findings off the diff, skipped files, notes, cost.

Found again on later runs by its hidden marker and edited in place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.render.conversation import ConversationState, ignores_section, read_state
from bot.render.cost import cost_line
from bot.render.github import one_line, sanitize
from bot.render.safe_markdown import code_span
from bot.review.checklist import checklist_id_for
from bot.review.models import Finding, ReviewResult

SUMMARY_MARKER = "<!-- prodready:summary -->"
_MARK = re.compile(r"<!-- prodready:reviewed=([0-9a-f]{7,64}) llm=(full|partial|none) -->")
# GitHub refuses comment bodies over 65,536 characters; leave room for the tail.
MAX_BODY = 60_000
MAX_LIST = 50
_STATUS = {"pass": "✅ pass", "warn": "⚠️ warn", "fail": "❌ fail", "not_applicable": "➖ n/a"}
_TITLES = {
    "configuration": "Configuration from the environment",
    "failure_handling": "Error handling on external calls",
    "security": "Input validation",
    "concurrency": "Concurrency",
    "data_volume": "Performance at production volume",
    "logging": "Logging",
    "monitoring": "Monitoring",
}


# Said once, in the summary, rather than on each comment it concerns.
CANNOT_RESOLVE = (
    "This installation may not resolve review threads (GitHub asks for the Contents: write permission for that), "
    "so prodready minimises its addressed comments as outdated instead."
)

LLMCoverage = Literal["full", "partial", "none"]


@dataclass(frozen=True, slots=True)
class Usefulness:
    """What became of prodready's inline comments on one pull request."""

    posted: int
    addressed: int
    ignored: int

    @property
    def left(self) -> int:
        """Return the comments neither addressed nor ignored."""
        return max(0, self.posted - self.addressed - self.ignored)

    def line(self) -> str:
        """Return the summary's one line about it."""
        if not self.posted:
            return ""
        share = round(100 * self.addressed / self.posted)
        return (
            f"Of prodready's {self.posted} inline comment(s) on this pull request, {self.addressed} addressed by a "
            f"later push ({share}%), {self.ignored} ignored, {self.left} left as they are."
        )


@dataclass(frozen=True, slots=True)
class ReviewMark:
    """The last reviewed head and how much of it the LLM saw, kept hidden in the summary comment.

    Kept in the comment, not in a store of ours, so it survives restarts and needs no state. `state` is what
    people told prodready on the pull request (bot.render.conversation), kept hidden beside it; `usefulness`
    is shown, never read back.
    """

    head_sha: str
    llm: LLMCoverage
    state: ConversationState = field(default_factory=ConversationState)
    usefulness: Usefulness | None = None

    def render(self) -> str:
        """Return the hidden marker line (and the hidden state line when there is state)."""
        line = f"<!-- prodready:reviewed={self.head_sha} llm={self.llm} -->"
        encoded = self.state.encode()
        return f"{line}\n{encoded}" if encoded else line


def read_mark(body: str) -> ReviewMark | None:
    """Return the review mark hidden in a summary comment body, if there is one, with the state beside it."""
    match = _MARK.search(body or "")
    if match is None:
        return None
    llm: LLMCoverage = match.group(2)  # type: ignore[assignment]  # the pattern admits only these three
    return ReviewMark(match.group(1), llm, state=read_state(body))


def render_summary(
    result: ReviewResult,
    *,
    head_sha: str,
    links: Sequence[tuple[Finding, str | None]] = (),
    unplaced: Sequence[Finding] = (),
    notes: Sequence[str] = (),
    mark: ReviewMark | None = None,
) -> str:
    """Return the summary comment body for a finished review of `head_sha`."""
    s = result.stats
    out = [
        SUMMARY_MARKER,
        *([mark.render()] if mark else []),
        "## prodready: pre-deployment checklist",
        "",
        f"Reviewed `{head_sha[:7]}`: {s.files} file(s), {s.hunks} hunk(s), {s.changed_lines} changed line(s); "
        f"{len(result.findings)} finding(s).",
        "",
        "| Check | Status | What was found |",
        "| --- | --- | --- |",
    ]
    for item in result.checklist:
        refs = [url for f, url in links if url and checklist_id_for(f) == item.id][:10]
        seen = ", ".join(f"[{n}]({url})" for n, url in enumerate(refs, 1))
        found = one_line(item.summary, limit=300) + (f" ({seen})" if seen else "")
        out.append(f"| {_TITLES.get(item.id, item.id)} | {_STATUS.get(item.status, item.status)} | {found} |")
    if unplaced:
        out.extend(["", "### Findings GitHub would not place on a line", ""])
        out.extend(_bounded([_finding_line(f) for f in unplaced]))
    skipped = [*s.skipped_files, *result.unreviewed]
    if skipped:
        out.extend(["", "### Not reviewed", ""])
        out.extend(_bounded([f"- {code_span(sk.path)}: {one_line(sk.reason)}" for sk in skipped]))
    if mark is not None:
        conversation = ignores_section(mark.state)
        if conversation:
            out.extend(["", *conversation])
        if mark.state.cannot_resolve:
            notes = [*notes, CANNOT_RESOLVE]
        useful = mark.usefulness.line() if mark.usefulness else ""
        if useful:
            out.extend(["", useful])
    all_notes = [*notes, *result.notes]
    if all_notes:
        out.extend(["", "### Notes", ""])
        out.extend(_bounded([f"- {one_line(n, limit=500)}" for n in all_notes]))
    out.extend(["", f"<sub>{cost_line(result)}</sub>"])
    return _cap("\n".join(out))


def render_pending(state: ConversationState) -> str:
    """Return a summary comment body for a pull request that people spoke to before any review finished."""
    out = [SUMMARY_MARKER, *([state.encode()] if state.encode() else []), "## prodready: pre-deployment checklist", ""]
    out.append("No review has finished yet.")
    section = ignores_section(state)
    return "\n".join([*out, *(["", *section] if section else [])])


def render_failure(*, head_sha: str, reason: str, mark: ReviewMark | None = None) -> str:
    """Return the summary comment body saying the review of `head_sha` failed and why.

    `mark` is the last review that did complete: its findings are still posted, so it stays recorded.
    """
    sha = f" of `{head_sha[:7]}`" if head_sha else ""
    return "\n".join(
        [
            SUMMARY_MARKER,
            *([mark.render()] if mark else []),
            "## prodready: review failed",
            "",
            f"The review{sha} could not be completed: {one_line(reason, limit=500)}",
            "",
            "Push a new commit or comment `/prodready recheck` to try again.",
        ]
    )


def _finding_line(f: Finding) -> str:
    where = code_span(f"{f.path}:{f.line}")
    body = sanitize(" ".join(f.body.split()), limit=600)
    return f"- **{f.severity} · {f.category}** {where}: {one_line(f.title)}. {body}"


def _bounded(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LIST:
        return lines
    return [*lines[:MAX_LIST], f"- … and {len(lines) - MAX_LIST} more"]


def _cap(body: str) -> str:
    if len(body) <= MAX_BODY:
        return body
    return body[:MAX_BODY].rsplit("\n", 1)[0] + "\n\n… (summary cut to GitHub's size limit)"
