"""Run the static rules over the added lines of a diff."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.review.config import RepoConfig
from bot.review.diff import FileDiff
from bot.review.models import Finding


@dataclass(frozen=True, slots=True)
class StaticReview:
    """Findings of the static rules, and notes for the user (e.g. a custom rule that did not load)."""

    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()


def run_rules(
    files: Sequence[FileDiff],
    *,
    sources: Mapping[str, str],
    config: RepoConfig,
    custom_rules: Mapping[str, str],
) -> StaticReview:
    """Run every enabled rule; report only on lines the diff adds."""
    return StaticReview()
