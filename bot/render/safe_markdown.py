"""Untrusted text (LLM output, paths) as GitHub markdown that cannot mention, embed or hide anything.

Code is left as written, so it must be found the way GitHub finds it; wherever that is in doubt the text
is treated as prose and escaped, which costs looks, never safety.
"""

from __future__ import annotations

import re

_FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})(.*)$")
# A fence line indented one to three spaces may belong to a list item, whose end GitHub decides by
# indentation; rather than follow that, such text has no code regions at all.
_INDENTED_FENCE = re.compile(r"^ {1,3}(`{3}|~{3})", re.MULTILINE)
_RUN = re.compile(r"`+")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
# An @ that starts a word would notify that user or team; a zero-width space after it keeps the text.
_MENTION = re.compile(r"(?<![\w/])@(?=[A-Za-z0-9])")
# Control characters and bidirectional overrides can hide or reorder what a reader sees.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def safe_markdown(text: str) -> str:
    """Return `text` with fenced and inline code kept and all prose escaped."""
    out: list[str] = []
    prose: list[str] = []
    for line, is_code in _classify(_INVISIBLE.sub("", text).split("\n")):
        if is_code:
            if prose:
                out.append(_prose("\n".join(prose)))
                prose = []
            out.append(line)
        else:
            prose.append(line)
    if prose:
        out.append(_prose("\n".join(prose)))
    return "\n".join(out)


def code_span(text: str) -> str:
    """Return `text` (a path, say) on one line as inline code that nothing in it can end early."""
    flat = " ".join(_INVISIBLE.sub("", text).split())
    longest = max((len(r) for r in _RUN.findall(flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _classify(lines: list[str]) -> list[tuple[str, bool]]:
    """Pair each line with whether GitHub shows it inside a fenced code block."""
    if _INDENTED_FENCE.search("\n".join(lines)):
        return [(line, False) for line in lines]
    marked = []
    closing: re.Pattern[str] | None = None
    for line in lines:
        if closing is not None:
            marked.append((line, True))
            if closing.match(line):
                closing = None
            continue
        opening = _FENCE_OPEN.match(line)
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            run = opening.group(1)
            closing = re.compile(rf"^{re.escape(run[0])}{{{len(run)},}}[ \t]*$")
            marked.append((line, True))
        else:
            marked.append((line, False))
    return marked


def _prose(text: str) -> str:
    """Escape prose, keeping code spans that open and close on one line and escaping every other backtick."""
    return "\n".join(_prose_line(line) for line in text.split("\n"))


def _prose_line(line: str) -> str:
    runs = list(_RUN.finditer(line))
    pieces: list[str] = []
    last = i = 0
    while i < len(runs):
        opener = runs[i]
        close = next((j for j in range(i + 1, len(runs)) if len(runs[j].group()) == len(opener.group())), None)
        if close is None or line[last : opener.start()].endswith("\\"):
            pieces.append(_escape(line[last : opener.start()]))
            pieces.append(_escape_backticks(line[last : opener.start()], opener.group()))
            last, i = opener.end(), i + 1
            continue
        pieces.append(_escape(line[last : opener.start()]))
        pieces.append(line[opener.start() : runs[close].end()])
        last, i = runs[close].end(), close + 1
    pieces.append(_escape(line[last:]))
    return "".join(pieces)


def _escape_backticks(before: str, run: str) -> str:
    # A backtick after an odd number of backslashes is already literal; an even number needs one more.
    backslashes = len(before) - len(before.rstrip("\\"))
    first = "`" if backslashes % 2 else "\\`"
    return first + "\\`" * (len(run) - 1)


def _escape(text: str) -> str:
    text = _IMAGE.sub(lambda m: f"(image: {m.group(1)})" if m.group(1) else "(image)", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION.sub("@\u200b", text)
