"""Answer the slash commands other than recheck: `ignore` (in the conversation or a thread) and `help`.

An ignore is written into the summary comment's hidden state, which the next review reads; nothing else keeps it.
"""

from __future__ import annotations

import logging
from typing import Any

from gidgethub.abc import GitHubAPI

from bot.github.comments import create_comment
from bot.github.pulls import PullRequest
from bot.github.reviews import reply_in_thread, review_comment
from bot.jobs.model import JobRequest
from bot.pulls.commands import Command, parse_command
from bot.pulls.publish import read_summary, upsert_summary
from bot.pulls.recheck import may_recheck
from bot.pulls.threads import read_ours
from bot.render.conversation import MAX_WHY, RULE_ID, ConversationState, Ignore, read_state, with_state
from bot.render.github import one_line
from bot.render.safe_markdown import code_span
from bot.render.summary import render_pending
from bot.review.models import CATEGORIES
from bot.rules.catalog import all_rules

log = logging.getLogger(__name__)

HELP = "\n".join(
    [
        "prodready's commands (first line of a comment; the pull request's author or someone with write access):",
        "",
        "- `/prodready recheck`: a full review of the current head.",
        "- `/prodready ignore RULE-OR-CATEGORY [reason]`: from the next review on, findings of that rule id or "
        "category are not posted on this pull request.",
        "- `/prodready ignore [reason]`, as a reply in one of prodready's review threads: that finding is not posted "
        "again on this pull request, wherever the code moves. A 👎 on the comment does the same.",
        "- `/prodready help`: this list.",
        "",
        "The summary comment lists what is ignored, by whom and why. `prodready rules` lists the rule ids.",
    ]
)


async def run_command(gh: GitHubAPI, request: JobRequest, pull: PullRequest, *, ours: str) -> None:
    """Carry out the command of `request` and answer where it was asked; `ours` is prodready's own login."""
    in_thread = request.reply_to is not None
    command = parse_command(request.command, in_thread=in_thread)
    if command is None or command.name == "recheck":
        return
    parent: dict[str, Any] | None = None
    if request.reply_to is not None:
        parent = await review_comment(gh, request.repo, request.reply_to)
        if read_ours(parent, ours=ours) is None:
            log.info("ignored: %s in a review thread that is not prodready's", command.name)
            return

    async def answer(body: str) -> None:
        if parent is not None:
            await reply_in_thread(gh, request.repo, request.number, to=parent, body=body)
        else:
            await create_comment(gh, request.repo, request.number, body)

    if not await may_recheck(gh, pull, request.requested_by):
        await answer(
            "Only the pull request's author or someone with write, maintain or admin permission on this "
            f"repository can use `/prodready {command.name if command.name != 'unknown' else 'commands'}`."
        )
        return
    if command.name != "ignore":
        unknown = f"{code_span('/prodready ' + command.word)} is not a command.\n\n" if command.word else ""
        await answer(unknown + HELP)
        return
    await answer(await _ignore(gh, request, command, parent, ours=ours))


async def _ignore(
    gh: GitHubAPI, request: JobRequest, command: Command, parent: dict[str, Any] | None, *, ours: str
) -> str:
    """Record the ignore in the summary's state; return the acknowledgement."""
    by = request.requested_by or ""
    if parent is not None:
        finding = read_ours(parent, ours=ours)
        assert finding is not None  # checked by the caller
        ignore = Ignore("finding", finding.fingerprint, by, why=command.reason, label=finding.label)
    else:
        target = command.target
        if target is None:
            return "Say what to ignore: `/prodready ignore RULE-OR-CATEGORY [reason]`.\n\n" + HELP
        if target.lower() in CATEGORIES:
            ignore = Ignore("category", target.lower(), by, why=command.reason)
        elif RULE_ID.match(target):
            ignore = Ignore("rule", target, by, why=command.reason)
        else:
            return f"{code_span(target[:80])} is neither a rule id nor a category.\n\n{HELP}"
    summary = await read_summary(gh, request.repo, request.number, ours=ours)
    state = read_state(summary.body) if summary else ConversationState()
    already = any((i.kind, i.target) == (ignore.kind, ignore.target) for i in state.ignores)
    if state.full and not already:
        return "This pull request has as many ignores as prodready keeps; use `.github/prodready.yml` instead."
    state = state.with_ignore(ignore)
    body = with_state(summary.body, state) if summary else render_pending(state)
    await upsert_summary(gh, request.repo, request.number, body, ours=ours, known=summary, looked=True)
    return acknowledgement(ignore)


def acknowledgement(ignore: Ignore) -> str:
    """Return the reply to an ignore; for a rule or a category, with the config lines that make it permanent."""
    why = f" Reason given: {one_line(ignore.why, limit=MAX_WHY)}" if ignore.why else ""
    if ignore.kind == "finding":
        return (
            f"Ignored: prodready will not post this finding again on this pull request, wherever the code moves.{why}"
        )
    what = f"rule {code_span(ignore.target)}" if ignore.kind == "rule" else f"category {code_span(ignore.target)}"
    lines = [f"Ignored: from the next review on, prodready posts no findings of {what} on this pull request.{why}"]
    if ignore.kind == "rule" and ignore.target not in {r.id for r in all_rules()}:
        lines.append("")
        lines.append(f"{code_span(ignore.target)} is not a built-in rule; it applies to a custom rule of that id.")
    config = (
        f"rules:\n  disable: [{ignore.target}]" if ignore.kind == "rule" else f"categories:\n  {ignore.target}: false"
    )
    lines.extend(
        [
            "",
            "To make it permanent for the repository, add this to `.github/prodready.yml` on the base branch "
            "(prodready never commits it):",
            "",
            "```yaml",
            config,
            "```",
        ]
    )
    return "\n".join(lines)
