"""Builders for the diffs the rule tests feed to the engine."""

from __future__ import annotations

import textwrap
from collections.abc import Collection
from pathlib import Path

from bot.review.config import RepoConfig
from bot.review.diff import FileDiff, Hunk, HunkLine
from bot.review.models import Finding
from bot.rules.engine import run_rules

EXAMPLES = Path(__file__).parent / "examples"


def file_diff(path: str, source: str, *, added: Collection[int] | None = None) -> FileDiff:
    """Return a diff of `path` whose new side is `source`; `added` line numbers (default all) are added."""
    lines = source.splitlines()
    wanted = set(range(1, len(lines) + 1)) if added is None else set(added)
    hunk_lines = []
    old = 0
    for number, text in enumerate(lines, start=1):
        if number in wanted:
            hunk_lines.append(HunkLine("added", text, number, None))
        else:
            old += 1
            hunk_lines.append(HunkLine("context", text, number, old))
    hunk = Hunk(1 if old else 0, old, 1, len(lines), "", tuple(hunk_lines))
    status = "added" if not old else "modified"
    return FileDiff(
        path=path, old_path=None if status == "added" else path, status=status, is_binary=False, hunks=(hunk,)
    )


def review(
    path: str,
    source: str,
    *,
    added: Collection[int] | None = None,
    config: RepoConfig | None = None,
    custom: dict[str, str] | None = None,
    with_source: bool = True,
) -> list[Finding]:
    """Run the static rules on `source` as the new version of `path` and return the findings."""
    source = textwrap.dedent(source).lstrip("\n")
    diff = file_diff(path, source, added=added)
    result = run_rules(
        [diff],
        sources={path: source} if with_source else {},
        config=config or RepoConfig(),
        custom_rules=custom or {},
    )
    return list(result.findings)


def rule_lines(findings: list[Finding], rule: str) -> list[int]:
    """Return the lines where `rule` fired."""
    return sorted(f.line for f in findings if f.rule == rule)


def rules_with_examples(language: str) -> set[str]:
    """Return the rule ids that have an annotated example file (tests/rules/test_examples.py runs them)."""
    return {p.name.split(".", 1)[0] for p in (EXAMPLES / language).glob("*") if p.is_file()}
