"""The review pipeline: diff files -> selection -> static rules + LLM -> findings -> checklist -> result."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from bot.review.checklist import build_checklist
from bot.review.config import ConfigProblem, RepoConfig
from bot.review.diff import FileDiff
from bot.review.findings import finalize_findings
from bot.review.models import LLMReview, ReviewResult, ReviewStats, SkippedFile
from bot.review.ports import LLMReviewer, RuleEngine
from bot.review.selection import select_files

__all__ = ["LLMReviewer", "RuleEngine", "run_review"]


async def run_review(
    files: Sequence[FileDiff],
    *,
    config: RepoConfig,
    rules: RuleEngine,
    sources: Mapping[str, str] | None = None,
    custom_rules: Mapping[str, str] | None = None,
    llm: LLMReviewer | None = None,
    already_skipped: Sequence[SkippedFile] = (),
    config_problems: Sequence[ConfigProblem] = (),
) -> ReviewResult:
    """Review `files` and return findings that all lie on commentable lines of the diff.

    `rules` runs the static rules (bot.rules.engine.run_rules); `llm`, when given, reviews the selected files;
    `sources` maps paths to the whole text of one version of the file, new or old, where the caller has it: the
    rules then see whole functions on both sides (bot.review.context checks it against the diff);
    `custom_rules` maps rule file names to ast-grep YAML texts from the repository;
    `already_skipped` are files the caller dropped before the diff was built (e.g. no patch from GitHub).
    """
    selected, skipped = select_files(files, config)
    # The rules are CPU work for seconds on a big diff: off the event loop, so a server keeps answering webhooks.
    static = await asyncio.to_thread(
        rules, selected, sources=sources or {}, config=config, custom_rules=custom_rules or {}
    )
    notes: list[str] = [str(p) for p in config_problems]
    notes.extend(static.notes)
    llm_review = LLMReview()
    if llm is not None:
        if selected:
            llm_review = await llm.review(selected, config=config, static_findings=static.findings)
        notes.extend(llm_review.notes)
    dismissed = set(llm_review.dismissed)
    candidates = [*(f for f in static.findings if f not in dismissed), *llm_review.findings]
    findings, all_kept = finalize_findings(candidates, files=selected, config=config)
    stats = ReviewStats(
        files=len(selected),
        hunks=sum(len(f.hunks) for f in selected),
        changed_lines=sum(f.changed_lines for f in selected),
        llm_calls=llm_review.calls,
        prompt_tokens=llm_review.prompt_tokens,
        completion_tokens=llm_review.completion_tokens,
        skipped_files=[*already_skipped, *skipped, *static.skipped],
        llm_output_mode=llm_review.output_mode,
        diff_only_files=list(static.diff_only),
    )
    # A pass row credits the LLM only if it answered at all; an outage or a failed batch reviewed nothing.
    llm_answered = llm is not None and llm_review.calls > 0
    checklist = build_checklist(all_kept, files=selected, config=config, llm_used=llm_answered)
    return ReviewResult(
        findings=tuple(findings),
        checklist=checklist,
        stats=stats,
        notes=tuple(notes),
        llm_used=llm is not None,
        unreviewed=llm_review.unreviewed,
        over_cap=tuple(all_kept[len(findings) :]),
    )
