"""Tell whether a regular expression from a custom rule runs in time linear in the text it searches."""

from __future__ import annotations

import re
import re._constants as sre  # the parsed form has no public API; it is stable from Python 3.11
import re._parser as sre_parse
from typing import Any

# Python's `re` backtracks: a repeat inside a repeat, or a back-reference, takes exponential time on a
# crafted line, and no timeout can stop it. Without repeats the work at each position is bounded by the
# number of ways through the alternatives, which is capped too.
_FIXED_WIDTH = frozenset({sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY, sre.AT})
MAX_PATHS = 256


def is_bounded(pattern: str) -> bool:
    """Return True if `pattern` is made of literals, character classes, anchors, groups and alternatives."""
    try:
        paths = _paths(sre_parse.parse(pattern))
    except (re.error, RecursionError, OverflowError):
        return False
    return paths is not None and paths <= MAX_PATHS


def _paths(items: Any) -> int | None:
    """Return how many ways through a sequence there are, or None if it holds anything but the safe parts."""
    total = 1
    for op, arg in items:
        if op in _FIXED_WIDTH:
            continue
        if op is sre.SUBPATTERN:
            inner = _paths(arg[-1])
        elif op is sre.BRANCH:
            counts = [_paths(branch) for branch in arg[1]]
            inner = None if None in counts else sum(c for c in counts if c is not None)
        else:
            return None
        if inner is None:
            return None
        total *= inner
        if total > MAX_PATHS:
            return total  # already too many; stop before the product grows without bound
    return total
