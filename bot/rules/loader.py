"""Load ast-grep YAML rules (built-in and a team's custom ones) into checked SgRule values."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml
from ast_grep_py import Config, SgRoot

from bot.review.models import CATEGORIES, SEVERITIES, Category, Severity
from bot.review.yaml_limits import YamlRefused, load_documents
from bot.rules.languages import rule_language
from bot.rules.model import SgRule
from bot.rules.prefilter import derive_requirement, pattern_metavars
from bot.rules.regex_bounds import is_bounded

DATA_DIR = Path(__file__).parent / "data"
# libyaml's loader is several times faster; the pure-Python one is the same language where it is missing.
_BaseSafeLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SafeLoader(_BaseSafeLoader):  # type: ignore[misc,valid-type]
    """A safe loader that refuses a key given twice in one mapping.

    YAML keeps the last of two equal keys, so a rule with two `has:` (or two `not:`) silently loses a condition
    and matches far more than its author wrote.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in keys:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice in one mapping", key_node.start_mark
                )
            keys.add(key)
        return cast(dict[Any, Any], super().construct_mapping(node, deep=deep))


DEFAULT_CATEGORY: Category = "failure_handling"

_TOP_KEYS = frozenset(
    {"id", "language", "rule", "constraints", "utils", "transform", "message", "note", "fix", "severity"}
    | {"metadata", "files", "ignores", "url", "labels"}
)
_META_KEYS = frozenset(
    {"category", "severity", "title", "suggestion", "in_tests", "requires", "evidence", "runs_on", "also_at"}
)
_AST_GREP_SEVERITY: dict[str, Severity | None] = {
    "error": "high",
    "warning": "medium",
    "info": "low",
    "hint": "low",
    "off": None,
}
# Lists, code and tables keep their line breaks.
_KEEP_LINES = re.compile(r"^\s*([-*+|>]\s|\d+\.\s|```|    )")
_EXPANDO = {"python": "µ"}
# Every rule runs on every file of a review; bound what one repository's rules can cost.
MAX_RULES_PER_FILE = 50
MAX_CUSTOM_FILES = 50
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$")


class RuleProblem(ValueError):
    """A rule file that cannot be used, and why."""


def builtin_rules() -> tuple[SgRule, ...]:
    """Return every built-in ast-grep rule that loads."""
    return _builtin()[0]


def builtin_problems() -> tuple[str, ...]:
    """Return one sentence per built-in rule file that does not load (a packaging bug; tests assert none)."""
    return _builtin()[1]


@cache
def _builtin() -> tuple[tuple[SgRule, ...], tuple[str, ...]]:
    # A broken built-in file must not take every review down with it: skip it and say so.
    rules: list[SgRule] = []
    problems: list[str] = []
    seen: set[str] = set()
    for path in sorted(DATA_DIR.glob("*/*.yml")):
        try:
            rule = _load_builtin(path)
        except RuleProblem as exc:
            problems.append(f"Built-in rule file {path.parent.name}/{path.name} was not used: {exc}")
            continue
        if rule.id in seen:
            problems.append(f"Built-in rule id {rule.id} is used twice; {path.parent.name}/{path.name} was not used")
            continue
        seen.add(rule.id)
        rules.append(rule)
    return tuple(rules), tuple(problems)


def _load_builtin(path: Path) -> SgRule:
    loaded = list(parse_rules(path.read_text(encoding="utf-8"), origin=path.name, builtin=True))
    if len(loaded) != 1 or loaded[0].id != path.stem:
        raise RuleProblem("a built-in rule file holds one rule whose id is the file name")
    return loaded[0]


def load_custom_rules(texts: Mapping[str, str], taken_ids: set[str]) -> tuple[list[SgRule], list[str]]:
    """Load a team's rule files; return the rules that loaded and one note per file that did not."""
    rules: list[SgRule] = []
    notes: list[str] = []
    seen = set(taken_ids)
    names = sorted(texts)
    if len(names) > MAX_CUSTOM_FILES:
        notes.append(
            f"Only the first {MAX_CUSTOM_FILES} custom rule files were used; {len(names) - MAX_CUSTOM_FILES} were not"
        )
    for name in names[:MAX_CUSTOM_FILES]:
        try:
            loaded = list(parse_rules(texts[name], origin=name, builtin=False))
        except RuleProblem as exc:
            notes.append(f"Custom rule file {name} was not used: {exc}")
            continue
        for rule in loaded:
            if rule.id in seen:
                notes.append(f"Custom rule file {name}: rule id {rule.id!r} is already taken; it was not used")
                continue
            seen.add(rule.id)
            rules.append(rule)
    return rules, notes


