"""Run the static rules over the added lines of a diff: `run_rules` is the core's RuleEngine."""

from __future__ import annotations

import logging
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace

from bot.review.config import RepoConfig
from bot.review.diff import FileDiff
from bot.review.models import Finding, SkippedFile, StaticReview
from bot.rules.file_review import FileReview, RuleSet, moved_here
from bot.rules.flow import FLOW_RULES
from bot.rules.loader import builtin_problems, builtin_rules, load_custom_rules
from bot.rules.model import SgRule
from bot.rules.python_ast import PY_RULES
from bot.rules.secret_rule import SECRET_RULE_ID
from bot.rules.secrets import scan_secrets

log = logging.getLogger(__name__)


def run_rules(
    files: Sequence[FileDiff],
    *,
    sources: Mapping[str, str],
    config: RepoConfig,
    custom_rules: Mapping[str, str],
) -> StaticReview:
    """Run every enabled rule on both sides of each file; report what the change introduced, on added lines.

    `sources` maps paths to a whole version of the file, new or old (bot.review.context says which).
    """
    disabled = set(config.rules.disable)
    builtin = builtin_rules()
    taken = {r.id for r in builtin} | {r.id for r in PY_RULES} | set(FLOW_RULES) | {SECRET_RULE_ID}
    custom, custom_notes = load_custom_rules(custom_rules, taken)
    notes = [*builtin_problems(), *custom_notes]
    by_language: dict[str, list[SgRule]] = defaultdict(list)
    for rule in (*builtin, *custom):
        if rule.id not in disabled:
            by_language[rule.language].append(rule)
    rules = RuleSet(
        by_language=by_language,
        python=[r() for r in PY_RULES if r.id not in disabled],
        secrets=SECRET_RULE_ID not in disabled,
        flow=frozenset(rule_id for rule_id in FLOW_RULES if rule_id not in disabled),
    )
    findings: list[Finding] = []
    skipped: list[SkippedFile] = []
    diff_only: list[str] = []
    reviews: list[FileReview] = []
    for diff in files:
        if diff.is_binary or (diff.status == "deleted" and not diff.hunks):
            continue
        review = FileReview(diff, sources.get(diff.path), rules)
        reviews.append(review)
        if diff.status == "deleted" or not (diff.added or diff.beside_removed):
            continue  # only a base side: it may hold code another file of the change moved
        try:
            review.run()
        except BaseException as exc:
            # One file the analysers choke on must not cost the review of the others. ast-grep's Rust panics
            # arrive as pyo3's PanicException, which derives from BaseException, not Exception.
            if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
                raise
            log.warning("static rules failed on %s: %s", diff.path, type(exc).__name__)
            notes.append(f"The static rules could not analyse {diff.path} ({type(exc).__name__}); it was skipped.")
            skipped.append(SkippedFile(diff.path, f"the static rules failed on it ({type(exc).__name__})"))
            review.failed = True
            continue
        if review.diff_only:
            diff_only.append(diff.path)
        if review.unread:
            skipped.append(SkippedFile(diff.path, _unread_reason(review.unread)))
    moved_here(reviews)
    for review in reviews:
        if not review.failed:
            findings.extend(_without_quoted_credentials(review.findings()))
    if skipped:
        names = ", ".join(s.path for s in skipped[:5]) + (f" and {len(skipped) - 5} more" if len(skipped) > 5 else "")
        notes.append(f"Some changed code could not be read by every rule: {names} (see skipped files).")
    if diff_only:
        notes.append(
            f"{len(diff_only)} file(s) reviewed from the diff alone: rules that need the whole function or file "
            "may miss findings there."
        )
    return StaticReview(
        findings=tuple(findings), notes=tuple(notes), skipped=tuple(skipped), diff_only=tuple(diff_only)
    )


def _unread_reason(lines: Sequence[int]) -> str:
    where = f"line {lines[0]}" if len(lines) == 1 else f"{len(lines)} changed lines from line {lines[0]}"
    return (
        f"python syntax this parser (Python {sys.version_info.major}.{sys.version_info.minor}) cannot read at "
        f"{where}: ast-grep rules ran there, the Python checks did not"
    )


def _without_quoted_credentials(findings: Iterable[Finding]) -> Iterator[Finding]:
    # A suggestion quotes the code it fixes; one quoting a credential would repeat it in a review comment,
    # which outlives a force-push that removes the key from the branch.
    for finding in findings:
        if finding.suggestion and scan_secrets(finding.path, dict(enumerate(finding.suggestion.split("\n"), 1))):
            finding = replace(finding, suggestion=None)
        yield finding
