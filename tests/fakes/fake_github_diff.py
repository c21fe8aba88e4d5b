"""Diff bookkeeping for the fake GitHub: split git diffs per file and know which lines take comments.

Written independently of bot.review.diff on purpose, so the fake judges the bot's line numbers
the way GitHub does instead of agreeing with the bot's own parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass
class FakeFile:
    """One changed file of a pull request as the files endpoint reports it; `patch` None = binary/huge."""

    filename: str
    status: str = "modified"  # added | removed | modified | renamed
    patch: str | None = ""
    previous_filename: str | None = None

    def counts(self) -> tuple[int, int]:
        """Return (additions, deletions) in the patch."""
        if not self.patch:
            return 0, 0
        lines = self.patch.splitlines()
        adds = sum(1 for ln in lines if ln.startswith("+"))
        dels = sum(1 for ln in lines if ln.startswith("-"))
        return adds, dels


@dataclass
class Commentable:
    """Lines of one file a review comment may sit on, per side, and the hunk each belongs to."""

    right: dict[int, int] = field(default_factory=dict)  # new line -> hunk index
    left: dict[int, int] = field(default_factory=dict)  # old line -> hunk index


def commentable_lines(patch: str | None) -> Commentable:
    """Return the lines GitHub accepts comments on: RIGHT = added + context, LEFT = removed + context."""
    out = Commentable()
    if not patch:
        return out
    old = new = 0
    hunk = -1
    for line in patch.splitlines():
        match = _HUNK.match(line)
        if match:
            hunk += 1
            old, new = int(match.group(1)), int(match.group(3))
            continue
        if hunk < 0 or line.startswith("\\"):
            continue
        if line.startswith("+"):
            out.right[new] = hunk
            new += 1
        elif line.startswith("-"):
            out.left[old] = hunk
            old += 1
        else:
            out.right[new] = hunk
            out.left[old] = hunk
            old += 1
            new += 1
    return out


def split_git_diff(text: str) -> list[FakeFile]:
    """Split a git-format diff into the per-file entries GitHub's files endpoint would list."""
    files: list[FakeFile] = []
    chunks = re.split(r"^(?=diff --git )", text, flags=re.MULTILINE)
    for chunk in chunks:
        if not chunk.startswith("diff --git "):
            continue
        lines = chunk.splitlines()
        header = lines[0][len("diff --git ") :]
        a_path, _, b_path = header.partition(" b/")
        a_path = a_path.removeprefix("a/")
        status, previous = "modified", None
        patch_start = None
        binary = False
        for i, line in enumerate(lines[1:], start=1):
            if line.startswith("new file mode"):
                status = "added"
            elif line.startswith("deleted file mode"):
                status = "removed"
            elif line.startswith("rename from "):
                status, previous = "renamed", line[len("rename from ") :]
            elif line.startswith(("Binary files", "GIT binary patch")):
                binary = True
            elif line.startswith("@@"):
                patch_start = i
                break
        patch = None if binary else ("\n".join(lines[patch_start:]) if patch_start else "")
        path = a_path if status == "removed" else b_path
        files.append(FakeFile(filename=path, status=status, patch=patch, previous_filename=previous))
    return files


def join_git_diff(files: list[FakeFile]) -> str:
    """Render files as the git-format diff GitHub serves for `application/vnd.github.diff`."""
    out: list[str] = []
    for f in files:
        old = f.previous_filename or f.filename
        out.append(f"diff --git a/{old} b/{f.filename}")
        if f.status == "added":
            out.append("new file mode 100644")
        elif f.status == "removed":
            out.append("deleted file mode 100644")
        elif f.status == "renamed":
            out.extend(["similarity index 90%", f"rename from {old}", f"rename to {f.filename}"])
        out.append("index 1111111..2222222 100644" if f.status == "modified" else "index 1111111..2222222")
        if f.patch is None:
            out.append(f"Binary files a/{old} and b/{f.filename} differ")
            continue
        if not f.patch:
            continue
        out.append("--- /dev/null" if f.status == "added" else f"--- a/{old}")
        out.append("+++ /dev/null" if f.status == "removed" else f"+++ b/{f.filename}")
        out.extend(f.patch.splitlines())
    return "\n".join(out) + "\n" if out else ""
