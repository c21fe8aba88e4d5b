"""Run the static rules over the added lines of a diff: `run_rules` is the core's RuleEngine."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from bot.review.config import RepoConfig
from bot.review.diff import FileDiff
from bot.review.models import Finding, StaticReview
from bot.rules.languages import file_language, is_test_path, rule_languages_for
from bot.rules.loader import builtin_problems, builtin_rules, load_custom_rules
from bot.rules.model import Hit, SgRule
from bot.rules.python_ast import PY_RULES
from bot.rules.python_ast.base import PyRule, TreeIndex
from bot.rules.python_ast.parsing import python_trees
from bot.rules.secret_rule import SECRET_RULE_ID, secret_findings
from bot.rules.secrets import scan_secrets
from bot.rules.sg_runner import applies_to, parse, run_sg_rule
from bot.rules.sources import file_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _RuleSet:
    by_language: Mapping[str, Sequence[SgRule]]
    python: Sequence[PyRule]
    secrets: bool


def run_rules(
    files: Sequence[FileDiff],
    *,
    sources: Mapping[str, str],
    config: RepoConfig,
    custom_rules: Mapping[str, str],
) -> StaticReview:
    """Run every enabled rule; report only on lines the diff adds."""
    disabled = set(config.rules.disable)
    builtin = builtin_rules()
    taken = {r.id for r in builtin} | {r.id for r in PY_RULES} | {SECRET_RULE_ID}
    custom, custom_notes = load_custom_rules(custom_rules, taken)
    notes = [*builtin_problems(), *custom_notes]
    by_language: dict[str, list[SgRule]] = defaultdict(list)
    for rule in (*builtin, *custom):
        if rule.id not in disabled:
            by_language[rule.language].append(rule)
    rules = _RuleSet(
        by_language=by_language,
        python=[r() for r in PY_RULES if r.id not in disabled],
        secrets=SECRET_RULE_ID not in disabled,
    )
    findings: list[Finding] = []
    for diff in files:
        if diff.is_binary or diff.status == "deleted" or not diff.added:
            continue
        try:
            found = list(_review_file(diff, sources.get(diff.path), rules))
        except BaseException as exc:
            # One file the analysers choke on must not cost the review of the others. ast-grep's Rust panics
            # arrive as pyo3's PanicException, which derives from BaseException, not Exception.
            if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
                raise
            log.warning("static rules failed on %s: %s", diff.path, type(exc).__name__)
            notes.append(f"The static rules could not analyse {diff.path} ({type(exc).__name__}); it was skipped.")
            continue
        findings.extend(_without_quoted_credentials(found))
    return StaticReview(findings=tuple(findings), notes=tuple(notes))


def _without_quoted_credentials(findings: Iterable[Finding]) -> Iterator[Finding]:
    # A suggestion quotes the code it fixes; one quoting a credential would repeat it in a review comment,
    # which outlives a force-push that removes the key from the branch.
    for finding in findings:
        if finding.suggestion and scan_secrets(finding.path, dict(enumerate(finding.suggestion.split("\n"), 1))):
            finding = replace(finding, suggestion=None)
        yield finding


def _review_file(diff: FileDiff, source: str | None, rules: _RuleSet) -> Iterator[Finding]:
    in_tests = is_test_path(diff.path)
    if rules.secrets:
        yield from secret_findings(diff.path, diff.added, in_tests=in_tests)
    language = file_language(diff.path)
    if language is None:
        return
    sg_rules = [
        rule
        for lang in rule_languages_for(language)
        for rule in rules.by_language.get(lang, ())
        if applies_to(rule, diff.path) and (not in_tests or rule.in_tests == "report")
    ]
    py_rules = [r for r in rules.python if not in_tests or r.in_tests == "report"] if language == "python" else []
    if not sg_rules and not py_rules:
        return
    text = file_text(diff, source)
    sg_rules = [r for r in sg_rules if r.requires is None or r.requires.search(text.text)]
    if sg_rules:
        root = parse(text.text, language)
        for sg_rule in sg_rules:
            hits = run_sg_rule(sg_rule, root, text.lines)
            yield from _place_all(diff, sg_rule.id, sg_rule, hits)
    if py_rules:
        added = diff.added
        indexes = [TreeIndex(tree, added=added) for tree in python_trees(text, diff)]
        for py_rule in py_rules:
            for index in indexes:
                yield from _place_all(diff, py_rule.id, py_rule, py_rule.check(index, text.lines))


def _place_all(diff: FileDiff, rule_id: str, rule: SgRule | PyRule, hits: Iterable[Hit]) -> Iterator[Finding]:
    added = diff.added
    seen: set[int] = set()
    for hit in hits:
        lines = [n for n in range(hit.line, hit.end_line + 1) if n in added]
        if not lines or lines[0] in seen:
            continue
        line = lines[0]
        seen.add(line)
        whole = line == hit.line and all(n in diff.commentable for n in range(hit.line, hit.end_line + 1))
        yield Finding(
            path=diff.path,
            line=line,
            end_line=hit.end_line if whole and hit.end_line > line else None,
            category=rule.category,
            severity=rule.severity,
            title=hit.title or rule.title,
            body=hit.body or rule.body,
            source="static",
            # A suggestion replaces line..end_line, so it is only offered when it covers exactly those.
            suggestion=hit.suggestion if whole else None,
            rule=rule_id,
            evidence=getattr(rule, "evidence", "strong"),
        )
