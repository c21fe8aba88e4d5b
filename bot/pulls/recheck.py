"""Who may ask for `/prodready recheck`: the pull request's author, or write, maintain or admin permission."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gidgethub.abc import GitHubAPI

from bot.github.collaborators import permission
from bot.github.pulls import PullRequest

WRITE_ROLES = frozenset({"admin", "maintain", "write"})
REFUSED_RECHECK = (
    "Only the pull request's author or someone with write, maintain or admin permission on this "
    "repository can ask for `/prodready recheck`."
)


def grants_recheck(answer: Mapping[str, Any] | None) -> bool:
    """Tell whether GitHub's permission answer is write, maintain or admin."""
    if answer is None:
        return False
    # `permission` folds maintain into write; `role_name` names custom roles, so accept either.
    return answer.get("permission") in {"admin", "write"} or answer.get("role_name") in WRITE_ROLES


async def may_recheck(gh: GitHubAPI, pull: PullRequest, user: str | None) -> bool:
    """Tell whether `user` may ask for a recheck of `pull`; asks GitHub only for someone other than the author."""
    if not user:
        return False
    if user.lower() == pull.author.lower():
        return True
    return grants_recheck(await permission(gh, pull.repo, user))
