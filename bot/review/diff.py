"""Parse a git-format unified diff into files, hunks and the lines GitHub accepts comments on."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

LineKind = Literal["added", "removed", "context"]
FileStatus = Literal["added", "modified", "deleted", "renamed"]


class DiffError(ValueError):
    """The input is not a unified diff we can read."""


@dataclass(frozen=True, slots=True)
class HunkLine:
    """One line of a hunk; `new_lineno` is None for removed lines, `old_lineno` for added ones."""

    kind: LineKind
    text: str
    new_lineno: int | None
    old_lineno: int | None


@dataclass(frozen=True)
class Hunk:
    """One `@@` block of a file's diff."""

    old_start: int
    old_length: int
    new_start: int
    new_length: int
    section: str
    lines: tuple[HunkLine, ...]

    @cached_property
    def added(self) -> dict[int, str]:
        """Return new-side line number -> text for the lines this hunk adds."""
        return {ln.new_lineno: ln.text for ln in self.lines if ln.kind == "added" and ln.new_lineno}

    @cached_property
    def commentable(self) -> frozenset[int]:
        """Return the new-side lines GitHub accepts a review comment on: added and context lines."""
        return frozenset(ln.new_lineno for ln in self.lines if ln.new_lineno is not None)


@dataclass(frozen=True)
class FileDiff:
    """The diff of one file. `path` is the new path (the old one for deletions)."""

    path: str
    old_path: str | None
    status: FileStatus
    is_binary: bool
    hunks: tuple[Hunk, ...]

    @cached_property
    def added(self) -> dict[int, str]:
        """Return new-side line number -> text for every added line of the file."""
        out: dict[int, str] = {}
        for hunk in self.hunks:
            out.update(hunk.added)
        return out

    @cached_property
    def commentable(self) -> frozenset[int]:
        """Return every new-side line of the file that GitHub accepts a review comment on."""
        return frozenset().union(*(h.commentable for h in self.hunks)) if self.hunks else frozenset()

    @property
    def changed_lines(self) -> int:
        """Return how many lines the diff adds or removes in this file."""
        return sum(1 for h in self.hunks for ln in h.lines if ln.kind != "context")


def parse_diff(text: str | bytes) -> list[FileDiff]:
    """Parse a git-format unified diff; raise DiffError if it is not one. An empty input gives []."""
    raise NotImplementedError
