"""Parse untrusted YAML (repository config, custom rules) within fixed bounds of size, depth and values."""

from __future__ import annotations

from typing import Any

import yaml

# The files we read are at most 100 KB on GitHub; the CLI reads them from disk, where nothing else caps them.
MAX_CHARS = 200_000
# Real config and rule files nest a handful of levels; the C parser overflows the C stack near 10**4 levels.
MAX_DEPTH = 32
MAX_VALUES = 10_000


class YamlRefused(ValueError):
    """A YAML text we will not build values from, and why."""


def load_documents(text: str, loader: type[Any]) -> list[Any]:
    """Return every document of `text`, or raise YamlRefused (limits) or yaml.YAMLError (syntax)."""
    if len(text) > MAX_CHARS:
        raise YamlRefused(f"the file is too large ({len(text):,} characters; at most {MAX_CHARS:,})")
    check_events(text, loader)
    return list(yaml.load_all(text, Loader=loader))


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
