"""One changed file through the rules: both sides analysed, and only what the change introduced is kept."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from ast_grep_py import SgNode

from bot.review.diff import FileDiff
from bot.review.models import Finding
from bot.rules.baseline import Baseline, Keyed, code_of, function_spans, introduced, key_hits
from bot.rules.flow import flow_hits, flow_rules_for
from bot.rules.flow.rules import FlowRule
from bot.rules.languages import (
    file_language,
    is_browser_source,
    is_client_path,
    is_data_path,
    is_test_path,
    is_tooling_path,
    is_tooling_source,
    rule_languages_for,
)
from bot.rules.model import Hit, SgRule
from bot.rules.python_ast.base import PyRule, TreeIndex
from bot.rules.python_ast.parsing import python_trees
from bot.rules.secret_rule import secret_findings
from bot.rules.sg_runner import applies_to, parse, run_sg_rule
from bot.rules.sources import FileText, SideTexts, hunk_blocks, side_texts


@dataclass(frozen=True)
class RuleSet:
    """The enabled rules: ast-grep rules by language, the Python checks, flow rules, and whether secrets are scanned."""

    by_language: Mapping[str, Sequence[SgRule]]
    python: Sequence[PyRule]
    secrets: bool
    flow: frozenset[str] = frozenset()


@dataclass
class _Analysis:
    keyed: list[Keyed]
    root: SgNode | None


class FileReview:
    """The rules' view of one file of the diff; `run` analyses it, `findings` places what is new."""

    def __init__(self, diff: FileDiff, source: str | None, rules: RuleSet) -> None:
        self.diff = diff
        self.rules = rules
        self.source = source
        self.failed = False
        self.unread: list[int] = []  # changed lines the Python checks could not read
        self.new: list[Keyed] = []  # head hits no base hit accounts for
        self._secrets: list[Finding] = []
        self._base: Baseline | None = None
        self._base_rules: set[str] = set()
        self._language = file_language(diff.path)
        self._in_tests = is_test_path(diff.path)
        # A translation catalogue (`locales/en.js`) is code only in form: its strings are labels, so code rules
        # have nothing to judge there (secrets are still looked for).
        self._data = is_data_path(diff.path)
        self._by_id: dict[str, SgRule | PyRule | FlowRule] = {}

    @cached_property
    def texts(self) -> SideTexts:
        """Return both sides of the file, whole when the caller's source agrees with the diff."""
        return side_texts(self.diff, self.source)

    @cached_property
    def removed(self) -> dict[int, str]:
        """Return old-side line number -> text for the lines the diff removes."""
        lines = (ln for hunk in self.diff.hunks for ln in hunk.lines)
        return {ln.old_lineno: ln.text for ln in lines if ln.kind == "removed" and ln.old_lineno}

    @cached_property
    def _flow(self) -> list[FlowRule]:
        if self._language is None or self._data:
            return []
        return [
            r
            for r in flow_rules_for(self._language)
            if r.id in self.rules.flow and (not self._in_tests or r.in_tests == "report")
        ]

    @cached_property
    def _tooling(self) -> bool:
        language = self._language
        return is_tooling_path(self.diff.path) or (
            language is not None and is_tooling_source(language, self.texts.head.text)
        )

    @cached_property
    def _rules(self) -> tuple[list[SgRule], list[PyRule]]:
        language = self._language
        if language is None or self._data:
            return [], []
        # Scripts, examples and container health checks run on the team's own inputs, not under production
        # traffic: only the security rules judge them (a leaked key or an injection there is still one).
        tooling = self._tooling
        client = is_client_path(self.diff.path) or (
            language in ("javascript", "typescript") and is_browser_source(self.texts.head.text)
        )
        sg_rules = [
            rule
            for lang in rule_languages_for(language)
            for rule in self.rules.by_language.get(lang, ())
            if applies_to(rule, self.diff.path)
            and (not self._in_tests or rule.in_tests == "report")
            and (not tooling or rule.category == "security")
            and not (client and rule.server_only)
        ]
        py_rules = [
            r
            for r in self.rules.python
            if (not self._in_tests or r.in_tests == "report") and (not tooling or r.category == "security")
        ]
        return sg_rules, py_rules if language == "python" else []

    @property
    def diff_only(self) -> bool:
        """Tell whether code rules ran on this file without its whole text."""
        return (any(self._rules) or bool(self._flow)) and not self.texts.head.complete

    def run(self) -> None:
        """Analyse the new side, and the old side where the new one has hits on changed lines."""
        if self.rules.secrets:
            self._secrets = self._new_secrets()
        if not any(self._rules) and not self._flow:
            return
        head = self._analyse(self.texts.head, new=True)
        added = self.diff.added
        # Lines beside a removal are judged only against a whole old side: a fragment would lack the hits
        # that show the line was a finding before the change too.
        exposed = self._exposed
        touched = {k.rule for k in head.keyed if k.hit.touches(added) or k.hit.touches(exposed)}
        if not touched:
            return
        # The old side only needs the rules that may have something new to report.
        base = self._analyse(self.texts.base, new=False, only=touched).keyed if self.texts.base.lines else []
        self._base = Baseline(base)
        self._base_rules = touched
        self.new = introduced(head.keyed, self._base, changed=set(added), exposed=exposed)

    @cached_property
    def _exposed(self) -> frozenset[int]:
        whole = self.texts.head.complete and self.texts.base.complete and self.diff.status in ("modified", "renamed")
        return self.diff.beside_removed if whole else frozenset()

    def leftover_base(self, rules: set[str]) -> list[Keyed]:
        """Return the base hits of `rules` on removed lines that this file's own head did not account for."""
        if (not any(self._rules) and not self._flow) or not self.removed:
            return []
        if self._base is None:
            self._base = Baseline(self._analyse(self.texts.base, new=False, only=rules).keyed)
            self._base_rules = set(rules)
        elif not rules <= self._base_rules:
            for keyed in self._analyse(self.texts.base, new=False, only=rules - self._base_rules).keyed:
                self._base.add(keyed)
            self._base_rules |= rules
        removed = self.removed
        return [k for k in self._base.unused() if any(n in removed for n in range(k.hit.line, k.hit.end_line + 1))]

    def findings(self) -> Iterator[Finding]:
        """Yield the findings of the secrets scan and of the new hits, on added lines."""
        yield from self._secrets
        by_rule: dict[str, list[Hit]] = {}
        for keyed in self.new:
            by_rule.setdefault(keyed.rule, []).append(keyed.hit)
        for rule_id, hits in by_rule.items():
            yield from _place_all(self.diff, rule_id, self._by_id[rule_id], hits, self._exposed)

    def _analyse(self, text: FileText, *, new: bool, only: set[str] | None = None) -> _Analysis:
        sg_rules, py_rules = self._rules
        flow = self._flow
        if only is not None:
            sg_rules = [r for r in sg_rules if r.id in only]
            py_rules = [r for r in py_rules if r.id in only]
            flow = [r for r in flow if r.id in only]
        changed: Mapping[int, str] = self.diff.added if new else self.removed
        found: list[tuple[str, Iterable[Hit]]] = []
        sg_rules = [r for r in sg_rules if r.requires is None or r.requires.search(text.text)]
        root = parse(text.text, self._language or "") if sg_rules or flow else None
        if root is not None:
            for sg_rule in sg_rules:
                self._by_id[sg_rule.id] = sg_rule
                found.append((sg_rule.id, list(run_sg_rule(sg_rule, root, text.lines))))
        if root is not None and flow:
            by_flow: dict[str, list[Hit]] = {}
            tooling = self._tooling
            for flow_rule, hit in flow_hits(root, self._language or "", text.text, {r.id for r in flow}):
                if tooling and hit.evidence == "weak":
                    continue  # a script's parameters are its maintainers' own input
                self._by_id[flow_rule.id] = flow_rule
                by_flow.setdefault(flow_rule.id, []).append(hit)
            found.extend(by_flow.items())
        if py_rules:
            trees = python_trees(text, hunk_blocks(self.diff, new=new), changed)
            if new:
                self.unread = trees.unread
            indexes = [TreeIndex(tree, added=changed, whole=tree is trees.whole) for tree in trees.trees]
            for py_rule in py_rules:
                self._by_id[py_rule.id] = py_rule
                found.append((py_rule.id, [h for i in indexes for h in py_rule.check(i, text.lines) if h.line > 0]))
        keyed: list[Keyed] = []
        spans: list[tuple[int, int, str]] | None = None
        for rule_id, hits in found:
            hits = list(hits)
            if not hits:
                continue
            if spans is None:
                # Functions are only looked up when there is a hit to key; Python files without ast-grep rules
                # that apply are parsed with tree-sitter for this alone.
                spans = function_spans(root or parse(text.text, self._language or ""), self._language or "")
            keyed.extend(key_hits(rule_id, hits, text.lines, spans))
        return _Analysis(keyed, root)

    def _new_secrets(self) -> list[Finding]:
        found = list(secret_findings(self.diff.path, self.diff.added, in_tests=self._in_tests))
        if not found or not self.removed:
            return found
        # A credential that was already in the file, re-indented or moved, was exposed before this change.
        before: dict[str, int] = {}
        for finding in secret_findings(self.diff.path, self.removed, in_tests=self._in_tests):
            code = _line_code(self.removed, finding)
            before[code] = before.get(code, 0) + 1
        kept = []
        for finding in found:
            code = _line_code(self.diff.added, finding)
            if before.get(code, 0):
                before[code] -= 1
            else:
                kept.append(finding)
        return kept


