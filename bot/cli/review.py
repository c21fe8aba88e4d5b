"""`prodready review`: read a diff and a config, run the pipeline, print a report, exit 0/1/2."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from bot.cli.local_git import GitError, diff_of_range, head_of_range, read_sources, repository_root
from bot.cli.progress import llm_progress
from bot.render.formats import RENDERERS
from bot.render.sarif import render_sarif
from bot.review.config import CONFIG_PATH, ConfigProblem, RepoConfig, parse_config
from bot.review.context import whole_sides
from bot.review.diff import DiffError, FileDiff, parse_diff
from bot.review.models import ReviewResult, at_least
from bot.review.pipeline import LLMReviewer, run_review
from bot.rules.custom_files import read_rule_files
from bot.rules.engine import run_rules
from bot.settings import LLMSettings, SettingsError, llm_settings_from_env

MAX_DIFF_BYTES = 200 * 1024 * 1024


class InputError(Exception):
    """Something the user gave us cannot be used; the message is one line for stderr."""


def run_review_command(args: argparse.Namespace, *, env: Mapping[str, str]) -> int:
    """Run `prodready review` and return its exit status."""
    started = time.monotonic()
    cwd = Path.cwd()
    try:
        files = _parse(_read_diff(args, cwd))
        # Paths in a git diff, `.github/prodready.yml` and `rules.custom` are all relative to the top of the
        # repository, wherever in it the command is run; `--config` stays relative to where the user typed it.
        root = _root_of(cwd) if args.git else cwd
        config = _load_config(args.config, root)
        custom_rules, rule_problems = _read_custom_rules(config, root)
        sources = _read_sources(args.git, files, root) if args.git else _read_worktree_sources(files, cwd)
        llm_settings = llm_settings_from_env(env)
    except (InputError, SettingsError) as exc:
        return _fail(str(exc))
    if args.offline:
        _say("offline: static rules only, no LLM was used")
    elif not llm_settings.configured:
        _say("no LLM configured (set OPENAI_API_KEY or OPENAI_BASE_URL): static rules only, no LLM was used")
    use_llm = llm_settings.configured and not args.offline
    result = asyncio.run(
        _review(
            files,
            config=config,
            sources=sources,
            custom_rules=custom_rules,
            problems=rule_problems,
            llm_settings=llm_settings if use_llm else None,
        )
    )
    # max_comments caps inline comments on a pull request; a report has room for every finding, and what it
    # shows is what the exit status is decided on.
    result = replace(result, findings=(*result.findings, *result.over_cap), over_cap=())
    # SARIF's fingerprints are the inline comments' own, made from the code the diff shows.
    sys.stdout.write(render_sarif(result, files) if args.format == "sarif" else RENDERERS[args.format](result))
    _say(_closing_line(result, time.monotonic() - started))
    return 1 if any(at_least(f.severity, config.fail_on) for f in result.findings) else 0


async def _review(
    files: list[FileDiff],
    *,
    config: RepoConfig,
    sources: dict[str, str],
    custom_rules: dict[str, str],
    problems: list[ConfigProblem],
    llm_settings: LLMSettings | None,
) -> ReviewResult:
    async def review(llm: LLMReviewer | None) -> ReviewResult:
        return await run_review(
            files,
            config=config,
            rules=run_rules,
            sources=sources,
            custom_rules=custom_rules,
            llm=llm,
            config_problems=problems,
        )

    if llm_settings is None:
        return await review(None)
    from bot.wiring import open_reviewer

    with llm_progress() as on_progress:
        async with open_reviewer(llm_settings, model=config.model, on_progress=on_progress) as llm:
            return await review(llm)


def _read_diff(args: argparse.Namespace, cwd: Path) -> bytes:
    if args.git:
        try:
            return diff_of_range(args.git, cwd=cwd)
        except GitError as exc:
            raise InputError(f"cannot read the diff of {args.git!r}: {exc}") from None
    if args.diff == "-":
        data = sys.stdin.buffer.read(MAX_DIFF_BYTES + 1)
    else:
        path = Path(args.diff)
        try:
            if path.is_dir():
                raise InputError(f"cannot read {args.diff}: it is a directory, not a diff file")
            with path.open("rb") as handle:
                data = handle.read(MAX_DIFF_BYTES + 1)
        except OSError as exc:
            raise InputError(f"cannot read {args.diff}: {exc.strerror}") from None
    if len(data) > MAX_DIFF_BYTES:
        raise InputError(f"the diff is larger than {MAX_DIFF_BYTES // (1024 * 1024)} MB")
    return data


def _root_of(cwd: Path) -> Path:
    try:
        return repository_root(cwd)
    except GitError as exc:
        raise InputError(f"cannot find the repository of {cwd}: {exc}") from None


def _parse(raw: bytes) -> list[FileDiff]:
    try:
        return parse_diff(raw)
    except DiffError as exc:
        raise InputError(f"not a unified diff: {exc}") from None


def _load_config(explicit: str | None, root: Path) -> RepoConfig:
    path = Path(explicit) if explicit else root / CONFIG_PATH
    if not explicit and not path.is_file():
        return RepoConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise InputError(f"cannot read config {path}: {reason}") from None
    config, problems = parse_config(text)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(f"invalid config {path}: {problems[0]}{more}")
    return config


def _read_custom_rules(config: RepoConfig, cwd: Path) -> tuple[dict[str, str], list[ConfigProblem]]:
    """Read `rules.custom` from the working tree through the server's loader: same limits, keyed by path."""
    if not config.rules.custom:
        return {}, []
    root = cwd.resolve()
    folder = (root / config.rules.custom).resolve()
    # `rules.custom` names a folder of the repository; `../` or an absolute path would read files from elsewhere.
    if not folder.is_relative_to(root):
        raise InputError(f"invalid config: rules.custom: {config.rules.custom} is outside the repository")
    if not folder.is_dir():
        raise InputError(f"invalid config: rules.custom: {config.rules.custom} is not a folder")

    async def files(_: str) -> list[str]:
        return [p.relative_to(root).as_posix() for p in folder.iterdir() if p.is_file()]

    async def text(path: str, max_bytes: int) -> str | None:
        try:
            with (root / path).open("rb") as handle:
                data = handle.read(max_bytes + 1)
            return data.decode("utf-8") if len(data) <= max_bytes else None
        except (OSError, UnicodeDecodeError):
            return None

    return asyncio.run(
        read_rule_files(config.rules.custom, list_files=files, read_text=text, where="in the working tree")
    )


