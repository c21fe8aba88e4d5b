"""`prodready serve`: settings -> logging and Sentry -> job store and worker -> app, with graceful shutdown."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping

from aiohttp import web

from bot.github.errors import AuthError
from bot.jobs.store import StoreError
from bot.observability import init_sentry, setup_logging
from bot.server.app import BACKLOG, DEFAULT_GRACE_SECONDS, create_app
from bot.settings import Settings, SettingsError, settings_from_env
from bot.wiring import Tuning, Worker, build_worker

log = logging.getLogger(__name__)

WORKER_KEY = web.AppKey("worker", Worker)
# After the job runner has stopped, how long open HTTP connections get to finish their answers.
SHUTDOWN_TIMEOUT_SECONDS = 5.0


def check_serve_settings(settings: Settings) -> None:
    """Raise SettingsError unless the App can both verify webhooks and authenticate to GitHub."""
    missing = [
        name
        for name, value in (
            ("GITHUB_WEBHOOK_SECRET", settings.github.webhook_secret),
            ("GITHUB_APP_ID", settings.github.app_id),
            ("GITHUB_PRIVATE_KEY or GITHUB_PRIVATE_KEY_PATH", settings.github.private_key),
        )
        if not value
    ]
    if missing:
        raise SettingsError(f"prodready serve needs {', '.join(missing)} (see docs/github-app.md)")


async def build_app(settings: Settings, tuning: Tuning | None = None) -> web.Application:
    """Return the app with its worker attached: the runner starts and stops with the app."""
    worker = build_worker(settings, tuning)
    grace = worker.tuning.grace_seconds
    app = create_app(settings, queue=worker.runner, grace_seconds=DEFAULT_GRACE_SECONDS if grace is None else grace)
    app[WORKER_KEY] = worker

    async def close_worker(app: web.Application) -> None:
        await worker.close()

    # Cleanup runs after on_shutdown has stopped the runner, so no job is using the clients any more.
    app.on_cleanup.append(close_worker)
    return app


def serve(settings: Settings) -> None:
    """Run the webhook server on settings.port until SIGTERM or SIGINT; raise SettingsError if misconfigured."""
    check_serve_settings(settings)
    setup_logging(settings)
    if init_sentry(settings):
        log.info("error reporting to Sentry is on")
    log.info(
        "starting",
        extra={"port": settings.port, "api_url": settings.github.api_url, "llm": settings.llm.configured},
    )
    web.run_app(
        build_app(settings),
        port=settings.port,
        backlog=BACKLOG,
        shutdown_timeout=SHUTDOWN_TIMEOUT_SECONDS,
        access_log=None,
        print=None,
        handle_signals=True,
    )


def serve_from_env(env: Mapping[str, str] | None = None) -> int:
    """Serve with settings from the environment; return 2 with a one-line message when they are unusable."""
    try:
        settings = settings_from_env(env)
        check_serve_settings(settings)
    except SettingsError as exc:
        print(f"prodready serve: {exc}", file=sys.stderr)
        return 2
    try:
        serve(settings)
    except (StoreError, AuthError) as exc:
        print(f"prodready serve: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        # Typically the port is taken; a traceback would hide the one line that matters.
        print(f"prodready serve: cannot listen on port {settings.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0
