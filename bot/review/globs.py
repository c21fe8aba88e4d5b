"""Path globs as teams write them in the config: .gitignore semantics, `**` spanning directories."""

from __future__ import annotations

from functools import lru_cache

import pathspec


@lru_cache(maxsize=256)
def compile_globs(patterns: tuple[str, ...]) -> pathspec.PathSpec | None:
    """Return a matcher for `patterns`, or None when there are none.

    A pattern without a slash matches at any depth. Git lets a broken pattern (a trailing backslash, a lone "!")
    match nothing; so do we, rather than failing the review.
    """
    if not patterns:
        return None
    return pathspec.GitIgnoreSpec.from_lines([p for p in patterns if _valid_pattern(p)])


def matches(pattern: str, path: str) -> bool:
    """Tell whether one config glob matches `path`."""
    spec = compile_globs((pattern,))
    return spec is not None and spec.match_file(path)


def _valid_pattern(pattern: str) -> bool:
    try:
        pathspec.GitIgnoreSpec.from_lines([pattern])
    except ValueError:
        return False
    return True
