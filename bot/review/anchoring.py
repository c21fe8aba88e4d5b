"""Pin findings to lines GitHub accepts review comments on, or drop them."""

from __future__ import annotations

import bisect
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import replace

from bot.review.diff import FileDiff, Hunk
from bot.review.models import Finding

# Reviewers (rules and the LLM alike) are often a line or two off, e.g. pointing at the line after a
# statement or at the first line of a hunk's trailing context. Further away than this, we would be guessing.
REANCHOR_DISTANCE = 3

_PREFIXES = ("/", "./", "a/", "b/")


def anchor_findings(findings: Iterable[Finding], files: Sequence[FileDiff]) -> list[Finding]:
    """Return the findings that can be placed on a commentable line, moved there if they were close."""
    anchors: dict[str, _FileAnchors] = {}
    for file in files:
        # A path twice (a patch series) has line numbers of two versions; the first diff of it wins.
        if file.hunks and file.path not in anchors:
            anchors[file.path] = _FileAnchors(file)
    out = []
    for finding in findings:
        anchored = _anchor_one(finding, anchors)
        if anchored is not None:
            out.append(anchored)
    return out


def normalize_path(path: str, known: Container[str]) -> str | None:
    """Return the diff path `path` refers to (tolerating ./, a/, b/ and leading slashes), or None."""
    return next((c for c in _path_candidates(path) if c in known), None)


def _path_candidates(path: str) -> Iterator[str]:
    # The exact path first: a repository may really have a folder named "a" or a backslash in a name.
    for variant in (path, path.strip(), path.strip().replace("\\", "/")):
        yield variant
        # One prefix at a time, so "./a/x" still finds a real folder "a/x".
        while prefix := next((p for p in _PREFIXES if variant.startswith(p)), None):
            variant = variant.removeprefix(prefix)
            yield variant


class _FileAnchors:
    """The hunks of one file, ordered by where they start on the new side."""

    def __init__(self, file: FileDiff) -> None:
        self.path = file.path
        self.hunks = sorted((h for h in file.hunks if h.commentable), key=lambda h: h.new_start)
        self.starts = [min(h.commentable) for h in self.hunks]

    def hunk_at(self, line: int) -> Hunk | None:
        """Return the hunk whose new-side lines include `line`."""
        index = bisect.bisect_right(self.starts, line) - 1
        if index >= 0 and line in self.hunks[index].commentable:
            return self.hunks[index]
        return None

    def nearest(self, line: int) -> tuple[Hunk, int] | None:
        """Return the hunk and commentable line closest to `line`, within REANCHOR_DISTANCE."""
        index = bisect.bisect_right(self.starts, line)
        best: tuple[int, int, Hunk] | None = None
        # Only the hunks just before and just after `line` can be nearest.
        for hunk in self.hunks[max(0, index - 1) : index + 1]:
            first, last = min(hunk.commentable), max(hunk.commentable)
            target = min(max(line, first), last)
            if target not in hunk.commentable:
                continue
            distance = abs(target - line)
            if distance <= REANCHOR_DISTANCE and (best is None or (distance, target) < best[:2]):
                best = (distance, target, hunk)
        return (best[2], best[1]) if best else None


def _anchor_one(finding: Finding, anchors: dict[str, _FileAnchors]) -> Finding | None:
    path = normalize_path(finding.path, anchors)
    if path is None or not isinstance(finding.line, int) or finding.line < 1:
        return None
    file = anchors[path]
    hunk = file.hunk_at(finding.line)
    line = finding.line
    moved = False
    if hunk is None:
        near = file.nearest(finding.line)
        if near is None:
            return None
        hunk, line = near
        moved = True
    end_line = _clamp_end(finding.end_line, line, hunk)
    # A suggestion replaces exactly line..end_line; once the range moves or shrinks it would replace the
    # wrong code, so it goes (the finding itself still stands).
    keep_suggestion = not moved and _last(end_line, line) == _last(finding.end_line, line)
    if path == finding.path and line == finding.line and end_line == finding.end_line and keep_suggestion:
        return finding
    return replace(
        finding,
        path=path,
        line=line,
        end_line=end_line,
        suggestion=finding.suggestion if keep_suggestion else None,
    )


def _last(end_line: int | None, line: int) -> int:
    return end_line if isinstance(end_line, int) and end_line > line else line


def _clamp_end(end_line: int | None, line: int, hunk: Hunk) -> int | None:
    # GitHub takes a multi-line comment only when start and end lie in the same hunk; a hunk's new-side
    # lines are contiguous, so clamping to its last line keeps every line in between commentable.
    if not isinstance(end_line, int) or end_line <= line:
        return None
    end = min(end_line, max(hunk.commentable))
    return end if end > line else None
