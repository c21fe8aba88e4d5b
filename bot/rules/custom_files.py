"""Which files of a `rules.custom` folder are read, within one set of limits for the server and the CLI."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from bot.review.config import ConfigProblem
from bot.rules.loader import MAX_CUSTOM_FILES

MAX_RULE_BYTES = 100_000
RULE_SUFFIXES = (".yml", ".yaml")
# Paths (relative to the repository's root) of the files in a folder, and the text of one file within a size.
ListFiles = Callable[[str], Awaitable[Sequence[str]]]
ReadText = Callable[[str, int], Awaitable[str | None]]


async def read_rule_files(
    folder: str, *, list_files: ListFiles, read_text: ReadText, where: str
) -> tuple[dict[str, str], list[ConfigProblem]]:
    """Return the rule files of `folder` keyed by path (at most 50, each at most 100 KB), and the problems.

    `where` finishes the sentence of an empty folder ("on the base branch", "in the working tree").
    """
    paths = sorted(p for p in await list_files(folder) if p.endswith(RULE_SUFFIXES))
    if not paths:
        return {}, [ConfigProblem("rules.custom", f"no .yml rule files found in {folder!r} {where}")]
    problems = []
    if len(paths) > MAX_CUSTOM_FILES:
        problems.append(ConfigProblem("rules.custom", f"only the first {MAX_CUSTOM_FILES} rule files are used"))
    rules: dict[str, str] = {}
    for path in paths[:MAX_CUSTOM_FILES]:
        text = await read_text(path, MAX_RULE_BYTES)
        if text is None:
            problems.append(ConfigProblem("rules.custom", f"{path} could not be read (too large or not text)"))
        else:
            rules[path] = text
    return rules, problems