def parse_rules(text: str, *, origin: str, builtin: bool) -> Iterator[SgRule]:
    """Parse one YAML file (one or more `---` documents) into rules; raise RuleProblem on any fault."""
    try:
        documents = [d for d in load_documents(text, _SafeLoader) if d is not None]
    except YamlRefused as exc:
        raise RuleProblem(str(exc)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise RuleProblem(f"not valid YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    if not documents:
        raise RuleProblem("the file holds no rule")
    if len(documents) > MAX_RULES_PER_FILE:
        raise RuleProblem(f"the file holds {len(documents)} rules; at most {MAX_RULES_PER_FILE} are read from one file")
    built = [_build(doc, origin=origin, builtin=builtin) for doc in documents]
    yield from (rule for rule in built if rule is not None)


def _build(doc: object, *, origin: str, builtin: bool) -> SgRule | None:
    if not isinstance(doc, dict):
        raise RuleProblem("a rule must be a mapping of keys to values")
    rule_id = doc.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise RuleProblem("`id` must be a name of letters, digits, '-', '_' or '.'")
    unknown = sorted(set(map(str, doc)) - _TOP_KEYS)
    if unknown:
        raise RuleProblem(f"rule {rule_id}: unknown key {unknown[0]!r}")
    language = rule_language(str(doc.get("language", "")))
    if language is None:
        raise RuleProblem(f"rule {rule_id}: unknown or missing `language` {doc.get('language')!r}")
    if not isinstance(doc.get("rule"), dict):
        raise RuleProblem(f"rule {rule_id}: `rule` must be a mapping (pattern, kind, any, ...)")
    meta = doc.get("metadata") or {}
    if not isinstance(meta, dict):
        raise RuleProblem(f"rule {rule_id}: `metadata` must be a mapping")
    unknown_meta = sorted(set(map(str, meta)) - _META_KEYS)
    if builtin and unknown_meta:
        raise RuleProblem(f"rule {rule_id}: unknown metadata key {unknown_meta[0]!r}")
    severity = _severity(rule_id, doc, meta)
    if severity is None:
        return None
    category = meta.get("category", None if builtin else DEFAULT_CATEGORY)
    if category not in CATEGORIES:
        raise RuleProblem(f"rule {rule_id}: metadata.category must be one of {', '.join(CATEGORIES)}")
    message = _text(rule_id, doc, "message")
    title = _text(rule_id, meta, "title") or message
    body = _text(rule_id, doc, "note") or message
    if not title or (builtin and not doc.get("note")):
        raise RuleProblem(f"rule {rule_id}: needs a `message`" + (" and a `note`" if builtin else ""))
    in_tests = meta.get("in_tests", "skip")
    if in_tests not in ("skip", "report"):
        raise RuleProblem(f"rule {rule_id}: metadata.in_tests must be skip or report")
    evidence = meta.get("evidence", "strong")
    if evidence not in ("strong", "weak"):
        raise RuleProblem(f"rule {rule_id}: metadata.evidence must be strong or weak")
    runs_on = meta.get("runs_on", "anywhere")
    if runs_on not in ("server", "anywhere"):
        raise RuleProblem(f"rule {rule_id}: metadata.runs_on must be server or anywhere")
    matcher = {k: doc[k] for k in ("rule", "constraints", "utils", "transform") if k in doc}
    _check_matcher(rule_id, language, matcher)
    also_at = meta.get("also_at")
    if also_at is not None and (
        not isinstance(also_at, str) or also_at.lstrip("$") not in pattern_metavars(matcher["rule"])
    ):
        raise RuleProblem(f"rule {rule_id}: metadata.also_at must name a metavariable the rule captures")
    return SgRule(
        id=rule_id,
        language=language,
        category=category,
        severity=severity,
        title=title.strip(),
        message=message.strip(),
        body=unwrap(body.strip()),
        matcher=matcher,
        fix=_fix(rule_id, doc.get("fix"), meta.get("suggestion")),
        in_tests=in_tests,
        files=_globs(rule_id, doc, "files"),
        ignores=_globs(rule_id, doc, "ignores"),
        origin="built-in" if builtin else origin,
        requires=_requires(rule_id, meta.get("requires"), builtin=builtin) or derive_requirement(matcher["rule"]),
        metavars=pattern_metavars(matcher["rule"]),
        evidence=evidence,
        server_only=runs_on == "server",
        also_at=also_at.lstrip("$") if also_at else None,
    )


def _requires(rule_id: str, pattern: object, *, builtin: bool) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    if not isinstance(pattern, str):
        raise RuleProblem(f"rule {rule_id}: metadata.requires must be a regular expression")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise RuleProblem(f"rule {rule_id}: metadata.requires is not a valid regular expression: {exc}") from None
    if not builtin and not is_bounded(pattern):
        # It runs on every changed file of every pull request, where a crafted line can make it backtrack.
        raise RuleProblem(
            f"rule {rule_id}: metadata.requires may use only words, character classes, anchors, groups and"
            " `|` (no repeats such as `*` or `+`, no back-references or lookarounds)"
        )
    return compiled


def unwrap(markdown: str) -> str:
    """Join the hard-wrapped lines of each plain paragraph: GitHub comments show every newline."""
    paragraphs = []
    for paragraph in markdown.split("\n\n"):
        lines = paragraph.splitlines()
        if any(_KEEP_LINES.match(line) for line in lines):
            paragraphs.append(paragraph)
        else:
            paragraphs.append(" ".join(line.strip() for line in lines))
    return "\n\n".join(paragraphs)


def _severity(rule_id: str, doc: dict[str, Any], meta: dict[str, Any]) -> Severity | None:
    if "severity" in meta:
        if meta["severity"] not in SEVERITIES:
            raise RuleProblem(f"rule {rule_id}: metadata.severity must be one of {', '.join(SEVERITIES)}")
        return meta["severity"]  # type: ignore[no-any-return]
    raw = str(doc.get("severity", "hint")).lower()
    if raw not in _AST_GREP_SEVERITY:
        raise RuleProblem(f"rule {rule_id}: severity must be error, warning, info, hint or off")
    return _AST_GREP_SEVERITY[raw]


def _text(rule_id: str, mapping: dict[str, Any], key: str) -> str:
    value = mapping.get(key, "")
    if not isinstance(value, str):
        raise RuleProblem(f"rule {rule_id}: `{key}` must be text")
    return value


def _fix(rule_id: str, fix: object, suggestion: object) -> str | None:
    chosen = fix if fix is not None else suggestion
    if isinstance(chosen, dict):  # ast-grep's long form: {template, expandStart, expandEnd}
        chosen = chosen.get("template")
    if chosen is None:
        return None
    if not isinstance(chosen, str):
        raise RuleProblem(f"rule {rule_id}: `fix` must be text")
    return chosen


def _globs(rule_id: str, doc: dict[str, Any], key: str) -> tuple[str, ...]:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(g, str) for g in value):
        raise RuleProblem(f"rule {rule_id}: `{key}` must be a list of globs")
    return tuple(value)


def _check_matcher(rule_id: str, language: str, matcher: dict[str, Any]) -> None:
    try:
        SgRoot("", language).root().find_all(cast(Config, matcher))
    except Exception as exc:  # ast-grep reports every rule fault as a bare Exception or RuntimeError
        raise RuleProblem(f"rule {rule_id}: {_first_cause(str(exc))}") from None
    for pattern in _patterns(matcher):
        # ast-grep matches nothing, silently, with a pattern that does not parse; say so instead. Python
        # patterns are parsed with ast-grep's stand-in for `$`, and an error around a metavariable is
        # an ast-grep idiom (`f($A $$$REST)`), not a mistake.
        parsed = pattern.replace("$", _EXPANDO.get(language, "$"))
        errors = SgRoot(parsed, language).root().find_all(kind="ERROR")
        if any("$" not in e.text() and "µ" not in e.text() for e in errors):
            raise RuleProblem(f"rule {rule_id}: pattern {pattern!r} is not valid {language}")


def _first_cause(message: str) -> str:
    # ast-grep's errors carry a chain of causes and a Rust backtrace; keep the causes only.
    head = message.split("Stack backtrace:")[0]
    lines = [ln.strip() for ln in head.splitlines() if ln.strip() and ln.strip() != "Caused by:"]
    causes = [re.sub(r"^\d+: ", "", ln) for ln in lines]
    return "; ".join(causes[1:] if len(causes) > 1 else causes) or "invalid rule"


def _patterns(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            elif key == "pattern" and isinstance(value, dict) and isinstance(value.get("context"), str):
                yield value["context"]
            else:
                yield from _patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from _patterns(item)
