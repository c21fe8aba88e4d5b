"""Parse untrusted YAML (repository config, custom rules) within fixed bounds of size, depth and values."""

from __future__ import annotations

import re
from typing import Any

import yaml

# The files we read are at most 100 KB on GitHub; the CLI reads them from disk, where nothing else caps them.
MAX_CHARS = 200_000
# Real config and rule files nest a handful of levels; the C parser overflows the C stack near 10**4 levels.
MAX_DEPTH = 32
MAX_VALUES = 10_000
# The text scan over-counts (every indentation step and indicator is a level), so it refuses only well past
# MAX_DEPTH, and still far below the nesting limits parsers keep (PyYAML 6.0.4 stops near 1,000 levels).
TEXT_DEPTH_BOUND = 4 * MAX_DEPTH

_INDICATORS = re.compile(r"(?:[-?:](?:[ \t]+|$))+")
_BLOCK_SCALAR_HEADER = re.compile(r"(?:^|[ \t])[|>][-+0-9]*[ \t]*(?:#.*)?$")
_FLOW_CHARS = re.compile(r"[\"'#\[\]{}\\]")
_OPENS_A_NODE = set(":-?,[{")


class YamlRefused(ValueError):
    """A YAML text we will not build values from, and why."""


def load_documents(text: str, loader: type[Any]) -> list[Any]:
    """Return every document of `text`, or raise YamlRefused (limits) or yaml.YAMLError (syntax)."""
    if len(text) > MAX_CHARS:
        raise YamlRefused(f"the file is too large ({len(text):,} characters; at most {MAX_CHARS:,})")
    check_text_nesting(text)
    check_events(text, loader)
    return list(yaml.load_all(text, Loader=loader))


def check_text_nesting(text: str) -> None:
    """Refuse text nested far too deeply, from the raw characters, before any parser reads it.

    Parsers differ in the nesting limits they keep, and in the errors they raise past them; our limit must come
    first whatever the version. The scan bounds the depth from above: one level per open block indentation and
    per leading "- ", "? " or ": " indicator, plus open flow brackets outside quotes and comments. The event walk
    that follows measures the real depth against MAX_DEPTH.
    """
    blocks: list[tuple[int, int]] = []  # (indentation, levels the line opened)
    flow = 0
    quote = ""
    block_scalar_indent: int | None = None
    for number, line in enumerate(text.splitlines(), 1):
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        if block_scalar_indent is not None:
            if not body.strip() or indent > block_scalar_indent:
                continue
            block_scalar_indent = None
        rest = body
        if not quote and flow == 0:
            if not body.strip() or body.startswith("#"):
                continue
            while blocks and blocks[-1][0] >= indent:
                blocks.pop()
            indicators = _INDICATORS.match(body)
            opened = 1 + (sum(indicators.group().count(c) for c in "-?:") if indicators else 0)
            blocks.append((indent, opened))
            rest = body[indicators.end() :] if indicators else body
        flow, quote, peak = _scan_flow(rest, flow, quote)
        if sum(levels for _, levels in blocks) + peak > TEXT_DEPTH_BOUND:
            raise YamlRefused(f"line {number}: values are nested more than {MAX_DEPTH} levels deep")
        if not quote and flow == 0 and _BLOCK_SCALAR_HEADER.search(body):
            block_scalar_indent = indent


def _scan_flow(text: str, flow: int, quote: str) -> tuple[int, str, int]:
    """Return the open flow depth and open quote after `text`, given those before it, and the deepest flow seen."""
    skip_to = 0
    peak = flow
    for match in _FLOW_CHARS.finditer(text):
        at, char = match.start(), match.group()
        if at < skip_to:
            continue
        if quote == '"':
            if char == "\\":
                skip_to = at + 2
            elif char == '"':
                quote = ""
        elif quote == "'":
            if char == "'":
                if text.startswith("''", at):
                    skip_to = at + 2
                else:
                    quote = ""
        elif char == "#" and (at == 0 or text[at - 1] in " \t"):
            break
        elif char in "\"'[{" and (flow > 0 or _starts_a_node(text, at)):
            if char in "[{":
                flow += 1
                peak = max(peak, flow)
            else:
                quote = char
        elif char in "]}" and flow > 0:
            flow -= 1
    return flow, quote, peak


def _starts_a_node(text: str, at: int) -> bool:
    # Outside flow collections, a quote or bracket begins a value only where a value may begin; inside a plain
    # scalar ("it's", "a[0]") it is just a character.
    before = text[:at].rstrip(" \t")
    return not before or before[-1] in _OPENS_A_NODE


def check_events(text: str, loader: type[Any]) -> None:
    """Walk the parser's events and stop at the first alias, too-deep collection or value past the cap.

    The events come before any value is built, so neither an alias bomb ("billion laughs") nor deep nesting
    gets to cost memory or recursion: aliases would expand when a value is walked (validation, repr, rule
    compilation), and building nested values recurses once per level.
    """
    depth = values = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            raise YamlRefused(f"{_at(event)}uses an alias (*{event.anchor}); write the value out instead")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlRefused(f"{_at(event)}values are nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if isinstance(event, yaml.NodeEvent):
            values += 1
            if values > MAX_VALUES:
                raise YamlRefused(f"{_at(event)}the file holds more than {MAX_VALUES:,} values")


def _at(event: yaml.Event) -> str:
    mark = event.start_mark
    return f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
