"""Python syntax trees of a changed file: the whole file, or each hunk on its own when that fails."""

from __future__ import annotations

import ast
import textwrap
import warnings

from bot.review.diff import FileDiff
from bot.rules.sources import FileText, hunk_blocks


def python_trees(text: FileText, diff: FileDiff) -> list[ast.Module]:
    """Return trees whose line numbers are new-file line numbers; [] if nothing parses."""
    whole = _parse(text.text)
    if whole is not None:
        return [whole]
    trees = []
    for first, lines in hunk_blocks(diff):
        # A hunk starts wherever git cut it, often indented inside a function: dedent it and hope.
        tree = _parse(textwrap.dedent("\n".join(lines)))
        if tree is not None:
            ast.increment_lineno(tree, first - 1)
            trees.append(tree)
    return trees


def _parse(source: str) -> ast.Module | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences in user code are not our business
            return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
