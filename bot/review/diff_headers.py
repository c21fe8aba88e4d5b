"""Read the header lines of a git diff: quoted paths, prefixes, and lines that sit outside every hunk."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_PREFIX = re.compile(r"^[abciow12]/")
_HUNK_HEADER = re.compile(r"^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@")
_ESCAPE = re.compile(r'\\([0-7]{1,3}|[abtnvfr"\\])')
_NAMED_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}
_DEV_NULL = "/dev/null"


def is_dev_null(raw: str | None) -> bool:
    """Tell whether a header path stands for "no file" (the missing side of an add or delete)."""
    return raw is None or raw.strip() in ("", _DEV_NULL)


def unquote(raw: str) -> str:
    """Undo git's C-style quoting ("a/\\303\\244.py" -> a/ä.py); unquoted text is returned as is."""
    if len(raw) < 2 or not (raw.startswith('"') and raw.endswith('"')):
        return raw
    body = raw[1:-1]
    out = bytearray()
    pos = 0
    for match in _ESCAPE.finditer(body):
        out += body[pos : match.start()].encode("utf-8", "surrogateescape")
        code = match.group(1)
        # Octal escapes are raw bytes of the UTF-8 name, so collect bytes and decode once at the end.
        out.append(int(code, 8) & 0xFF if code[0].isdigit() else _NAMED_ESCAPES[code])
        pos = match.end()
    out += body[pos:].encode("utf-8", "surrogateescape")
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        return out.decode("latin-1")


def has_git_prefix(raw: str) -> bool:
    """Tell whether a header path starts with one of git's side prefixes (a/, b/, or a mnemonic one)."""
    return bool(_PREFIX.match(unquote(raw.strip())))


def clean_path(raw: str, *, prefixed: bool = True) -> str:
    """Return a header path without quotes, trailing whitespace and (when `prefixed`) git's a/ b/ prefix."""
    path = unquote(raw.rstrip("\n").strip())
    if prefixed and _PREFIX.match(path):
        path = path[2:]
    return path


def gap_numbers(spans: Sequence[tuple[int, int]], total: int) -> list[int]:
    """Return the 1-based numbers of the lines outside the (header, last line) spans of the hunks."""
    numbers: list[int] = []
    start = 1
    for first, last in spans:
        numbers.extend(range(start, first))
        start = max(start, last + 1)
    numbers.extend(range(start, total + 1))
    return numbers


@dataclass(slots=True)
class GitNames:
    """The raw names a `diff --git` block gives a file, each None where the block has no such line."""

    header_old: str
    header_new: str
    minus: str | None = None
    plus: str | None = None
    rename_from: str | None = None
    rename_to: str | None = None
    copied: bool = False


def mask_git_headers(lines: Sequence[str], spans: Sequence[tuple[int, int]]) -> tuple[list[str], list[GitNames]]:
    """Return `lines` with each `diff --git` line and its `+++` line replaced by a numbered placeholder.

    Unquoted names with spaces make `diff --git a/x b/y` ambiguous ("plan b/x.md"), and unidiff then
    mismatches it with the `+++` line; placeholders keep its file grouping right, and the real names
    come back by number.
    """
    masked = list(lines)
    blocks: list[GitNames] = []
    for number in gap_numbers(spans, len(lines)):
        line = lines[number - 1].rstrip("\n")
        if line.startswith("diff --git "):
            blocks.append(GitNames(*split_git_header(line[len("diff --git ") :])))
            masked[number - 1] = f"diff --git a/\x00{len(blocks) - 1} b/\x00{len(blocks) - 1}\n"
        elif not blocks:
            continue
        elif line.startswith("--- ") and blocks[-1].minus is None:
            blocks[-1].minus = line[4:].split("\t", 1)[0]
        elif line.startswith("+++ ") and blocks[-1].plus is None:
            blocks[-1].plus = line[4:].split("\t", 1)[0]
            if not is_dev_null(blocks[-1].plus):
                masked[number - 1] = f"+++ b/\x00{len(blocks) - 1}\n"
        elif line.startswith(("rename from ", "copy from ")):
            blocks[-1].rename_from = line.split(" ", 2)[2]
            blocks[-1].copied = line.startswith("copy")
        elif line.startswith(("rename to ", "copy to ")):
            blocks[-1].rename_to = line.split(" ", 2)[2]
    return masked, blocks


def split_git_header(rest: str) -> tuple[str, str]:
    """Split the `a/x b/y` of a `diff --git` line into its two raw names, quoted ones kept quoted."""
    if rest.startswith('"'):
        end = _closing_quote(rest)
        if end > 0:
            return rest[: end + 1], rest[end + 2 :]
    # Without rename lines both names are the same file, so a line of the form "a/X b/X" splits in half.
    half = len(rest) // 2
    if len(rest) % 2 == 1 and rest[half] == " " and rest[2:half] == rest[half + 3 :]:
        return rest[:half], rest[half + 1 :]
    cut = rest.rfind(" b/")
    if cut < 0:
        cut = rest.rfind(" ")
    return (rest[:cut], rest[cut + 1 :]) if cut > 0 else (rest, rest)


def _closing_quote(text: str) -> int:
    i = 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i
        i += 1
    return -1


class HeaderScanner:
    """Check the lines outside every hunk for changes that no hunk header accounts for."""

    def __init__(self, lines: Sequence[str], spans: Sequence[tuple[int, int]]) -> None:
        self._lines = lines
        self._spans = spans

    def first_problem(self) -> str | None:
        """Return a one-line message about the first stray or malformed line, or None if all is well."""
        state = "preamble"
        for number in gap_numbers(self._spans, len(self._lines)):
            line = self._lines[number - 1].rstrip("\n")
            state = _next_state(state, line)
            if state != "files":
                continue
            if line.startswith("@@") and not _HUNK_HEADER.match(line):
                return f"not a valid diff at line {number}: malformed hunk header (expected '@@ -a,b +c,d @@')"
            if _looks_like_hunk_body(line):
                return (
                    f"not a valid diff at line {number}: a changed line outside any hunk "
                    "(the hunk header before it counts fewer lines than follow)"
                )
        return None


def _next_state(state: str, line: str) -> str:
    # "preamble": an email or commit message before the diffs (git format-patch), anything goes;
    # "files": file headers; "binary": base85 data after "GIT binary patch"; "trailer": the "-- " signature.
    if line.startswith("diff ") or (line.startswith("--- ") and state != "binary"):
        return "files"
    if line.startswith(("From ", "commit ")):
        # The next patch of a `git format-patch --stdout` series, or the next commit of `git log -p`.
        return "preamble"
    if state == "files" and line == "GIT binary patch":
        return "binary"
    if state == "files" and line == "-- ":
        return "trailer"
    return state


def _looks_like_hunk_body(line: str) -> bool:
    if line.startswith(("--- ", "+++ ")):
        return False
    return line[:1] in ("+", "-", " ")
