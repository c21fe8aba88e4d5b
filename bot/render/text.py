"""Plain text for a terminal: findings first, then the checklist and what the review covered."""

from __future__ import annotations

import textwrap

from bot.render.cost import cost_line
from bot.review.models import ReviewResult

_STATUS_MARK = {"pass": "ok  ", "warn": "warn", "fail": "FAIL", "not_applicable": "n/a "}


def render_text(result: ReviewResult) -> str:
    """Return the result as plain text."""
    out: list[str] = []
    for f in result.findings:
        where = f"{f.path}:{f.line}" + (f"-{f.end_line}" if f.end_line and f.end_line != f.line else "")
        rule = f" ({f.rule})" if f.rule else ""
        out.append(f"{where}: {f.severity} [{f.category}] {f.title}{rule}")
        out.extend(textwrap.indent(f.body.strip(), "    ").splitlines())
        if f.suggestion:
            out.append("    suggested:")
            out.extend(textwrap.indent(f.suggestion.rstrip(), "      ").splitlines())
        out.append("")
    if not result.findings:
        out.extend(["No findings.", ""])
    out.append("Pre-deployment checklist:")
    for item in result.checklist:
        out.append(f"  [{_STATUS_MARK[item.status]}] {item.id}: {item.summary}")
    skipped = result.stats.skipped_files
    if skipped:
        out.extend(["", f"Skipped {len(skipped)} file(s):"])
        out.extend(f"  {s.path}: {s.reason}" for s in skipped)
    if result.unreviewed:
        out.extend(["", "Not reviewed by the LLM:"])
        out.extend(f"  {s.path}: {s.reason}" for s in result.unreviewed)
    if result.notes:
        out.extend(["", "Notes:"])
        out.extend(f"  - {note}" for note in result.notes)
    if result.llm_used:
        out.extend(["", cost_line(result)])
    return "\n".join(out) + "\n"
