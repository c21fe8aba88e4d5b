"""Remove credentials from diff lines before anything is sent to a language model."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from bot.llm.credentials import find_credentials
from bot.review.diff import FileDiff, Hunk, HunkLine
from bot.rules.secrets import SecretHit, scan_secrets

# Test-mode payment keys are a configuration finding, not a leaked secret, but they still unlock an account's
# test data: they are not sent either.
_TEST_MODE_KEY = re.compile(r"\b(?:sk|rk)_test_[0-9A-Za-z]{10,}")


_MARKER_PREFIX = "«redacted secret: "
_MIN_SCRUBBED = 6


def marker(kind: str) -> str:
    """Return what stands in for a credential of `kind`."""
    return f"{_MARKER_PREFIX}{kind}»"


def has_marker(text: str) -> bool:
    """Tell whether `text` carries a redaction marker (the model echoing what it was shown)."""
    return _MARKER_PREFIX in text


@dataclass(frozen=True, slots=True)
class Redacted:
    """Files with credentials replaced, and the credential values found (to scrub any other text)."""

    files: tuple[FileDiff, ...]
    values: frozenset[str]

    def scrub(self, text: str) -> str:
        """Return `text` with every credential found in the files replaced."""
        for value in sorted(self.values, key=len, reverse=True):
            text = text.replace(value, marker("credential"))
        return text


def redact_files(files: Iterable[FileDiff]) -> Redacted:
    """Return `files` with every credential in added, context and removed lines replaced by a marker."""
    out: list[FileDiff] = []
    values: set[str] = set()
    for file in files:
        redacted, found = _redact_file(file)
        out.append(redacted)
        values |= found
    return Redacted(tuple(out), frozenset(values))


def _redact_file(file: FileDiff) -> tuple[FileDiff, set[str]]:
    # The scanner reads lines by number and follows multi-line keys across consecutive numbers, so it
    # is run over each side of the diff as the file reads there: the new side (added and context
    # lines) and the old side (removed and context lines).
    lines = [ln for hunk in file.hunks for ln in hunk.lines]
    new_side = {ln.new_lineno: i for i, ln in enumerate(lines) if ln.new_lineno is not None}
    old_side = {ln.old_lineno: i for i, ln in enumerate(lines) if ln.old_lineno is not None}
    hits: dict[int, list[tuple[str, str]]] = {}
    for side in (new_side, old_side):
        numbered = {number: lines[i].text for number, i in side.items()}
        for hit in _credentials(file.path, numbered):
            hits.setdefault(side[hit.line], []).append((hit.kind, hit.value))
    # git's default funcname pattern makes any top-level line a hunk's section, a credential assignment too.
    sections = [_credentials(file.path, {1: hunk.section}) for hunk in file.hunks]
    if not hits and not any(sections):
        return file, set()
    found = {value for pairs in hits.values() for _, value in pairs} | {h.value for s in sections for h in s}
    # Short values (a password of a few characters) would scrub ordinary words from the rest of the prompt.
    found = {value for value in found if len(value) >= _MIN_SCRUBBED}
    texts = [_redact_line(ln.text, hits.get(i, [])) for i, ln in enumerate(lines)]
    hunks: list[Hunk] = []
    start = 0
    for hunk, section_hits in zip(file.hunks, sections, strict=True):
        new_lines = _retext(hunk.lines, texts[start : start + len(hunk.lines)])
        section = _redact_line(hunk.section, [(h.kind, h.value) for h in section_hits])
        hunks.append(replace(hunk, lines=new_lines, section=section))
        start += len(hunk.lines)
    return replace(file, hunks=tuple(hunks)), found


def _redact_line(text: str, hits: Sequence[tuple[str, str]]) -> str:
    replaced: list[str] = []
    # Longest first, so a value found inside another (seen from both sides of the diff, or by two
    # detectors) is already gone with it.
    for kind, value in sorted(set(hits), key=lambda h: len(h[1]), reverse=True):
        if value and value in text:
            text = text.replace(value, marker(kind))
            replaced.append(value)
        elif not any(value in done for done in replaced):
            # The scanner's value is not literally in the line (normalised or multi-line): drop the
            # whole line rather than risk sending part of a credential.
            indent = text[: len(text) - len(text.lstrip())]
            return indent + marker(kind)
    return text


def _retext(lines: Sequence[HunkLine], texts: Sequence[str]) -> tuple[HunkLine, ...]:
    return tuple(ln if ln.text == t else replace(ln, text=t) for ln, t in zip(lines, texts, strict=True))


def _credentials(path: str, lines: Mapping[int, str]) -> list[SecretHit]:
    hits = scan_secrets(path, lines)
    hits.extend(
        SecretHit(line=number, kind="test-mode API key", value=match.group())
        for number, text in lines.items()
        for match in _TEST_MODE_KEY.finditer(text)
    )
    # The scanner's basic-auth pattern misses passwords with RFC 3986 sub-delims, and it knows no config keys.
    known = {(h.line, h.value) for h in hits}
    hits.extend(
        SecretHit(line=c.line, kind=c.kind, value=c.value)
        for c in find_credentials(path, lines)
        if (c.line, c.value) not in known
    )
    return hits
