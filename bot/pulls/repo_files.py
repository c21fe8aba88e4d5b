"""Which files of a repository a review reads: the config and custom rules from the base, sources at the head."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from gidgethub.abc import GitHubAPI

from bot.github.contents import list_folder, read_text
from bot.github.errors import GitHubError, RateLimited, Unavailable
from bot.review.config import CONFIG_PATH, ConfigProblem, RepoConfig, parse_config
from bot.review.diff import FileDiff

log = logging.getLogger(__name__)

MAX_CUSTOM_RULES = 50
MAX_RULE_BYTES = 100_000
MAX_SOURCE_FETCHES = 30
MAX_SOURCE_BYTES = 300_000


@dataclass(frozen=True, slots=True)
class LoadedConfig:
    """The repository config read from the base, its problems, and the custom rule files it names."""

    config: RepoConfig
    problems: tuple[ConfigProblem, ...]
    custom_rules: dict[str, str]


async def load_config(gh: GitHubAPI, repo: str, *, base_ref: str) -> LoadedConfig:
    """Read `.github/prodready.yml` and its custom rules from the base branch, never the head."""
    text = await read_text(gh, repo, CONFIG_PATH, ref=base_ref, max_bytes=MAX_RULE_BYTES)
    config, problems = parse_config(text)
    rules: dict[str, str] = {}
    problem_list = list(problems)
    if config.rules.custom:
        rules, more = await _custom_rules(gh, repo, config.rules.custom, ref=base_ref)
        problem_list.extend(more)
    return LoadedConfig(config, tuple(problem_list), rules)


async def _custom_rules(
    gh: GitHubAPI, repo: str, folder: str, *, ref: str
) -> tuple[dict[str, str], list[ConfigProblem]]:
    entries = await list_folder(gh, repo, folder, ref=ref)
    names = sorted(
        str(e["path"])
        for e in entries
        if e.get("type") == "file" and str(e.get("name", "")).endswith((".yml", ".yaml"))
    )
    if not names:
        return {}, [ConfigProblem("rules.custom", f"no .yml rule files found in {folder!r} on the base branch")]
    problems = []
    if len(names) > MAX_CUSTOM_RULES:
        problems.append(ConfigProblem("rules.custom", f"only the first {MAX_CUSTOM_RULES} rule files are used"))
    rules: dict[str, str] = {}
    for path in names[:MAX_CUSTOM_RULES]:
        text = await read_text(gh, repo, path, ref=ref, max_bytes=MAX_RULE_BYTES)
        if text is None:
            problems.append(ConfigProblem("rules.custom", f"{path} could not be read (too large or not text)"))
        else:
            rules[path] = text
    return rules, problems


async def fetch_sources(
    gh: GitHubAPI,
    repo: str,
    files: Sequence[FileDiff],
    *,
    ref: str,
    max_fetches: int = MAX_SOURCE_FETCHES,
    max_bytes: int = MAX_SOURCE_BYTES,
) -> dict[str, str]:
    """Fetch the full new text of up to `max_fetches` changed files at the head for static analysis.

    Best effort: a file that cannot be fetched is analysed from its diff alone.
    """
    wanted = [f for f in files if f.status != "deleted" and not f.is_binary and f.added][:max_fetches]
    sources: dict[str, str] = {}
    for f in wanted:
        try:
            text = await read_text(gh, repo, f.path, ref=ref, max_bytes=max_bytes)
        except (RateLimited, Unavailable) as exc:
            log.info("sources not fetched further: %s", exc)  # more calls would only add to the load
            break
        except GitHubError as exc:
            log.info("source of %s not fetched: %s", f.path, exc)
            continue
        if text is not None:
            sources[f.path] = text
    return sources
