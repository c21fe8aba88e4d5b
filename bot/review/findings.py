"""Turn candidate findings into what is shown: anchored, merged, sorted, filtered and capped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from bot.review.anchoring import anchor_findings
from bot.review.config import RepoConfig
from bot.review.diff import FileDiff
from bot.review.models import Finding, at_least, severity_rank


def finalize_findings(
    candidates: Iterable[Finding], *, files: Sequence[FileDiff], config: RepoConfig
) -> tuple[list[Finding], list[Finding]]:
    """Return (the findings to show, capped by max_comments; every finding at or above min_severity).

    Every returned finding lies on a commentable line of `files`.
    """
    disabled_rules = set(config.rules.disable)
    wanted = [
        f
        for f in candidates
        if config.category_enabled(f.category) and (f.rule is None or f.rule not in disabled_rules)
    ]
    anchored = anchor_findings(wanted, files)
    kept = [f for f in merge_duplicates(anchored) if at_least(f.severity, config.min_severity)]
    kept.sort(key=_display_order)
    return kept[: config.max_comments], kept


def merge_duplicates(findings: Iterable[Finding]) -> list[Finding]:
    """Merge findings of the same path and category that start on the same line: one problem seen twice.

    Adjacent lines are different code (a localhost URL above a test key), so they stay separate; and a finding
    that spans a whole block must not swallow one inside it.
    """
    by_place: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        by_place.setdefault((finding.path, finding.category), []).append(finding)
    merged: list[Finding] = []
    for group in by_place.values():
        group.sort(key=lambda f: f.line)
        current = group[0]
        for finding in group[1:]:
            if finding.line == current.line:
                current = _merge_pair(current, finding)
            else:
                merged.append(current)
                current = finding
        merged.append(current)
    return merged


def _merge_pair(a: Finding, b: Finding) -> Finding:
    # The stronger finding wins; static beats LLM at equal severity because its rule id and fix are exact.
    winner, other = (a, b) if _strength(a) >= _strength(b) else (b, a)
    if winner.suggestion is None and other.suggestion is not None and other.line == winner.line:
        return replace(winner, suggestion=other.suggestion, end_line=other.end_line)
    return winner


def _strength(finding: Finding) -> tuple[int, int]:
    return severity_rank(finding.severity), 1 if finding.source == "static" else 0


def _display_order(finding: Finding) -> tuple[int, str, int]:
    return -severity_rank(finding.severity), finding.path, finding.line