def _line_code(lines: Mapping[int, str], finding: Finding) -> str:
    last = finding.end_line or finding.line
    return code_of([lines.get(n, "") for n in range(finding.line, last + 1)], Hit(1, last - finding.line + 1))


def moved_here(reviews: Sequence[FileReview]) -> None:
    """Drop new hits whose code the change removed from another file (or elsewhere in the same one)."""
    pending = [(review, keyed) for review in reviews if not review.failed for keyed in review.new]
    if not pending:
        return
    # Moved code starts on a removed line: only files that removed a pending hit's first line are analysed.
    removed_at: dict[str, list[FileReview]] = defaultdict(list)
    for review in reviews:
        if not review.failed:
            for text in {_normal(line) for line in review.removed.values()}:
                removed_at[text].append(review)
    wanted: dict[int, tuple[FileReview, set[str]]] = {}
    for review, keyed in pending:
        first = (
            _normal(review.texts.head.lines[keyed.hit.line - 1])
            if keyed.hit.line <= len(review.texts.head.lines)
            else ""
        )
        for source in removed_at.get(first, ()) if first else ():
            wanted.setdefault(id(source), (source, set()))[1].add(keyed.rule)
    pool = Baseline(())
    for source, rules in wanted.values():
        try:
            leftover = source.leftover_base(rules)
        except Exception:  # an old side the analysers choke on only means fewer moves are seen
            continue
        for keyed in leftover:
            pool.add(keyed)
    for review, keyed in pending:
        if pool.take(keyed, by_shape=False):
            review.new = [k for k in review.new if k is not keyed]