def _read_sources(rev_range: str, files: list[FileDiff], cwd: Path) -> dict[str, str]:
    paths = [f.path for f in files if f.status != "deleted" and not f.is_binary]
    try:
        return read_sources(paths, rev=head_of_range(rev_range), cwd=cwd)
    except GitError as exc:
        raise InputError(f"cannot read the changed files: {exc}") from None


def _read_worktree_sources(files: list[FileDiff], cwd: Path) -> dict[str, str]:
    """Read each changed file from the working tree, where the patch may be applied (new path) or not yet (old).

    A text is kept only if it is the new or the old side of every hunk (bot.review.context): a working tree on
    another commit costs context, never findings on wrong lines.
    """
    root = cwd.resolve()
    candidates: dict[str, list[str]] = {}
    for f in files:
        if f.is_binary:
            continue
        paths = [p for p in dict.fromkeys([f.path, f.old_path or f.path]) if _inside(root, p)]
        if paths:
            candidates[f.path] = paths
    wanted = sorted({p for paths in candidates.values() for p in paths})
    found = read_sources(wanted, rev=None, cwd=cwd)
    sources: dict[str, str] = {}
    for f in files:
        for path in candidates.get(f.path, ()):
            if path in found and whole_sides(f, found[path]) is not None:
                sources[f.path] = found[path]
                break
    return sources


def _inside(root: Path, path: str) -> bool:
    # Paths come from the diff, which may be hostile: `../` or an absolute path would read files elsewhere.
    return not Path(path).is_absolute() and (root / path).resolve().is_relative_to(root)


def _closing_line(result: ReviewResult, seconds: float) -> str:
    s = result.stats
    worst = {sev: sum(1 for f in result.findings if f.severity == sev) for sev in ("critical", "high")}
    serious = ", ".join(f"{n} {sev}" for sev, n in worst.items() if n)
    tokens = f"{s.prompt_tokens + s.completion_tokens} tokens" if result.llm_used else "no LLM"
    return (
        f"{s.files} file(s), {s.changed_lines} changed line(s), {len(result.findings)} finding(s)"
        f"{f' ({serious})' if serious else ''}, {tokens}, {seconds:.1f} s"
    )


def _say(message: str) -> None:
    print(f"prodready: {message}", file=sys.stderr)


def _fail(message: str) -> int:
    _say(message.splitlines()[0] if message else "error")
    return 2
