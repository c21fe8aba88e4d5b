"""Parse a git-format unified diff into files, hunks and the lines GitHub accepts comments on."""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import unidiff

from bot.review.diff_headers import GitNames, HeaderScanner, clean_path, has_git_prefix, is_dev_null, mask_git_headers

LineKind = Literal["added", "removed", "context"]
FileStatus = Literal["added", "modified", "deleted", "renamed"]

# unidiff's own hunk header pattern; the section text after the second @@ is group 5.
_PLACEHOLDER = re.compile(r"^[ab]/\x00(\d+)$")
_HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@[ ]?(.*)")


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

    @cached_property
    def beside_removed(self) -> frozenset[int]:
        """Return the context lines (new side) within two lines of where this hunk removed a line.

        Removing a guard (a lock, a check, a timeout argument on its own line) changes what the unchanged
        code beside it does; a finding there is the change's own.
        """
        anchors: list[int] = []
        following = self.new_start  # the new-side line a removed line sits just before
        for ln in self.lines:
            if ln.new_lineno is not None:
                following = ln.new_lineno + 1
            elif ln.kind == "removed":
                anchors.append(following)
        return frozenset(
            ln.new_lineno
            for ln in self.lines
            if ln.kind == "context"
            and ln.new_lineno is not None
            and any(a - 2 <= ln.new_lineno <= a + 1 for a in anchors)
        )


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

    @cached_property
    def beside_removed(self) -> frozenset[int]:
        """Return the unchanged new-side lines next to a removed line, in any hunk."""
        return frozenset().union(*(h.beside_removed for h in self.hunks)) if self.hunks else frozenset()

    @property
    def changed_lines(self) -> int:
        """Return how many lines the diff adds or removes in this file."""
        return sum(1 for h in self.hunks for ln in h.lines if ln.kind != "context")


