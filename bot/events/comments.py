"""Pull request conversation comments: `/prodready recheck` on the first line asks for a full review."""

from __future__ import annotations

import logging

from gidgethub import sansio
from gidgethub.routing import Router

from bot.events.payload import field, installation_id, is_bot, optional
from bot.jobs.model import JobQueue, JobRequest
from bot.observability import log_context

router = Router()
log = logging.getLogger(__name__)

RECHECK_COMMAND = ("/prodready", "recheck")
# GitHub's word for someone with no tie to the repository. Their rechecks are dropped here, before they take a
# place in the installation's hourly review budget or earn a refusal reply each (a stranger could spam both).
# Other associations still go to the worker, which checks the real permission: GitHub reports private
# organisation members as CONTRIBUTOR, so the association alone cannot grant or refuse.
_STRANGERS = frozenset({"NONE", "FIRST_TIMER", "FIRST_TIME_CONTRIBUTOR", "MANNEQUIN"})


def is_recheck_command(body: str | None) -> bool:
    """Tell whether a comment's first line is `/prodready recheck` (any case, any spacing)."""
    if not body:
        return False
    first_line = body.strip().splitlines()[0] if body.strip() else ""
    return tuple(word.lower() for word in first_line.split()) == RECHECK_COMMAND


@router.register("issue_comment", action="created")
async def recheck_on_command(event: sansio.Event, *, queue: JobQueue) -> None:
    """Enqueue a full review when someone (not a bot) asks with `/prodready recheck`."""
    data = event.data
    issue = field(data, "issue", dict)
    # GitHub sends comments on issues and on pull requests as the same event; only PRs carry this key.
    if "pull_request" not in issue:
        return
    if not is_recheck_command(optional(data, "comment.body", str)):
        return
    repo = field(data, "repository.full_name", str)
    number = field(data, "issue.number", int)
    comment_id = field(data, "comment.id", int)
    # GitHub's schema allows a null comment user (a deleted account): nobody whose permission can be checked.
    login = optional(data, "comment.user.login", str)
    with log_context(repo=repo, pr=number, comment_id=comment_id, requested_by=login):
        if is_bot(data["comment"].get("user")) or is_bot(data.get("sender")):
            log.info("ignored: recheck requested by a bot")
            return
        if login is None:
            log.info("ignored: recheck by a user the payload does not name")
            return
        installation = installation_id(data)
        if installation is None:
            log.info("ignored: delivery has no App installation id")
            return
        if issue.get("state") == "closed":
            log.info("ignored: recheck on a closed pull request")
            return
        author = optional(data, "issue.user.login", str)
        association = optional(data, "comment.author_association", str)
        if association in _STRANGERS and login != author:
            log.info("ignored: recheck by %s, who has no association with the repository", login)
            return
        request = JobRequest(
            delivery_id=event.delivery_id,
            installation_id=installation,
            repo=repo,
            number=number,
            # The comment event does not carry the head; the worker reviews the head it reads then.
            head_sha="",
            reason="recheck",
            comment_id=comment_id,
            requested_by=login,
        )
        accepted = await queue.submit(request)
        log.info("recheck enqueued" if accepted else "recheck already enqueued for this delivery")
