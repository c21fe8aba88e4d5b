"""Pull request events: opening, reopening, pushing to, or marking ready enqueues a review."""

from __future__ import annotations

import logging

from gidgethub import sansio
from gidgethub.routing import Router

from bot.events.payload import field, installation_id
from bot.jobs.model import JobQueue, JobRequest
from bot.observability import log_context

router = Router()
log = logging.getLogger(__name__)

# Drafts are enqueued too: whether to review them is `review_drafts` in the repository config, which
# only the worker reads (from the base branch), so the worker re-reads the pull request and decides.
REVIEWED_ACTIONS = ("opened", "reopened", "synchronize", "ready_for_review")


async def review_pull_request(event: sansio.Event, *, queue: JobQueue) -> None:
    """Enqueue a review of the pull request's head."""
    data = event.data
    action = field(data, "action", str)
    repo = field(data, "repository.full_name", str)
    number = field(data, "pull_request.number", int)
    head_sha = field(data, "pull_request.head.sha", str)
    with log_context(repo=repo, pr=number, head_sha=head_sha, action=action):
        installation = installation_id(data)
        if installation is None:
            log.info("ignored: delivery has no App installation id")
            return
        if data["pull_request"].get("state") == "closed":
            log.info("ignored: pull request is closed")
            return
        before = data.get("before") if action == "synchronize" else None
        request = JobRequest(
            delivery_id=event.delivery_id,
            installation_id=installation,
            repo=repo,
            number=number,
            head_sha=head_sha,
            reason=action,  # type: ignore[arg-type]  # one of REVIEWED_ACTIONS, the routes below
            before_sha=before if isinstance(before, str) and before else None,
        )
        accepted = await queue.submit(request)
        log.info("review enqueued" if accepted else "review already enqueued for this delivery")


for _action in REVIEWED_ACTIONS:
    router.add(review_pull_request, "pull_request", action=_action)