def decode_diff(data: bytes) -> str:
    """Decode diff bytes: UTF-8 where it is valid, Latin-1 (every byte kept) for lines where it is not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Diffs mix encodings file by file (a legacy Latin-1 file beside UTF-8 ones), so decide per line.
    out = []
    for raw in data.split(b"\n"):
        try:
            out.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(raw.decode("latin-1"))
    return "\n".join(out)


def parse_diff(text: str | bytes) -> list[FileDiff]:
    """Parse a git-format unified diff; raise DiffError if it is not one. An empty input gives []."""
    if isinstance(text, bytes):
        text = decode_diff(text)
    # Windows tools save whole diffs with CRLF; git shows CRLF content lines with a trailing \r. Neither
    # belongs in the line text, and unidiff's header patterns do not expect it.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.strip():
        return []
    # StringIO splits only on \n; str.splitlines would also split on form feeds inside source lines.
    lines = io.StringIO(text).readlines()
    # unidiff checks the structure and reads the file headers; its metadata-only mode skips building an
    # object per line, which we do once, below, straight into our own types.
    hunks = _read_hunks(lines)
    spans = [(h.header, h.last) for h in hunks]
    masked, git_names = mask_git_headers(lines, spans)
    patch = _run_unidiff(masked)
    if not patch:
        raise DiffError("not a unified diff: no file headers ('diff --git' or '---'/'+++') found")
    problem = HeaderScanner(lines, spans).first_problem()
    if problem:
        raise DiffError(problem)
    starts = [f.diff_line_no or 0 for f in patch]
    per_file: list[list[Hunk]] = [[] for _ in patch]
    for located in hunks:
        owner = bisect.bisect_right(starts, located.header) - 1
        if owner < 0:
            raise DiffError(f"not a valid diff at line {located.header}: a hunk before any file header")
        per_file[owner].append(located.hunk)
    return [_convert(f, tuple(h), git_names) for f, h in zip(patch, per_file, strict=True)]


def _run_unidiff(lines: list[str]) -> unidiff.PatchSet:
    position = [0]

    def counted() -> Iterator[str]:
        for line in lines:
            position[0] += 1
            yield line

    try:
        return unidiff.PatchSet(counted(), metadata_only=True)
    except (unidiff.UnidiffParseError, ValueError, TypeError, AttributeError, AssertionError) as exc:
        # Third-party parser on untrusted input: whatever it trips on is still bad input, never a crash.
        # Its messages quote the offending line, which may hold a secret, so only our wording goes out.
        raise DiffError(f"not a valid diff at line {position[0]}: {_explain(str(exc))}") from None


def _explain(message: str) -> str:
    if message.startswith(("Hunk is shorter", "Hunk diff line expected")):
        return "a hunk ends before the line counts in its @@ header are reached"
    if message.startswith("Hunk is longer"):
        return "a hunk has more lines than its @@ header counts"
    if message.startswith("Target without source"):
        return "a '+++' file header without the '---' header before it"
    return "unexpected line for this place in a diff"


@dataclass(frozen=True, slots=True)
class _LocatedHunk:
    header: int  # 1-based line number of the @@ line
    last: int  # 1-based line number of the hunk's last line
    hunk: Hunk


def _read_hunks(lines: list[str]) -> list[_LocatedHunk]:
    """Read every hunk body; unidiff has already checked that the counts in each @@ header add up."""
    found = []
    i, total = 0, len(lines)
    while i < total:
        match = _HUNK_HEADER.match(lines[i]) if lines[i].startswith("@@ ") else None
        if match is None:
            i += 1
            continue
        old_start, old_len, new_start, new_len = (int(g) if g is not None else 1 for g in match.group(1, 2, 3, 4))
        header, i = i + 1, i + 1
        old_no, new_no = old_start, new_start
        old_end, new_end = old_start + old_len, new_start + new_len
        body: list[HunkLine] = []
        append = body.append
        while i < total and (old_no < old_end or new_no < new_end):
            line = lines[i]
            i += 1
            tag = line[:1]
            text = line[1:].removesuffix("\n").removesuffix("\r")
            if tag == "+":
                append(HunkLine("added", text, new_no, None))
                new_no += 1
            elif tag == "-":
                append(HunkLine("removed", text, None, old_no))
                old_no += 1
            elif tag == " " or tag in ("", "\n", "\r"):
                # A bare empty line is an empty context line whose leading space an editor trimmed.
                append(HunkLine("context", "" if tag != " " else text, new_no, old_no))
                old_no, new_no = old_no + 1, new_no + 1
        section = (match.group(5) or "").strip()
        hunk = Hunk(old_start, old_len, new_start, new_len, section, tuple(body))
        found.append(_LocatedHunk(header=header, last=i, hunk=hunk))
    return found


def _convert(patched: unidiff.PatchedFile, hunks: tuple[Hunk, ...], git_names: Sequence[GitNames]) -> FileDiff:
    old, new, copied = _names(patched, git_names)
    status: FileStatus
    if new is None:
        status, path, old_path = "deleted", old or "", None
    elif old is None or copied:
        status, path, old_path = "added", new, old
    elif old != new:
        status, path, old_path = "renamed", new, old
    else:
        status, path, old_path = "modified", new, None
    binary = patched.is_binary_file
    return FileDiff(path=path, old_path=old_path, status=status, is_binary=binary, hunks=() if binary else hunks)


def _names(patched: unidiff.PatchedFile, git_names: Sequence[GitNames]) -> tuple[str | None, str | None, bool]:
    """Return (old path, new path, copied); a None path is a side where the file does not exist."""
    gone_before, gone_after = is_dev_null(patched.source_file), is_dev_null(patched.target_file)
    placeholder = _PLACEHOLDER.match(patched.source_file if not gone_before else patched.target_file)
    if placeholder is None:  # a plain unified diff without git's header
        old_raw, new_raw, renamed_from, renamed_to, copied = patched.source_file, patched.target_file, None, None, False
    else:
        names = git_names[int(placeholder.group(1))]
        old_raw = names.minus if names.minus and not is_dev_null(names.minus) else names.header_old
        new_raw = names.plus if names.plus and not is_dev_null(names.plus) else names.header_new
        renamed_from, renamed_to, copied = names.rename_from, names.rename_to, names.copied
    # `git diff --no-prefix` has no a/ b/; strip a prefix only when every side has one.
    prefixed = all(has_git_prefix(p) for p, gone in ((old_raw, gone_before), (new_raw, gone_after)) if not gone)
    old = None if gone_before else clean_path(renamed_from or old_raw, prefixed=prefixed and not renamed_from)
    new = None if gone_after else clean_path(renamed_to or new_raw, prefixed=prefixed and not renamed_to)
    return old, new, copied
