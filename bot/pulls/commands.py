"""The slash commands: `/prodready recheck | ignore [RULE-OR-CATEGORY] [reason] | help` on a comment's first line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PREFIX = "/prodready"
MAX_COMMAND = 300  # characters of the first line a job carries
MAX_REASON = 200
CommandName = Literal["recheck", "ignore", "help", "unknown"]


@dataclass(frozen=True, slots=True)
class Command:
    """A parsed slash command. `target` is the rule or category of a conversation ignore."""

    name: CommandName
    target: str | None = None
    reason: str = ""
    word: str = ""  # what was typed after /prodready, for "unknown command"


def first_line(body: str | None) -> str:
    """Return the first non-blank line of a comment, stripped and bounded."""
    text = (body or "").strip()
    return text.splitlines()[0].strip()[:MAX_COMMAND] if text else ""


def parse_command(body: str | None, *, in_thread: bool = False) -> Command | None:
    """Return the command on the first line of `body` (any case, any spacing), or None when there is none.

    In a review thread, `ignore` means the thread's finding, so everything after it is the reason.
    """
    words = first_line(body).split()
    if not words or words[0].lower() != PREFIX:
        return None
    if len(words) == 1:
        return Command("help")
    name, rest = words[1].lower(), words[2:]
    if name == "recheck" and not rest:
        return Command("recheck")
    if name == "help":
        return Command("help")
    if name == "ignore":
        if in_thread:
            return Command("ignore", reason=" ".join(rest)[:MAX_REASON])
        target = rest[0] if rest else None
        return Command("ignore", target=target, reason=" ".join(rest[1:])[:MAX_REASON])
    return Command("unknown", word=words[1][:40])
