"""Run ast-grep rules on one parsed file and turn matches into hits with suggested replacements."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from fnmatch import fnmatch
from typing import cast

from ast_grep_py import Config, SgNode, SgRoot

from bot.rules.model import Hit, SgRule

_METAVAR = re.compile(r"\$\$\$([A-Z_][A-Z0-9_]*)|\$([A-Z_][A-Z0-9_]*)")
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
        suggestion = _suggestion(rule.fix, node, lines) if rule.fix is not None else None
        yield Hit(start, end, suggestion=suggestion, title=_fill(rule.title, node), body=None)


def _suggestion(template: str, node: SgNode, lines: Sequence[str]) -> str | None:
    where = node.range()
    first, last = where.start.line, where.end.line
    if last >= len(lines):
        return None
    replacement = _DANGLING_COMMA.sub(lambda m: m.group(1) or m.group(2), _fill(template, node))
    return lines[first][: where.start.column] + replacement + lines[last][where.end.column :]


def _fill(template: str, node: SgNode) -> str:
    def value(match: re.Match[str]) -> str:
        if match.group(1):
            nodes = node.get_multiple_matches(match.group(1))
            if not nodes:
                return ""
            root_text = node.get_root().root().text()
            return root_text[nodes[0].range().start.index : nodes[-1].range().end.index]
        name = match.group(2)
        found = node.get_match(name)
        if found is not None:
            return found.text()
        transformed = node.get_transformed(name)
        return transformed if transformed is not None else match.group(0)

    return _METAVAR.sub(value, template)
