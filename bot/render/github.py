"""A ReviewResult as GitHub review comments: sanitised text, suggestions, hidden fingerprints.

Pure: values in, JSON-ready dicts out. bot.pulls.publish sends them.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.render.safe_markdown import safe_markdown
from bot.review.diff import FileDiff
from bot.review.models import CATEGORIES, SEVERITIES, Finding

MAX_TEXT = 4000
MAX_TITLE = 200
# GitHub refuses a review comment body over 65,536 characters, and with it the whole review.
MAX_COMMENT_BODY = 65_536
FINGERPRINT = re.compile(r"<!-- prodready:fp=([0-9a-f]{16}) -->")
_LINES = re.compile(r"<!-- prodready:lines=(\d+)-(\d+) -->")
_HEAD = re.compile(r"^\S*\s*\*\*(\w+) · (\w+)\*\*: (.*)$")
LLM_ORIGIN = "<sub>prodready · LLM</sub>"
_SEVERITY_ICON = {"critical": "🛑", "high": "🔴", "medium": "🟠", "low": "🟡"}


def sanitize(text: str, *, limit: int = MAX_TEXT) -> str:
    """Make untrusted text (LLM output) safe to post: no mentions, no raw HTML, no images, bounded."""
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return safe_markdown(text)


def one_line(text: str, *, limit: int = MAX_TITLE) -> str:
    """Return `text` sanitised onto one line (titles, table cells)."""
    flat = " ".join(text.split())
    return sanitize(flat, limit=limit).replace("|", "\\|")


def normalise_code(text: str) -> str:
    """Return code with whitespace collapsed, so re-indentation or moved lines keep a fingerprint."""
    return " ".join(text.split())


def fingerprint(finding: Finding, code: str, *, occurrence: int = 0) -> str:
    """Return a finding's identity across pushes: path, rule (or category) and its code, not its line.

    `occurrence` counts earlier findings in the file with the same identity (the same code flagged twice).
    """
    parts = [finding.path, finding.rule or finding.category, normalise_code(code)]
    # The first occurrence keeps the key it always had, so comments posted before still match.
    key = "\0".join([*parts, str(occurrence)] if occurrence else parts)
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def code_at(files: Sequence[FileDiff], finding: Finding) -> str:
    """Return the new-side text of the finding's lines from the diff ("" where the diff does not show them)."""
    end = finding.end_line or finding.line
    for f in files:
        if f.path != finding.path:
            continue
        lines = {ln.new_lineno: ln.text for h in f.hunks for ln in h.lines if ln.new_lineno is not None}
        # The range may come from a comment read back from GitHub; never walk past the lines the diff has.
        end = min(end, max(lines, default=finding.line))
        return "\n".join(lines.get(n, "") for n in range(finding.line, end + 1))
    return ""


def _same_hunk(files: Sequence[FileDiff], path: str, start: int, end: int) -> bool:
    for f in files:
        if f.path == path:
            return any(
                start in h.commentable and end in h.commentable and all(n in h.commentable for n in range(start, end))
                for h in f.hunks
            )
    return False


@dataclass(frozen=True, slots=True)
class InlineComment:
    """One review comment ready to post, and the finding it came from."""

    finding: Finding
    fingerprint: str
    payload: dict[str, object]


def comment_body(finding: Finding, fp: str, *, with_suggestion: bool) -> str:
    """Return the markdown of a review comment for `finding`."""
    icon = _SEVERITY_ICON.get(finding.severity, "")
    head = f"{icon} **{finding.severity.capitalize()} · {finding.category}**: {one_line(finding.title)}"
    parts = [head, "", sanitize(finding.body.strip())]
    if with_suggestion and finding.suggestion is not None:
        fence = "`" * max(3, _longest_backticks(finding.suggestion) + 1)
        parts.extend(["", f"{fence}suggestion", finding.suggestion.rstrip("\n"), fence])
    origin = f"rule `{finding.rule}`" if finding.rule else ("static rule" if finding.source == "static" else "LLM")
    # The lines marker keeps the finding's exact range, which the comment's own line may not show.
    where = f"<!-- prodready:lines={finding.line}-{finding.end_line or finding.line} -->"
    parts.extend(["", f"<sub>prodready · {origin}</sub>", f"<!-- prodready:fp={fp} -->", where])
    return "\n".join(parts)


