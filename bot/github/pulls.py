"""The pulls resource: a pull request and its diff; a diff GitHub will not render (406) is rebuilt from its files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gidgethub.abc import GitHubAPI

from bot.github.client import repo_vars
from bot.github.errors import GitHubError, TooLarge
from bot.review.diff import DiffError, FileDiff, parse_diff
from bot.review.models import SkippedFile

DIFF_MEDIA_TYPE = "application/vnd.github.diff"
# GitHub's files endpoint lists at most 3,000 files, 100 a page.
MAX_LISTED_FILES = 3000
NO_PATCH_REASON = "GitHub sent no patch (binary or too large a change)"


@dataclass(frozen=True, slots=True)
class PullRequest:
    """What the review needs of a pull request."""

    repo: str
    number: int
    state: str
    draft: bool
    author: str
    head_sha: str
    base_sha: str
    base_ref: str
    changed_files: int

    @property
    def closed(self) -> bool:
        """Tell whether the pull request is closed or merged."""
        return self.state != "open"


@dataclass(frozen=True, slots=True)
class PullDiff:
    """The files of a pull request's diff, those GitHub gave no patch for, and notes for the summary."""

    files: list[FileDiff]
    skipped: list[SkippedFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


async def get_pull(gh: GitHubAPI, repo: str, number: int) -> PullRequest:
    """Fetch pull request `number` of `repo` (NotFound when it is gone)."""
    data = await gh.getitem("/repos/{owner}/{repo}/pulls/{number}", repo_vars(repo, number=number))
    try:
        return PullRequest(
            repo=repo,
            number=int(data["number"]),
            state=str(data["state"]),
            draft=bool(data.get("draft", False)),
            author=str(data["user"]["login"]),
            head_sha=str(data["head"]["sha"]),
            base_sha=str(data["base"]["sha"]),
            base_ref=str(data["base"]["ref"]),
            changed_files=int(data.get("changed_files") or 0),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise GitHubError(f"GitHub's pull request answer lacked {exc}") from None


async def get_diff(gh: GitHubAPI, pull: PullRequest) -> PullDiff:
    """Return the pull request's diff, from the files list when GitHub finds the whole diff too large."""
    try:
        text = await gh.getitem(
            "/repos/{owner}/{repo}/pulls/{number}",
            repo_vars(pull.repo, number=pull.number),
            accept=DIFF_MEDIA_TYPE,
        )
    except TooLarge:
        return await diff_from_files(gh, pull)
    try:
        return PullDiff(files=parse_diff(text or ""))
    except DiffError as exc:
        raise GitHubError(f"GitHub's diff could not be read: {exc}") from None


async def diff_from_files(gh: GitHubAPI, pull: PullRequest) -> PullDiff:
    """Rebuild the diff from the paginated files endpoint (at most 3,000 files)."""
    entries = [
        entry
        async for entry in gh.getiter(
            "/repos/{owner}/{repo}/pulls/{number}/files{?per_page}",
            repo_vars(pull.repo, number=pull.number, per_page=100),
        )
    ]
    result = files_to_diff(entries)
    if pull.changed_files > len(entries) or len(entries) >= MAX_LISTED_FILES:
        result.notes.append(
            f"GitHub lists only the first {len(entries)} of {max(pull.changed_files, len(entries))} changed "
            "files; the others were not reviewed."
        )
    result.notes.insert(0, "The diff was too large for GitHub to send whole; it was rebuilt file by file.")
    return result


def files_to_diff(entries: list[dict[str, Any]]) -> PullDiff:
    """Turn files-endpoint entries into FileDiffs by rebuilding each file's git diff and parsing it."""
    files: list[FileDiff] = []
    skipped: list[SkippedFile] = []
    for entry in entries:
        path = str(entry.get("filename", ""))
        patch = entry.get("patch")
        if not path:
            continue
        if patch is None:
            skipped.append(SkippedFile(path, NO_PATCH_REASON))
            continue
        if not patch:
            continue  # a rename or mode change without changed lines: nothing to review
        try:
            files.extend(parse_diff(git_file_diff(entry)))
        except DiffError as exc:
            skipped.append(SkippedFile(path, f"its patch could not be read ({exc})"))
    return PullDiff(files=files, skipped=skipped)


def git_file_diff(entry: dict[str, Any]) -> str:
    """Return one files-endpoint entry as a git-format diff of that file."""
    new = str(entry["filename"])
    status = entry.get("status", "modified")
    old = str(entry.get("previous_filename") or new)
    lines = [f"diff --git a/{old} b/{new}"]
    if status == "added":
        lines.append("new file mode 100644")
    elif status == "removed":
        lines.append("deleted file mode 100644")
    elif status in {"renamed", "copied"} and old != new:
        verb = "rename" if status == "renamed" else "copy"
        lines.extend([f"{verb} from {old}", f"{verb} to {new}"])
    lines.append("--- /dev/null" if status == "added" else f"--- a/{old}")
    lines.append("+++ /dev/null" if status == "removed" else f"+++ b/{new}")
    lines.append(str(entry["patch"]).rstrip("\n"))
    return "\n".join(lines) + "\n"
