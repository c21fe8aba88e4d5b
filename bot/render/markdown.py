"""Markdown for CI job summaries and pasting into a pull request."""

from __future__ import annotations

import re

from bot.render.cost import cost_line
from bot.review.models import ReviewResult

_STATUS_ICON = {"pass": "✅ pass", "warn": "⚠️ warn", "fail": "❌ fail", "not_applicable": "➖ n/a"}


def render_markdown(result: ReviewResult) -> str:
    """Return the result as a markdown report."""
    s = result.stats
    out = [
        "# prodready review",
        "",
        f"{s.files} file(s), {s.hunks} hunk(s), {s.changed_lines} changed line(s); {len(result.findings)} finding(s).",
        "",
        "## Pre-deployment checklist",
        "",
        "| check | status | what was found |",
        "| --- | --- | --- |",
    ]
    out.extend(f"| {c.id} | {_STATUS_ICON[c.status]} | {_cell(c.summary)} |" for c in result.checklist)
    if result.findings:
        out.extend(["", "## Findings", ""])
    for f in result.findings:
        rule = f" `{f.rule}`" if f.rule else ""
        out.extend([f"### {f.severity.upper()} · {f.category} · `{f.path}:{f.line}`{rule}", "", f"**{f.title}**", ""])
        out.extend([f.body.strip(), ""])
        if f.suggestion:
            fence = _fence(f.suggestion)
            out.extend(["Suggested change:", "", fence, f.suggestion.rstrip(), fence, ""])
    if s.skipped_files:
        out.extend(["", "## Skipped files", ""])
        out.extend(f"- `{sk.path}`: {sk.reason}" for sk in s.skipped_files)
    if result.unreviewed:
        out.extend(["", "## Not reviewed by the LLM", ""])
        out.extend(f"- `{u.path}`: {u.reason}" for u in result.unreviewed)
    if result.notes:
        out.extend(["", "## Notes", ""])
        out.extend(f"- {n}" for n in result.notes)
    if result.llm_used:
        out.extend(["", cost_line(result)])
    return "\n".join(out).rstrip() + "\n"


def _fence(code: str) -> str:
    # A fence no longer than a backtick run inside the code would be closed by it (CommonMark).
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
