"""A review job carries ids only, never tokens: the worker gets its own installation token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

JobReason = Literal["opened", "reopened", "synchronize", "ready_for_review", "recheck", "command"]
# Asked for by a person: a push never supersedes them, and they supersede nothing.
PERSON_REASONS = frozenset({"recheck", "command"})


@dataclass(frozen=True, slots=True)
class JobRequest:
    """What a webhook handler asks for: review pull request `number` of `repo` at `head_sha`."""

    delivery_id: str
    installation_id: int
    repo: str  # "owner/name"
    number: int
    head_sha: str
    reason: JobReason
    # For synchronize: the head before the push, so the review can be incremental.
    before_sha: str | None = None
    # For recheck: the comment to acknowledge, and who asked (permission is checked by the worker,
    # so the webhook is answered without waiting on GitHub).
    comment_id: int | None = None
    requested_by: str | None = None
    # For command (a slash command other than recheck): the comment's first line, and, for a reply in one of
    # prodready's review threads, the id of the thread's first comment.
    command: str | None = None
    reply_to: int | None = None

    @property
    def pr_key(self) -> str:
        """Return the key that serialises work on one pull request."""
        return f"{self.installation_id}:{self.repo}#{self.number}"


class JobQueue(Protocol):
    """Where handlers put work. `submit` returns False for a delivery already seen."""

    async def submit(self, request: JobRequest) -> bool: ...
