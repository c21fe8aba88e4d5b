"""Slash commands in pull request comments: the conversation, and replies in prodready's review threads."""

from __future__ import annotations

import logging
from typing import Any

from gidgethub import sansio
from gidgethub.routing import Router

from bot.events.payload import field, installation_id, is_bot, optional
from bot.jobs.model import JobQueue, JobRequest
from bot.observability import log_context
from bot.pulls.commands import first_line, parse_command

router = Router()
log = logging.getLogger(__name__)

# GitHub's word for someone with no tie to the repository. Their commands are dropped here, before they take a
# place in the installation's hourly review budget or earn a refusal reply each (a stranger could spam both).
# Other associations still go to the worker, which checks the real permission: GitHub reports private
# organisation members as CONTRIBUTOR, so the association alone cannot grant or refuse.
_STRANGERS = frozenset({"NONE", "FIRST_TIMER", "FIRST_TIME_CONTRIBUTOR", "MANNEQUIN"})


def is_recheck_command(body: str | None) -> bool:
    """Tell whether a comment's first line is `/prodready recheck` (any case, any spacing)."""
    command = parse_command(body)
    return command is not None and command.name == "recheck"


@router.register("issue_comment", action="created")
async def command_in_conversation(event: sansio.Event, *, queue: JobQueue) -> None:
    """Enqueue the slash command of a pull request conversation comment (recheck, ignore, help)."""
    data = event.data
    issue = field(data, "issue", dict)
    # GitHub sends comments on issues and on pull requests as the same event; only PRs carry this key.
    if "pull_request" not in issue:
        return
    await _enqueue(event, queue, number=field(data, "issue.number", int), pull=issue, reply_to=None)


@router.register("pull_request_review_comment", action="created")
async def command_in_thread(event: sansio.Event, *, queue: JobQueue) -> None:
    """Enqueue the slash command of a reply in a review thread; the worker checks that the thread is ours."""
    data = event.data
    # A comment that starts a thread is a person's own review comment, not an answer to prodready.
    reply_to = optional(data, "comment.in_reply_to_id", int)
    if reply_to is None:
        return
    pull = field(data, "pull_request", dict)
    await _enqueue(event, queue, number=field(data, "pull_request.number", int), pull=pull, reply_to=reply_to)


async def _enqueue(
    event: sansio.Event, queue: JobQueue, *, number: int, pull: dict[str, Any], reply_to: int | None
) -> None:
    data = event.data
    body = optional(data, "comment.body", str)
    command = parse_command(body, in_thread=reply_to is not None)
    if command is None:
        return
    repo = field(data, "repository.full_name", str)
    comment_id = field(data, "comment.id", int)
    # GitHub's schema allows a null comment user (a deleted account): nobody whose permission can be checked.
    login = optional(data, "comment.user.login", str)
    with log_context(repo=repo, pr=number, comment_id=comment_id, requested_by=login):
        if is_bot(data["comment"].get("user")) or is_bot(data.get("sender")):
            log.info("ignored: %s requested by a bot", command.name)
            return
        if login is None:
            log.info("ignored: %s by a user the payload does not name", command.name)
            return
        installation = installation_id(data)
        if installation is None:
            log.info("ignored: delivery has no App installation id")
            return
        if pull.get("state") == "closed":
            log.info("ignored: %s on a closed pull request", command.name)
            return
        author = optional(pull, "user.login", str)
        association = optional(data, "comment.author_association", str)
        if association in _STRANGERS and login != author:
            log.info("ignored: %s by %s, who has no association with the repository", command.name, login)
            return
        recheck = command.name == "recheck"
        request = JobRequest(
            delivery_id=event.delivery_id,
            installation_id=installation,
            repo=repo,
            number=number,
            # The comment event does not carry the head; the worker reviews the head it reads then.
            head_sha="",
            reason="recheck" if recheck else "command",
            comment_id=comment_id,
            requested_by=login,
            command=None if recheck else first_line(body),
            reply_to=reply_to,
        )
        accepted = await queue.submit(request)
        log.info("%s enqueued" if accepted else "%s already enqueued for this delivery", command.name)
