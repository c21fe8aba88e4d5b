"""Read a diff and the files it touches from a local git repository, for `prodready review --git`."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

# Bounds on what static analysis reads besides the diff, so a huge range stays fast.
MAX_SOURCE_FILES = 2_000
MAX_SOURCE_BYTES = 1_000_000
_GIT_TIMEOUT_SECONDS = 120


class GitError(RuntimeError):
    """git is missing, this is not a repository, or the range is not valid."""


def _git(args: list[str], *, cwd: Path, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, capture_output=True, timeout=_GIT_TIMEOUT_SECONDS, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {_GIT_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[0] if message else f"git {args[0]} failed")
    return done.stdout


def diff_of_range(rev_range: str, *, cwd: Path) -> bytes:
    """Return the git-format diff of `rev_range` (e.g. `origin/main...HEAD`)."""
    if rev_range.startswith("-"):
        raise GitError(f"not a revision range: {rev_range!r}")
    repository_root(cwd)
    # The user's git config must not change the format: textconv drivers show other text than the file holds,
    # and diff.submodule=log adds lines outside any hunk.
    options = ["--no-color", "--no-ext-diff", "--no-textconv", "--submodule=short", "--find-renames"]
    return _git(["diff", *options, rev_range, "--"], cwd=cwd)


def repository_root(cwd: Path) -> Path:
    """Return the top folder of the work tree that holds `cwd`, where repository paths start."""
    try:
        out = _git(["rev-parse", "--show-toplevel"], cwd=cwd)
    except GitError as exc:
        # Outside a repository `git diff` falls back to comparing paths and says so in a confusing warning;
        # any other refusal (a repository owned by someone else, a broken .git) is git's own message.
        if "not a git repository" in str(exc).lower():
            raise GitError(f"{cwd} is not inside a git repository") from None
        raise
    root = out.decode("utf-8", "surrogateescape").rstrip("\n")
    if not root:
        raise GitError(f"{cwd} is not inside a git work tree")
    return Path(root)


def head_of_range(rev_range: str) -> str | None:
    """Return the revision whose files the range's diff shows, or None for the working tree."""
    for dots in ("...", ".."):
        if dots in rev_range:
            return rev_range.split(dots, 1)[1] or "HEAD"
    return None


def read_sources(paths: Iterable[str], *, rev: str | None, cwd: Path) -> dict[str, str]:
    """Return the full text of `paths` at `rev` (or in the working tree), skipping big or binary files."""
    wanted = [p for p in paths if "\n" not in p][:MAX_SOURCE_FILES]
    if rev is None:
        return _read_worktree(wanted, cwd=cwd)
    request = "".join(f"{rev}:{p}\n" for p in wanted).encode()
    out = _git(["cat-file", "--batch"], cwd=cwd, stdin=request)
    return _parse_cat_file_batch(out, wanted)


def _read_worktree(paths: list[str], *, cwd: Path) -> dict[str, str]:
    sources: dict[str, str] = {}
    for path in paths:
        file = cwd / path
        try:
            if file.stat().st_size > MAX_SOURCE_BYTES:
                continue
            data = file.read_bytes()
        except OSError:
            continue
        if b"\0" not in data:
            sources[path] = data.decode("utf-8", "replace")
    return sources


def _parse_cat_file_batch(out: bytes, paths: list[str]) -> dict[str, str]:
    # Each answer is "<sha> <type> <size>\n<content>\n", or "<name> missing\n".
    sources: dict[str, str] = {}
    pos = 0
    for path in paths:
        end = out.find(b"\n", pos)
        if end < 0:
            break
        header = out[pos:end].split()
        pos = end + 1
        if len(header) != 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        data = out[pos : pos + size]
        pos += size + 1
        if size <= MAX_SOURCE_BYTES and b"\0" not in data:
            sources[path] = data.decode("utf-8", "replace")
    return sources