def _normal(line: str) -> str:
    return code_of([line], Hit(1, 1))


# Said on a finding whose line the change did not touch: why it is the change's all the same.
EXPOSED_NOTE = (
    "This line is unchanged; the change removed code next to it (a lock, a check, a timeout), and the "
    "same rule did not fire here before it."
)
# Said on a finding placed on a line its evidence rests on, when the code it is about is unchanged.
RELATED_NOTE = (
    "The code this is about is on line {line}, which the change left as it was; this line, which the change "
    "made, is what makes it a problem."
)
# Said on a finding placed beside a removal among the lines its evidence rests on.
RELATED_EXPOSED_NOTE = (
    "The code this is about is on line {line}, which the change left as it was; the change removed code next "
    "to this line (a close, a lock, a check), and the same rule did not fire before it."
)


def _with_note(body: str, *, beside: bool, related_to: int | None) -> str:
    if related_to is not None:
        note = RELATED_EXPOSED_NOTE if beside else RELATED_NOTE
        return f"{note.format(line=related_to)}\n\n{body}"
    if beside:
        return f"{EXPOSED_NOTE}\n\n{body}"
    return body


def _place_all(
    diff: FileDiff,
    rule_id: str,
    rule: SgRule | PyRule | FlowRule,
    hits: Iterable[Hit],
    exposed: frozenset[int] = frozenset(),
) -> Iterator[Finding]:
    added = diff.added
    seen: set[int] = set()
    for hit in hits:
        lines = [n for n in hit.own_lines if n in added]
        beside = related = False
        if not lines:
            lines = [n for n in hit.own_lines if n in exposed]
            beside = bool(lines)
        if not lines:
            lines = [n for n in hit.also if n in added]
            related = bool(lines)
        if not lines:
            lines = [n for n in hit.also if n in exposed]
            related = beside = bool(lines)
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
            severity=hit.severity or rule.severity,
            title=hit.title or rule.title,
            body=_with_note(hit.body or rule.body, beside=beside, related_to=hit.line if related else None),
            source="static",
            # A suggestion replaces line..end_line, so it is only offered when it covers exactly those.
            suggestion=hit.suggestion if whole else None,
            rule=rule_id,
            evidence=hit.evidence if hit.evidence is not None else getattr(rule, "evidence", "strong"),
        )
