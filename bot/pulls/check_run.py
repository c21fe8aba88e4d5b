"""The "prodready" check run on the head commit: in progress while reviewing, then its verdict.

Best effort: a check run that cannot be written (e.g. the App lacks the Checks permission) never
stops the review from being posted; the caller gets the reason for the summary's notes.
"""

from __future__ import annotations

import logging

from gidgethub.abc import GitHubAPI

from bot.github.checks import create_check_run, update_check_run
from bot.github.errors import GitHubError
from bot.render.check_run import CHECK_NAME, CheckOutput

log = logging.getLogger(__name__)


async def start_check(gh: GitHubAPI, *, repo: str, head_sha: str) -> tuple[int | None, str | None]:
    """Create the check run, in progress, on `head_sha`; return (its id, None) or (None, why it failed)."""
    try:
        return await create_check_run(gh, repo, name=CHECK_NAME, head_sha=head_sha), None
    except GitHubError as exc:
        log.warning("check run not created: %s", exc)
        return None, f"The check run could not be created ({_hint(exc)})."
    except (KeyError, TypeError, ValueError):
        return None, "The check run could not be created (GitHub's answer had no id)."


async def finish_check(gh: GitHubAPI, *, repo: str, check_id: int, output: CheckOutput) -> bool:
    """Complete the check run with `output`; return False (and log) when GitHub refused."""
    try:
        await update_check_run(gh, repo, check_id, output.payload())
    except GitHubError as exc:
        log.warning("check run %s not completed: %s", check_id, exc)
        return False
    return True


def _hint(exc: GitHubError) -> str:
    if exc.status == 403:
        return "the App needs the Checks read and write permission"
    return f"GitHub answered {exc.status}" if exc.status else "GitHub could not be reached"
