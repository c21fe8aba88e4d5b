"""The new-side text a file's rules run on: the full file when we have it, else the hunks in place."""

from __future__ import annotations

from dataclasses import dataclass

from bot.review.diff import FileDiff

# Blank lines stand in for the ones a diff does not show; a hunk a billion lines down must not cost a
# billion of them. Lines past this are left to the rules that read the added lines alone (secrets).
MAX_HUNK_LINE = 1_000_000


@dataclass(frozen=True)
class FileText:
    """New-side text of one file, with `lines[n - 1]` the text of line n; `complete` if the whole file."""

    text: str
    lines: tuple[str, ...]
    complete: bool


def file_text(diff: FileDiff, source: str | None) -> FileText:
    """Return the text to analyse: `source` if it agrees with the diff's added lines, else the hunks."""
    if source is not None:
        # Split on "\n" alone, as git and tree-sitter count lines; splitlines() also breaks at "\f" and "\u2028".
        lines = tuple(line.removesuffix("\r") for line in source.split("\n"))
        # A stale or wrong source would put findings on the wrong lines; trust it only if it agrees.
        if all(n <= len(lines) and lines[n - 1].rstrip("\r") == t.rstrip("\r") for n, t in diff.added.items()):
            return FileText(source, lines, complete=True)
    return _from_hunks(diff)


def _from_hunks(diff: FileDiff) -> FileText:
    # Lines the diff does not show stay blank, so every line keeps its number in the parsed tree.
    known: dict[int, str] = {}
    for hunk in diff.hunks:
        for line in hunk.lines:
            if line.new_lineno is not None and line.new_lineno <= MAX_HUNK_LINE:
                known[line.new_lineno] = line.text
    size = max(known, default=0)
    lines = tuple(known.get(n, "") for n in range(1, size + 1))
    return FileText("\n".join(lines) + "\n", lines, complete=False)


def hunk_blocks(diff: FileDiff) -> list[tuple[int, list[str]]]:
    """Return each hunk's new-side lines as (first line number, lines)."""
    blocks = []
    for hunk in diff.hunks:
        numbered = [(ln.new_lineno, ln.text) for ln in hunk.lines if ln.new_lineno is not None]
        if numbered:
            blocks.append((numbered[0][0], [text for _, text in numbered]))
    return blocks
