"""Build the process's job queue from its settings: the embedded store under the data dir, and the worker."""

from __future__ import annotations

import logging

from bot.jobs.runner import Handler, JobRunner, Notify
from bot.jobs.sqlite_store import SQLiteJobStore
from bot.settings import Settings

log = logging.getLogger(__name__)


def build_job_runner(
    settings: Settings, *, handler: Handler, on_give_up: Notify, on_rate_limited: Notify | None = None
) -> JobRunner:
    """Return a runner over `settings.data_dir`; its start() opens the store and its stop() closes it."""
    if settings.redis_url:
        # Redis is the planned second backend; until it exists, say plainly that it is not in use.
        log.warning("REDIS_URL is set but jobs are kept in %s; run one server per data directory", settings.data_dir)
    return JobRunner(
        SQLiteJobStore(settings.data_dir),
        handler,
        on_give_up=on_give_up,
        on_rate_limited=on_rate_limited,
        concurrency=settings.jobs.concurrency,
        max_attempts=settings.jobs.max_attempts,
        reviews_per_hour=settings.jobs.reviews_per_hour,
        close_store=True,
    )
