"""Run ast-grep rules on one parsed file and turn matches into hits with suggested replacements."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from fnmatch import fnmatch
from typing import cast

from ast_grep_py import Config, Pos, SgNode, SgRoot

from bot.rules.model import Hit, SgRule
from bot.rules.prefilter import METAVAR, metavar_names

# An empty `$$$ARGS` leaves "(, x)" or "(x, )" behind; ast-grep's own fixer drops that comma too.
_DANGLING_COMMA = re.compile(r"([(\[{])\s*,\s*|,\s*([)\]}])")


def parse(text: str, language: str) -> SgNode:
    """Parse `text` once; tree-sitter recovers from syntax errors, so this never fails on bad code."""
    return SgRoot(text, language).root()


def applies_to(rule: SgRule, path: str) -> bool:
    """Tell whether the rule's `files` / `ignores` globs let it run on `path`."""
    if rule.files and not any(fnmatch(path, g) for g in rule.files):
        return False
    return not any(fnmatch(path, g) for g in rule.ignores)


def run_sg_rule(rule: SgRule, root: SgNode, lines: Sequence[str]) -> Iterator[Hit]:
    """Yield a hit for each match of `rule` in the tree `root` of a file whose lines are `lines`."""
    for node in root.find_all(cast(Config, rule.matcher)):
        where = node.range()
        start, end = where.start.line + 1, where.end.line + 1
        suggestion = _suggestion(rule, node, lines) if rule.fix is not None else None
        related = node.get_match(rule.also_at) if rule.also_at else None
        also = () if related is None else _lines_of(related)
        yield Hit(start, end, suggestion=suggestion, title=_fill(rule.title, node, lines), body=None, also=also)


def _lines_of(node: SgNode) -> tuple[int, ...]:
    where = node.range()
    return tuple(range(where.start.line + 1, where.end.line + 2))


def _suggestion(rule: SgRule, node: SgNode, lines: Sequence[str]) -> str | None:
    assert rule.fix is not None
    where = node.range()
    first, last = where.start.line, where.end.line
    if last >= len(lines) or _drops_code(rule, node):
        return None
    replacement = _DANGLING_COMMA.sub(lambda m: m.group(1) or m.group(2), _fill(rule.fix, node, lines))
    return lines[first][: where.start.column] + replacement + lines[last][where.end.column :]


def _drops_code(rule: SgRule, node: SgNode) -> bool:
    """Tell whether the fix would throw away code the match captured (e.g. a call's other options)."""
    kept = metavar_names(rule.fix or "")
    return any(node.get_match(name) is not None or node.get_multiple_matches(name) for name in rule.metavars - kept)


def _fill(template: str, node: SgNode, lines: Sequence[str]) -> str:
    def value(match: re.Match[str]) -> str:
        if match.group(1):
            # `$$$` also captures the separators between items; a trailing one would double with the fix's own.
            nodes = list(node.get_multiple_matches(match.group(1)))
            while nodes and nodes[-1].text() == ",":
                nodes.pop()
            if not nodes:
                return ""
            return _span(lines, nodes[0].range().start, nodes[-1].range().end)
        name = match.group(2)
        found = node.get_match(name)
        if found is not None:
            return found.text()
        transformed = node.get_transformed(name)
        return transformed if transformed is not None else match.group(0)

    return METAVAR.sub(value, template)


def _span(lines: Sequence[str], start: Pos, end: Pos) -> str:
    """Return the source text from `start` to `end` (line and column positions)."""
    if start.line == end.line:
        return lines[start.line][start.column : end.column]
    middle = list(lines[start.line + 1 : end.line])
    return "\n".join([lines[start.line][start.column :], *middle, lines[end.line][: end.column]])
