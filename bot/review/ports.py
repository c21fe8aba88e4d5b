"""What the review core asks of its engines: the static rules and the LLM, each behind a Protocol."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from bot.review.config import RepoConfig
from bot.review.diff import FileDiff
from bot.review.models import Finding, LLMReview, StaticReview


class RuleEngine(Protocol):
    """Anything that runs static rules over the added lines of diff files (see bot.rules.engine.run_rules)."""

    def __call__(
        self,
        files: Sequence[FileDiff],
        *,
        sources: Mapping[str, str],
        config: RepoConfig,
        custom_rules: Mapping[str, str],
    ) -> StaticReview: ...


class LLMReviewer(Protocol):
    """Anything that reviews diff files with a language model (see bot.llm)."""

    async def review(
        self,
        files: Sequence[FileDiff],
        *,
        config: RepoConfig,
        static_findings: Sequence[Finding],
    ) -> LLMReview: ...
