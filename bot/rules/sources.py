"""The text a file's rules run on, for each side: the whole file when we have it, else the hunks in place."""

from __future__ import annotations

from dataclasses import dataclass

from bot.review.context import FileSides, whole_sides
from bot.review.diff import FileDiff

# Blank lines stand in for the ones a diff does not show; a hunk a billion lines down must not cost a
# billion of them. Lines past this are left to the rules that read the added lines alone (secrets).
MAX_HUNK_LINE = 1_000_000


@dataclass(frozen=True)
class FileText:
    """One side of one file, with `lines[n - 1]` the text of line n; `complete` if the whole file."""

    text: str
    lines: tuple[str, ...]
    complete: bool


@dataclass(frozen=True, slots=True)
class Block:
    """The consecutive lines of one hunk on one side, from line `first`; `section` is git's hunk header text."""

    first: int
    lines: tuple[str, ...]
    section: str


@dataclass(frozen=True)
class SideTexts:
    """The new (`head`) and old (`base`) side of a file, each whole or rebuilt from the hunks."""

    head: FileText
    base: FileText


def side_texts(diff: FileDiff, source: str | None) -> SideTexts:
    """Return both sides: whole when `source` is a version of the file the diff agrees with, else the hunks."""
    sides: FileSides | None = whole_sides(diff, source)
    if sides is not None:
        return SideTexts(head=_whole(sides.head), base=_whole(sides.base))
    return SideTexts(head=_from_hunks(diff, new=True), base=_from_hunks(diff, new=False))


def file_text(diff: FileDiff, source: str | None) -> FileText:
    """Return the new side to analyse: `source` if the diff agrees with it, else the hunks."""
    return side_texts(diff, source).head


def _whole(lines: tuple[str, ...]) -> FileText:
    return FileText("\n".join(lines) + "\n", lines, complete=True)


def _from_hunks(diff: FileDiff, *, new: bool) -> FileText:
    # Lines the diff does not show stay blank, so every line keeps its number in the parsed tree.
    known: dict[int, str] = {}
    for hunk in diff.hunks:
        for line in hunk.lines:
            number = line.new_lineno if new else line.old_lineno
            if number is not None and number <= MAX_HUNK_LINE:
                known[number] = line.text
    size = max(known, default=0)
    lines = tuple(known.get(n, "") for n in range(1, size + 1))
    # A new file's diff holds all of it: its new side is whole without a copy of the file.
    whole = diff.status == "added" and new and len(known) == size
    return FileText("\n".join(lines) + "\n", lines, complete=whole)


def hunk_blocks(diff: FileDiff, *, new: bool = True) -> list[Block]:
    """Return each hunk's lines on one side as a block."""
    blocks = []
    for hunk in diff.hunks:
        numbered = [(ln.new_lineno if new else ln.old_lineno, ln.text) for ln in hunk.lines]
        kept = [(n, text) for n, text in numbered if n is not None]
        if kept:
            blocks.append(Block(kept[0][0], tuple(text for _, text in kept), hunk.section))
    return blocks
