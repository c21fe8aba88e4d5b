"""Which hits the change introduced: a head hit that the base side already had is not new, as in a baseline scan.

A base hit and a head hit are the same finding when the rule is the same and either
- the code is the same, ignoring whitespace, quote style, trailing commas and semicolons (re-indented,
  re-wrapped by a formatter, or moved, even to another file), or
- the code is the same but for the names of local variables, inside a function of the same name (a
  `catch (err)` -> `catch (_err)` rename).
Hits on lines the diff leaves alone are matched first, so a copy of an existing risky line is still new.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ast_grep_py import SgNode

from bot.rules.model import Hit

_WORD_GAP = re.compile(r"(?<=[\w$])\s+(?=[\w$])")
_SPACE = re.compile(r"\s+")
_TRAILING = re.compile(r"[,;]+(?=[)\]}]|$)")
_IDENT = re.compile(r"(?<![\w$.])([a-z_][\w$]*)(?![\w$]*\s*\()")
_KEYWORDS = frozenset(
    (
        "and",
        "as",
        "assert",
        "async",
        "await",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "def",
        "default",
        "defer",
        "del",
        "delete",
        "do",
        "elif",
        "else",
        "except",
        "export",
        "extends",
        "false",
        "final",
        "finally",
        "for",
        "from",
        "func",
        "function",
        "go",
        "if",
        "import",
        "in",
        "instanceof",
        "interface",
        "is",
        "lambda",
        "let",
        "new",
        "nil",
        "none",
        "not",
        "null",
        "of",
        "or",
        "pass",
        "private",
        "protected",
        "public",
        "raise",
        "return",
        "select",
        "self",
        "static",
        "super",
        "switch",
        "this",
        "throw",
        "throws",
        "true",
        "try",
        "type",
        "typeof",
        "undefined",
        "var",
        "void",
        "while",
        "with",
        "yield",
    )
)
# Function-like nodes per tree-sitter grammar; a hit's enclosing function is the innermost one around it.
_FUNCTION_KINDS = {
    "python": ("function_definition",),
    "javascript": ("function_declaration", "function_expression", "arrow_function", "method_definition"),
    "typescript": ("function_declaration", "function_expression", "arrow_function", "method_definition"),
    "tsx": ("function_declaration", "function_expression", "arrow_function", "method_definition"),
    "go": ("function_declaration", "method_declaration", "func_literal"),
    "java": ("method_declaration", "constructor_declaration", "lambda_expression"),
}


@dataclass(frozen=True, slots=True)
class Keyed:
    """A hit with what it is matched by: its rule, its code, and its code with local names numbered."""

    rule: str
    hit: Hit
    code: str
    shape: tuple[str, str]  # (enclosing function, code with local names numbered)


def code_of(lines: Sequence[str], hit: Hit) -> str:
    """Return the hit's lines, normalised so that formatting alone changes nothing."""
    text = "\n".join(lines[max(hit.line, 1) - 1 : hit.end_line])
    text = _SPACE.sub("", _WORD_GAP.sub(" ", text)).replace("'", '"').replace("`", '"')
    return _TRAILING.sub("", text)


def shape_of(code: str) -> str:
    """Return `code` with local-looking names numbered by first use: `catch(err){}` == `catch(_err){}`."""
    names: dict[str, str] = {}

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _KEYWORDS:
            return name
        return names.setdefault(name, f"${len(names)}")

    return _IDENT.sub(number, code)


def function_spans(root: SgNode | None, language: str) -> list[tuple[int, int, str]]:
    """Return (first line, last line, name) of every function in the tree."""
    if root is None:
        return []
    spans = []
    for kind in _FUNCTION_KINDS.get(language, ()):
        for node in root.find_all(kind=kind):
            where = node.range()
            spans.append((where.start.line + 1, where.end.line + 1, _name(node)))
    spans.sort()
    return spans


def _name(node: SgNode) -> str:
    found = node.field("name")
    if found is None:
        parent = node.parent()
        found = parent.field("name") if parent is not None else None
    return found.text() if found is not None else ""


def enclosing(spans: Sequence[tuple[int, int, str]], line: int) -> str:
    """Return the name of the innermost function around `line` ('' at module level or when unknown)."""
    name = ""
    for first, last, found in spans:
        if first > line:
            break
        if last >= line:
            name = found  # sorted by start: a later containing span is further in
    return name


def key_hits(
    rule: str, hits: Iterable[Hit], lines: Sequence[str], spans: Sequence[tuple[int, int, str]]
) -> list[Keyed]:
    """Key each hit of `rule` on one side whose lines are `lines`."""
    out = []
    for hit in hits:
        code = code_of(lines, hit)
        out.append(Keyed(rule, hit, code, (enclosing(spans, hit.line), shape_of(code))))
    return out


class Baseline:
    """The base side's hits, each usable once to excuse one head hit."""

    def __init__(self, base: Iterable[Keyed]) -> None:
        self._by_code: dict[tuple[str, str], list[Keyed]] = defaultdict(list)
        self._by_shape: dict[tuple[str, tuple[str, str]], list[Keyed]] = defaultdict(list)
        self._used: set[int] = set()
        for keyed in base:
            self.add(keyed)

    def add(self, keyed: Keyed) -> None:
        """Add a base hit."""
        self._by_code[(keyed.rule, keyed.code)].append(keyed)
        self._by_shape[(keyed.rule, keyed.shape)].append(keyed)

    def unused(self) -> list[Keyed]:
        """Return the base hits no head hit has used up."""
        seen: set[int] = set()
        out = []
        for bucket in self._by_code.values():
            for keyed in bucket:
                if id(keyed) not in self._used and id(keyed) not in seen:
                    seen.add(id(keyed))
                    out.append(keyed)
        return out

    def take(self, keyed: Keyed, *, by_shape: bool = True) -> bool:
        """Use up a base hit that matches `keyed`; tell whether there was one."""
        buckets = [self._by_code.get((keyed.rule, keyed.code), [])]
        if by_shape:
            buckets.append(self._by_shape.get((keyed.rule, keyed.shape), []))
        for bucket in buckets:
            for candidate in bucket:
                if id(candidate) not in self._used:
                    self._used.add(id(candidate))
                    return True
        return False


def introduced(
    head: Sequence[Keyed],
    base: Baseline,
    *,
    changed: frozenset[int] | set[int],
    exposed: frozenset[int] | set[int] = frozenset(),
) -> list[Keyed]:
    """Return the head hits on changed lines that no base hit accounts for.

    A hit on an unchanged line of `exposed` (next to a removed line), or whose evidence lines (`also`) include
    one, that the base does not have is the change's too: what it removed was what kept it from being a finding.
    """
    touched: list[Keyed] = []
    uncovered: list[Keyed] = []
    for keyed in head:
        if keyed.hit.touches(changed):
            touched.append(keyed)
        elif not base.take(keyed) and keyed.hit.touches(exposed):
            uncovered.append(keyed)
    return [k for k in touched if not base.take(k)] + uncovered