def _longest_backticks(text: str) -> int:
    runs = re.findall(r"`+", text)
    return max((len(r) for r in runs), default=0)


def inline_comment(finding: Finding, files: Sequence[FileDiff], *, occurrence: int = 0) -> InlineComment:
    """Return the review comment for a finding: a range when its lines share a hunk, else its first line."""
    fp = fingerprint(finding, code_at(files, finding), occurrence=occurrence)
    end = finding.end_line
    ranged = end is not None and end > finding.line and _same_hunk(files, finding.path, finding.line, end)
    # A suggestion replaces exactly the commented lines, so it is only offered when they are the finding's.
    with_suggestion = ranged or end is None or end == finding.line
    body = comment_body(finding, fp, with_suggestion=with_suggestion)
    if len(body) > MAX_COMMENT_BODY:
        # Only the suggestion is unbounded (e.g. a minified line); the finding is still worth its comment.
        body = comment_body(finding, fp, with_suggestion=False)
    payload: dict[str, object] = {
        "path": finding.path,
        "line": end if ranged else finding.line,
        "side": "RIGHT",
        "body": body,
    }
    if ranged:
        payload["start_line"] = finding.line
        payload["start_side"] = "RIGHT"
    return InlineComment(finding, fp, payload)


def inline_comments(findings: Sequence[Finding], files: Sequence[FileDiff]) -> list[InlineComment]:
    """Return the review comment of each finding, with the fingerprint it carries (SARIF uses the same ones).

    The same code flagged at two places shares a fingerprint; each place still gets its own, counted in order.
    """
    out: list[InlineComment] = []
    seen: Counter[str] = Counter()
    for finding in findings:
        comment = inline_comment(finding, files)
        earlier = seen[comment.fingerprint]
        seen[comment.fingerprint] += 1
        out.append(inline_comment(finding, files, occurrence=earlier) if earlier else comment)
    return out


def review_body(count: int) -> str:
    """Return the body of a review that posts `count` new inline comments."""
    return f"prodready: {count} new finding(s). The summary comment has the checklist."


def fingerprints_in(body: str) -> set[str]:
    """Return the fingerprints hidden in a comment body."""
    return set(FINGERPRINT.findall(body or ""))


def prior_llm_finding(comment: Mapping[str, Any]) -> tuple[Finding, str] | None:
    """Read an LLM finding back from a prodready review comment as GitHub lists it; None if it is not one.

    The body text is the sanitised one that was posted; the fingerprint lets the caller check that
    the code it was about is still where it was.
    """
    body = str(comment.get("body") or "")
    fps = FINGERPRINT.findall(body)
    head = _HEAD.match(body.split("\n", 1)[0])
    if len(fps) != 1 or head is None or LLM_ORIGIN not in body or not isinstance(comment.get("line"), int):
        return None
    severity, category = head.group(1).lower(), head.group(2)
    if severity not in SEVERITIES or category not in CATEGORIES:
        return None
    lines = _LINES.search(body)
    start, end = (int(lines.group(1)), int(lines.group(2))) if lines else (comment["line"], comment["line"])
    text = body.split("\n\n", 1)[1] if "\n\n" in body else ""
    text = text.split("\n\n<sub>prodready", 1)[0].split("\n\n```", 1)[0].strip()
    finding = Finding(
        path=str(comment.get("path") or ""),
        line=start,
        end_line=end if end > start else None,
        category=category,
        severity=severity,
        title=head.group(3).replace("\\|", "|"),
        body=text,
        source="llm",
    )
    return finding, fps[0]
