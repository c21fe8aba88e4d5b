"""The "prodready" check run on the head commit: in progress while reviewing, then its verdict.

Best effort: a check run that cannot be written (e.g. the App lacks the Checks permission) never
stops the review from being posted; the caller gets the reason for the summary's notes.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from gidgethub.abc import GitHubAPI

from bot.github.errors import GitHubError
from bot.render.github import one_line
from bot.render.safe_markdown import code_span
from bot.review.config import RepoConfig
from bot.review.models import SEVERITIES, ReviewResult, at_least

log = logging.getLogger(__name__)

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


async def start_check(gh: GitHubAPI, *, repo: str, head_sha: str) -> tuple[int | None, str | None]:
    """Create the check run, in progress, on `head_sha`; return (its id, None) or (None, why it failed)."""
    owner, _, name = repo.partition("/")
    try:
        run = await gh.post(
            "/repos/{owner}/{repo}/check-runs",
            {"owner": owner, "repo": name},
            data={"name": CHECK_NAME, "head_sha": head_sha, "status": "in_progress"},
        )
        return int(run["id"]), None
    except GitHubError as exc:
        log.warning("check run not created: %s", exc)
        return None, f"The check run could not be created ({_hint(exc)})."
    except (KeyError, TypeError, ValueError):
        return None, "The check run could not be created (GitHub's answer had no id)."


async def finish_check(gh: GitHubAPI, *, repo: str, check_id: int, output: CheckOutput) -> bool:
    """Complete the check run with `output`; return False (and log) when GitHub refused."""
    owner, _, name = repo.partition("/")
    try:
        await gh.patch(
            "/repos/{owner}/{repo}/check-runs/{check_run_id}",
            {"owner": owner, "repo": name, "check_run_id": check_id},
            data=output.payload(),
        )
    except GitHubError as exc:
        log.warning("check run %s not completed: %s", check_id, exc)
        return False
    return True


def _hint(exc: GitHubError) -> str:
    if exc.status == 403:
        return "the App needs the Checks read and write permission"
    return f"GitHub answered {exc.status}" if exc.status else "GitHub could not be reached"


def _cap(text: str) -> str:
    if len(text) <= MAX_SUMMARY:
        return text
    return text[:MAX_SUMMARY].rsplit("\n", 1)[0] + "\n\n… (cut to GitHub's size limit)"
