"""Review one Benchmark file as prodready reviews a pull request that adds it: offline, whole file as source."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.review.config import RepoConfig
from bot.review.context import split_lines
from bot.review.diff import parse_diff
from bot.review.pipeline import run_review
from bot.rules.engine import run_rules

# Measure what the rules find, not what a team would choose to see: nothing capped or filtered.
CONFIG = RepoConfig(max_comments=200, min_severity="low")


@dataclass(frozen=True, slots=True)
class Hit:
    """The part of a finding the scoring needs."""

    rule: str | None
    category: str
    severity: str
    line: int


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What the review said about one file; `error` when the review itself raised."""

    path: str
    hits: tuple[Hit, ...] = ()
    skipped: tuple[str, ...] = ()  # reasons of the review's skipped_files entries
    diff_only: bool = False  # the rules saw the hunk only, not the whole file
    error: str | None = None


def added_file_diff(path: str, text: str) -> str:
    """Return a git unified diff that adds `text` as the new file `path`."""
    lines = split_lines(text)
    head = f"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n"
    if not lines:
        return head
    body = "".join(f"+{line}\n" for line in lines)
    tail = "" if text.endswith("\n") else "\\ No newline at end of file\n"
    return f"{head}@@ -0,0 +1,{len(lines)} @@\n{body}{tail}"


def review_file(path: str, text: str) -> FileOutcome:
    """Run the offline review core (rules only, no LLM) on a diff adding `path`, with its text as source."""
    try:
        files = parse_diff(added_file_diff(path, text))
        result = asyncio.run(run_review(files, rules=run_rules, config=CONFIG, sources={path: text}, llm=None))
    except Exception as exc:  # one broken file is reported, not the end of the run
        return FileOutcome(path, error=f"{type(exc).__name__}: {exc}")
    return FileOutcome(
        path,
        hits=tuple(Hit(f.rule, f.category, f.severity, f.line) for f in result.findings),
        skipped=tuple(s.reason if s.path == path else f"{s.path}: {s.reason}" for s in result.stats.skipped_files),
        diff_only=path in result.stats.diff_only_files,
    )
