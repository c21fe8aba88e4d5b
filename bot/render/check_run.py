"""The text of the "prodready" check run: its conclusion, title and summary, and the body that completes it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from bot.render.github import one_line
from bot.render.safe_markdown import code_span
from bot.review.config import RepoConfig
from bot.review.models import SEVERITIES, ReviewResult, at_least

CHECK_NAME = "prodready"
# GitHub refuses an output summary over 65,535 characters; stay well clear of it.
MAX_SUMMARY = 60_000
MAX_TITLE = 200
MAX_LISTED = 30
Conclusion = Literal["success", "failure", "neutral"]


@dataclass(frozen=True, slots=True)
class CheckOutput:
    """What the check run says: its conclusion, a one-line title and a markdown summary."""

    conclusion: Conclusion
    title: str
    summary: str

    def payload(self) -> dict[str, Any]:
        """Return the PATCH body that completes a check run with this output."""
        return {
            "status": "completed",
            "conclusion": self.conclusion,
            "output": {"title": self.title[:MAX_TITLE], "summary": _cap(self.summary)},
        }


def verdict(result: ReviewResult, config: RepoConfig) -> CheckOutput:
    """Return failure when a finding is at or above `fail_on`, else success, with a short summary."""
    # Findings beyond max_comments are not commented but still count, as they do for the CLI's exit status.
    every = (*result.findings, *result.over_cap)
    blocking = [f for f in every if at_least(f.severity, config.fail_on)]
    counts = Counter(f.severity for f in every)
    if blocking:
        title = f"{len(blocking)} finding(s) at or above {config.fail_on}"
    elif every:
        title = f"No finding at or above {config.fail_on} ({len(every)} below)"
    else:
        title = "No findings"
    tally = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s]) or "none"
    lines = [f"Findings: {tally}. The check fails on `{config.fail_on}` or worse (`fail_on`).", ""]
    for f in blocking[:MAX_LISTED]:
        lines.append(f"- **{f.severity} · {f.category}** {code_span(f'{f.path}:{f.line}')}: {one_line(f.title)}")
    if len(blocking) > MAX_LISTED:
        lines.append(f"- … and {len(blocking) - MAX_LISTED} more")
    lines.extend(["", "| Check | Status |", "| --- | --- |"])
    lines.extend(f"| {item.id} | {item.status} |" for item in result.checklist)
    lines.extend(["", "The pull request's prodready summary comment has the details."])
    return CheckOutput("failure" if blocking else "success", one_line(title, limit=MAX_TITLE), "\n".join(lines))


def incomplete(reason: str) -> CheckOutput:
    """Return the neutral output of a review that could not complete."""
    summary = f"The review could not be completed: {one_line(reason, limit=500)}"
    return CheckOutput("neutral", "The review could not be completed", summary)


def _cap(text: str) -> str:
    if len(text) <= MAX_SUMMARY:
        return text
    return text[:MAX_SUMMARY].rsplit("\n", 1)[0] + "\n\n… (cut to GitHub's size limit)"
