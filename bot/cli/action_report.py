"""What `prodready action` leaves in its run: the step summary, annotations where nothing could be posted, SARIF."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from bot.pulls.review_job import ReviewOutcome
from bot.render.annotations import render_annotations
from bot.render.markdown import render_markdown
from bot.render.sarif import render_sarif
from bot.review.models import ReviewResult, at_least

log = logging.getLogger(__name__)

FORK_REASON = "this `pull_request` run is for a pull request from a fork, and GitHub gives such runs a read-only token"


def fork_reason(event: str, payload: Mapping[str, Any]) -> str | None:
    """Return why the run's token may not write to the pull request (a fork's `pull_request` run), or None."""
    if event != "pull_request":
        return None
    pull = payload.get("pull_request")
    if not isinstance(pull, Mapping):
        return None
    head_repo = (pull.get("head") or {}).get("repo")
    base = (payload.get("repository") or {}).get("full_name")
    # A deleted fork leaves `head.repo` null: still not this repository.
    head = head_repo.get("full_name") if isinstance(head_repo, Mapping) else None
    return FORK_REASON if head != base else None


@dataclass(frozen=True, slots=True)
class ActionReport:
    """One finished review as the Action reports it."""

    outcome: ReviewOutcome
    repo: str
    number: int

    @property
    def everything(self) -> ReviewResult:
        """Return the result with the findings past `max_comments` too: a report has room for all of them."""
        result = self.outcome.result
        return replace(result, findings=(*result.findings, *result.over_cap), over_cap=())

    def exit_status(self) -> int:
        """Return 1 when a finding is at or above the config's `fail_on`, else 0 (as `prodready review`)."""
        fail_on = self.outcome.config.fail_on
        return 1 if any(at_least(f.severity, fail_on) for f in self.everything.findings) else 0

    def step_summary(self) -> str:
        """Return the markdown for GITHUB_STEP_SUMMARY."""
        sha = self.outcome.head_sha[:7]
        if self.outcome.refused is None:
            count = len(self.everything.findings)
            return (
                f"prodready reviewed {self.repo}#{self.number} at `{sha}`: {count} finding(s), posted on the pull "
                "request as a review and the summary comment.\n"
            )
        why = f"> **Nothing was posted on {self.repo}#{self.number}:** {self.outcome.refused}. "
        return (
            f"{why}The review of `{sha}` is below and in this run's annotations.\n\n{render_markdown(self.everything)}"
        )

    def closing_line(self) -> str:
        """Return the one line for the step's log."""
        count = len(self.everything.findings)
        where = "posted on the pull request" if self.outcome.refused is None else "written to the step summary"
        return f"{self.repo}#{self.number} at {self.outcome.head_sha[:7]}: {count} finding(s), {where}"


def write_report(report: ActionReport, *, step_summary: Path | None, sarif: Path | None, annotations: TextIO) -> None:
    """Append the step summary, print annotations when nothing was posted, and write SARIF when asked."""
    if step_summary is not None:
        with step_summary.open("a", encoding="utf-8") as handle:
            handle.write(report.step_summary())
    if report.outcome.refused is not None:
        if step_summary is None:
            annotations.write(report.step_summary())
        annotations.write(render_annotations(report.everything.findings))
        annotations.flush()
    if sarif is not None:
        sarif.parent.mkdir(parents=True, exist_ok=True)
        sarif.write_text(render_sarif(report.everything, report.outcome.files), encoding="utf-8")
