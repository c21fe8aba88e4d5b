"""Show diff lines to the model with explicit new-side line numbers and markers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.review.diff import FileDiff, HunkLine

_MARKERS = {"added": "+", "context": " ", "removed": "-"}


def file_header(file: FileDiff) -> str:
    """Return the line that opens a file's block, e.g. `### app/db.py (modified)`."""
    status: str = file.status
    if file.status == "renamed" and file.old_path:
        status = f"renamed from {file.old_path}"
    return f"### {file.path} ({status})"


def hunk_header(section: str) -> str:
    """Return the line that opens a hunk: the enclosing function or class when git named one."""
    return f"@@ {section.strip()}".rstrip()


def format_lines(lines: Sequence[HunkLine]) -> str:
    """Return `lines` numbered by their new-side line (blank for removed lines) and marked."""
    width = max((len(str(ln.new_lineno)) for ln in lines if ln.new_lineno is not None), default=1)
    out = []
    for ln in lines:
        number = str(ln.new_lineno) if ln.new_lineno is not None else ""
        out.append(f"{number:>{width}} {_MARKERS[ln.kind]} {ln.text}".rstrip())
    return "\n".join(out)


def longest_backtick_run(texts: Iterable[str]) -> int:
    """Return the longest run of backticks in `texts`, so a fence can be chosen that no line closes."""
    longest = 0
    for text in texts:
        run = 0
        for char in text:
            run = run + 1 if char == "`" else 0
            longest = max(longest, run)
    return longest
