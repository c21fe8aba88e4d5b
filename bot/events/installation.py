"""Installation events: the App was installed, removed, or given other repositories; logged only."""

from __future__ import annotations

import logging
from typing import Any

from gidgethub import sansio
from gidgethub.routing import Router

from bot.events.payload import installation_id, optional

router = Router()
log = logging.getLogger(__name__)


def _names(repositories: Any) -> list[str]:
    if not isinstance(repositories, list):
        return []
    return [r["full_name"] for r in repositories if isinstance(r, dict) and isinstance(r.get("full_name"), str)]


@router.register("installation")
async def log_installation(event: sansio.Event, **_: Any) -> None:
    """Log that the App was installed, removed, suspended or had its permissions changed."""
    data = event.data
    log.info(
        "installation %s",
        data.get("action"),
        extra={
            "installation_id": installation_id(data),
            "account": optional(data, "installation.account.login", str),
            "repositories": _names(data.get("repositories")),
        },
    )


@router.register("installation_repositories")
async def log_installation_repositories(event: sansio.Event, **_: Any) -> None:
    """Log which repositories were added to or removed from an installation."""
    data = event.data
    log.info(
        "installation repositories %s",
        data.get("action"),
        extra={
            "installation_id": installation_id(data),
            "added": _names(data.get("repositories_added")),
            "removed": _names(data.get("repositories_removed")),
        },
    )
