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
from bot.rules.custom_files import MAX_RULE_BYTES, read_rule_files

log = logging.getLogger(__name__)

# The config is bounded like a rule file: both are small YAML a person writes.
MAX_CONFIG_BYTES = MAX_RULE_BYTES
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
    text = await read_text(gh, repo, CONFIG_PATH, ref=base_ref, max_bytes=MAX_CONFIG_BYTES)
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
    async def files(path: str) -> list[str]:
        return [str(e["path"]) for e in await list_folder(gh, repo, path, ref=ref) if e.get("type") == "file"]

    async def text(path: str, max_bytes: int) -> str | None:
        return await read_text(gh, repo, path, ref=ref, max_bytes=max_bytes)

    return await read_rule_files(folder, list_files=files, read_text=text, where="on the base branch")


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
