"""Both whole sides of a changed file, from one full text the caller has and the diff that joins the two."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.review.diff import FileDiff, Hunk


@dataclass(frozen=True, slots=True)
class FileSides:
    """The whole old (`base`) and new (`head`) file as lines, `lines[n - 1]` being line n."""

    base: tuple[str, ...]
    head: tuple[str, ...]


def split_lines(text: str) -> tuple[str, ...]:
    """Split a file's text as git and tree-sitter count lines: on "\\n" alone, a trailing "\\r" dropped."""
    # splitlines() would also break at "\f" and "\u2028", which git counts as part of a line.
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return tuple(line.removesuffix("\r") for line in lines)


def whole_sides(diff: FileDiff, text: str | None) -> FileSides | None:
    """Return both sides of `diff`'s file from `text`, its new or its old version; None if `text` is neither.

    The other side is the diff applied to `text` (or taken back from it), which is exact: lines outside the
    hunks are the same on both sides. So a caller needs one version of a file, whichever it has: the App and
    `--git` fetch the head, `--diff` reads the working tree, which may hold the patch applied or not yet.
    A text is only trusted when every hunk's lines on that side are found where the diff puts them; a stale
    file would otherwise put findings on the wrong lines.
    """
    if text is None or diff.is_binary:
        return None
    lines = split_lines(text)
    as_new = _agreement(diff.hunks, lines, new=True) if diff.status != "deleted" else 0
    as_old = _agreement(diff.hunks, lines, new=False) if diff.status != "added" else 0
    # A text can agree with both sides: a deletion at the end of a file shows only context lines on the new
    # side, which sit at the same numbers on the old one. The side that the text shows more of wins.
    if as_new and as_new >= as_old:
        return FileSides(base=_apply(diff.hunks, lines, forward=False), head=lines)
    if as_old:
        return FileSides(base=lines, head=_apply(diff.hunks, lines, forward=True))
    return None


def _agreement(hunks: Sequence[Hunk], lines: Sequence[str], *, new: bool) -> int:
    """Return how many lines of that side the hunks show where `text` has them; 0 if any is not there."""
    # A side the hunks show no line of (a deletion without context lines) is not evidence for any text.
    checked = 0
    for hunk in hunks:
        for line in hunk.lines:
            number = line.new_lineno if new else line.old_lineno
            if number is None:
                continue
            if number > len(lines) or lines[number - 1] != line.text:
                return 0
            checked += 1
    return checked


def _apply(hunks: Sequence[Hunk], lines: Sequence[str], *, forward: bool) -> tuple[str, ...]:
    """Return the other side: `lines` is the old side when `forward`, else the new side."""
    out: list[str] = []
    cursor = 1  # next line of `lines` not yet copied
    for hunk in hunks:
        start, length = (hunk.old_start, hunk.old_length) if forward else (hunk.new_start, hunk.new_length)
        # A side with no lines in the hunk names the line *before* the change (`@@ -5,0 +6,2 @@`).
        first = start if length else start + 1
        out.extend(lines[cursor - 1 : first - 1])
        kept = ("context", "added") if forward else ("context", "removed")
        out.extend(line.text for line in hunk.lines if line.kind in kept)
        cursor = first + length
    out.extend(lines[cursor - 1 :])
    return tuple(out)
