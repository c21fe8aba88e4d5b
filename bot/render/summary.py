"""The one summary comment of a pull request: checklist, findings off the diff, skipped files, notes, cost.

Found again on later runs by its hidden marker and edited in place.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.render.github import one_line, sanitize
from bot.review.checklist import checklist_id_for
from bot.review.models import Finding, ReviewResult

SUMMARY_MARKER = "<!-- prodready:summary -->"
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


def render_summary(
    result: ReviewResult,
    *,
    head_sha: str,
    links: Sequence[tuple[Finding, str | None]] = (),
    unplaced: Sequence[Finding] = (),
    notes: Sequence[str] = (),
) -> str:
    """Return the summary comment body for a finished review of `head_sha`."""
    s = result.stats
    out = [
        SUMMARY_MARKER,
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
        out.extend(_bounded([f"- `{one_line(sk.path)}`: {one_line(sk.reason)}" for sk in skipped]))
    all_notes = [*notes, *result.notes]
    if all_notes:
        out.extend(["", "### Notes", ""])
        out.extend(_bounded([f"- {one_line(n, limit=500)}" for n in all_notes]))
    out.extend(["", f"<sub>{_cost(result)}</sub>"])
    return _cap("\n".join(out))


def render_failure(*, head_sha: str, reason: str) -> str:
    """Return the summary comment body saying the review of `head_sha` failed and why."""
    sha = f" of `{head_sha[:7]}`" if head_sha else ""
    return "\n".join(
        [
            SUMMARY_MARKER,
            "## prodready: review failed",
            "",
            f"The review{sha} could not be completed: {one_line(reason, limit=500)}",
            "",
            "Push a new commit or comment `/prodready recheck` to try again.",
        ]
    )


def _finding_line(f: Finding) -> str:
    where = f"`{one_line(f.path)}:{f.line}`"
    body = sanitize(" ".join(f.body.split()), limit=600)
    return f"- **{f.severity} · {f.category}** {where}: {one_line(f.title)}. {body}"


def _bounded(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LIST:
        return lines
    return [*lines[:MAX_LIST], f"- … and {len(lines) - MAX_LIST} more"]


def _cost(result: ReviewResult) -> str:
    s = result.stats
    if not result.llm_used:
        return "Static rules only: no LLM was used."
    return f"Cost: {s.llm_calls} LLM call(s), {s.prompt_tokens:,} prompt + {s.completion_tokens:,} completion tokens."


def _cap(body: str) -> str:
    if len(body) <= MAX_BODY:
        return body
    return body[:MAX_BODY].rsplit("\n", 1)[0] + "\n\n… (summary cut to GitHub's size limit)"
