"""Choose which files of a diff to review; say why the others were skipped."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

import pathspec

from bot.review.config import RepoConfig
from bot.review.diff import FileDiff
from bot.review.globs import compile_globs
from bot.review.models import SkippedFile

# A file whose diff changes more lines than this is a bulk change (a vendored drop, a data dump, a mass
# reformat): reviewing it line by line costs more than it finds, and would swamp the review budget.
MAX_CHANGED_LINES_PER_FILE = 5_000
# No hand-written line is this long; such lines are data or bundler output.
MAX_LINE_CHARS = 5_000
# Minified output: long lines on average, at least one very long.
MINIFIED_MEAN_LINE_CHARS = 300
MINIFIED_MAX_LINE_CHARS = 1_000
# Generators put their marker in a file's first lines.
GENERATED_MARKER_LINES = 10

LOCKFILES = frozenset(
    {
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lockb",
        "bun.lock",
        "poetry.lock",
        "pipfile.lock",
        "pdm.lock",
        "uv.lock",
        "cargo.lock",
        "go.sum",
        "composer.lock",
        "gemfile.lock",
        "podfile.lock",
        "mix.lock",
        "pubspec.lock",
        "packages.lock.json",
        "flake.lock",
        "gradle.lockfile",
        "package.resolved",
        "conan.lock",
    }
)
VENDORED_DIRS = frozenset(
    {"vendor", "vendored", "third_party", "third-party", "thirdparty", "node_modules", "bower_components"}
)
# Build output committed next to its source (JavaScript packages commit dist/ bundles): review the source.
BUILD_OUTPUT_DIRS = frozenset({"dist"})
_MINIFIED_NAME = re.compile(r"[.-]min\.(?:js|mjs|cjs|css)$|\.bundle\.js$", re.IGNORECASE)
_GENERATED_NAME = re.compile(
    r"(?:_pb2(?:_grpc)?\.pyi?|\.pb\.(?:go|cc|h)|_grpc\.pb\.go|\.pb\.gw\.go|\.g\.dart|\.freezed\.dart"
    r"|_generated\.\w+|\.designer\.cs)$"
    r"|\.generated\.",
    re.IGNORECASE,
)
_GENERATED_MARKER = re.compile(
    r"Code generated .*DO NOT EDIT|@generated\b|auto-?generated.{0,40}do not (?:edit|modify)", re.IGNORECASE
)


def select_files(files: Sequence[FileDiff], config: RepoConfig) -> tuple[list[FileDiff], list[SkippedFile]]:
    """Return the files to review and the skipped ones with a reason each."""
    include = compile_globs(config.paths.include)
    exclude = compile_globs(config.paths.exclude)
    selected: list[FileDiff] = []
    skipped: list[SkippedFile] = []
    for file in files:
        reason = skip_reason(file, include=include, exclude=exclude)
        if reason is None:
            selected.append(file)
        else:
            skipped.append(SkippedFile(path=file.path, reason=reason))
    return selected, skipped


def skip_reason(
    file: FileDiff,
    *,
    include: pathspec.PathSpec | None = None,
    exclude: pathspec.PathSpec | None = None,
) -> str | None:
    """Return why `file` should not be reviewed, or None to review it."""
    if file.status == "deleted":
        return "deleted"
    if file.is_binary:
        return "binary"
    if not any(ln.kind != "context" for h in file.hunks for ln in h.lines):
        return "no changes"
    if (include is not None and not include.match_file(file.path)) or (
        exclude is not None and exclude.match_file(file.path)
    ):
        return "excluded by config"
    return _reason_from_name(file.path) or _reason_from_content(file)


def _reason_from_name(path: str) -> str | None:
    pure = PurePosixPath(path)
    if pure.name.lower() in LOCKFILES:
        return "lockfile"
    if any(part.lower() in VENDORED_DIRS for part in pure.parts[:-1]):
        return "vendored"
    if any(part.lower() in BUILD_OUTPUT_DIRS for part in pure.parts[:-1]):
        return "generated"
    if _GENERATED_NAME.search(pure.name):
        return "generated"
    if _MINIFIED_NAME.search(pure.name):
        return "minified"
    return None


def _reason_from_content(file: FileDiff) -> str | None:
    head = (
        ln.text
        for h in file.hunks
        for ln in h.lines
        if ln.new_lineno is not None and ln.new_lineno <= GENERATED_MARKER_LINES
    )
    if any(_GENERATED_MARKER.search(text) for text in head):
        return "generated"
    lengths = [len(text) for text in file.added.values()]
    if (
        lengths
        and max(lengths) >= MINIFIED_MAX_LINE_CHARS
        and sum(lengths) / len(lengths) >= (MINIFIED_MEAN_LINE_CHARS)
    ):
        return "minified"
    if file.changed_lines > MAX_CHANGED_LINES_PER_FILE or (lengths and max(lengths) > MAX_LINE_CHARS):
        return "too large"
    return None
