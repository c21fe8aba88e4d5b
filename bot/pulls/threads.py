"""prodready's own review comments as GitHub lists them: which finding each is, who replied, whether it was fixed."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.pulls.publish import fingerprint_links
from bot.render.github import code_at, fingerprint
from bot.review.diff import FileDiff
from bot.review.models import CATEGORIES, Finding

_HEAD = re.compile(r"\*\*\w+ · (\w+)\*\*: (.*)$")
_RULE = re.compile(r"<sub>prodready · rule `([^`\n]{1,80})`</sub>")
_LINES = re.compile(r"<!-- prodready:lines=(\d+)-(\d+) -->")
# Later occurrences of the same code in a file get their own fingerprints (bot.render.github.fingerprint).
_OCCURRENCES = 8


@dataclass(frozen=True, slots=True)
class OurComment:
    """One of prodready's inline comments: the finding it is about, and where it was posted."""

    id: int
    node_id: str
    fingerprint: str
    path: str
    start: int
    end: int
    rule: str | None
    category: str
    title: str
    downvotes: int
    outdated: bool  # GitHub no longer places it on a line of the diff
    raw: Mapping[str, Any]

    @property
    def label(self) -> str:
        """Return where and what, for the summary's list of ignores."""
        return f"{self.path}:{self.start}: {self.title}"


def fingerprint_of(comment: Mapping[str, Any], *, ours: str) -> str | None:
    """Return the fingerprint of a review comment written by `ours` (our login); the one "is this ours" check."""
    found = fingerprint_links([comment], ours=ours)
    return next(iter(found)) if len(found) == 1 else None


def read_ours(comment: Mapping[str, Any], *, ours: str) -> OurComment | None:
    """Return a review comment as one of ours, or None for anyone else's comment, a reply, or an unreadable one."""
    if comment.get("in_reply_to_id") is not None:
        return None
    fp = fingerprint_of(comment, ours=ours)
    body = str(comment.get("body") or "")
    head = _HEAD.search(body.split("\n", 1)[0])
    if fp is None or head is None or head.group(1) not in CATEGORIES or not isinstance(comment.get("id"), int):
        return None
    lines = _LINES.search(body)
    line = comment.get("line") if isinstance(comment.get("line"), int) else comment.get("original_line")
    start, end = (int(lines.group(1)), int(lines.group(2))) if lines else (line or 0, line or 0)
    rule = _RULE.search(body)
    reactions = comment.get("reactions")
    down = reactions.get("-1") if isinstance(reactions, Mapping) else 0
    return OurComment(
        id=int(comment["id"]),
        node_id=str(comment.get("node_id") or ""),
        fingerprint=fp,
        path=str(comment.get("path") or ""),
        start=start,
        end=end,
        rule=rule.group(1) if rule else None,
        category=head.group(1),
        title=head.group(2).replace("\\|", "|")[:120],
        downvotes=down if isinstance(down, int) and not isinstance(down, bool) else 0,
        outdated=comment.get("line") is None,
        raw=comment,
    )


def our_comments(comments: Sequence[Mapping[str, Any]], *, ours: str) -> list[OurComment]:
    """Return prodready's thread-starting comments, one per fingerprint (the first posted)."""
    seen: dict[str, OurComment] = {}
    for comment in comments:
        mine = read_ours(comment, ours=ours)
        if mine is not None:
            seen.setdefault(mine.fingerprint, mine)
    return list(seen.values())


def is_bot_user(user: Any) -> bool:
    """Tell whether a GitHub user object is a bot (an App's type "Bot", or a login ending in "[bot]")."""
    if not isinstance(user, Mapping):
        return False
    login = user.get("login")
    return user.get("type") == "Bot" or (isinstance(login, str) and login.lower().endswith("[bot]"))


def replied_threads(comments: Sequence[Mapping[str, Any]]) -> set[int]:
    """Return the ids of thread-starting comments that someone other than a bot replied to."""
    replied: set[int] = set()
    for comment in comments:
        parent = comment.get("in_reply_to_id")
        if isinstance(parent, int) and not is_bot_user(comment.get("user")):
            replied.add(parent)
    return replied


def code_changed(comment: OurComment, files: Sequence[FileDiff]) -> bool:
    """Tell whether the code the comment pointed at is no longer there, as it was, at the same lines."""
    if comment.outdated:
        return True
    stub = Finding(
        path=comment.path,
        line=comment.start,
        end_line=comment.end if comment.end > comment.start else None,
        category=comment.category,  # type: ignore[arg-type]  # read_ours admits only CATEGORIES
        severity="low",
        title="",
        body="",
        rule=comment.rule,
        source="static",
    )
    code = code_at(files, stub)
    return not any(fingerprint(stub, code, occurrence=n) == comment.fingerprint for n in range(_OCCURRENCES))


def current_fingerprints(findings: Sequence[Finding], files: Sequence[FileDiff]) -> list[tuple[Finding, str]]:
    """Return each finding with the fingerprint its comment carries (bot.pulls.publish counts occurrences alike)."""
    seen: Counter[str] = Counter()
    out: list[tuple[Finding, str]] = []
    for finding in findings:
        first = fingerprint(finding, code_at(files, finding))
        earlier = seen[first]
        seen[first] += 1
        out.append((finding, fingerprint(finding, code_at(files, finding), occurrence=earlier) if earlier else first))
    return out
