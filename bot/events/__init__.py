"""Webhook events -> jobs: one router per event family, combined once here (the app's table of contents)."""

from __future__ import annotations

from gidgethub.routing import Router

from bot.events import comments, installation, pull_request
from bot.events.payload import PayloadError

router = Router(pull_request.router, comments.router, installation.router)

__all__ = ["PayloadError", "router"]
