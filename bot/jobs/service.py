"""Build the process's job queue from its settings: Redis when REDIS_URL is set, else the embedded store."""

from __future__ import annotations

import logging

from bot.jobs.redis_store import RedisJobStore
from bot.jobs.runner import Handler, JobRunner, Notify
from bot.jobs.sqlite_store import SQLiteJobStore
from bot.jobs.store import JobStore
from bot.settings import Settings

log = logging.getLogger(__name__)


def build_job_store(settings: Settings) -> JobStore:
    """Return the store `settings` ask for, unopened; say which one in the log, never with a password."""
    if settings.redis_url:
        redis = RedisJobStore(settings.redis_url, prefix=settings.redis_prefix)
        log.info(
            "jobs are kept in Redis at %s under the prefix %r (process %s)", redis.where, redis.prefix, redis.owner
        )
        return redis
    sqlite = SQLiteJobStore(settings.data_dir)
    log.info("jobs are kept in %s; run one server per data directory, or set REDIS_URL to run several", sqlite.path)
    return sqlite


def build_job_runner(
    settings: Settings, *, handler: Handler, on_give_up: Notify, on_rate_limited: Notify | None = None
) -> JobRunner:
    """Return a runner over the store of `settings`; its start() opens the store and its stop() closes it."""
    return JobRunner(
        build_job_store(settings),
        handler,
        on_give_up=on_give_up,
        on_rate_limited=on_rate_limited,
        concurrency=settings.jobs.concurrency,
        max_attempts=settings.jobs.max_attempts,
        reviews_per_hour=settings.jobs.reviews_per_hour,
        close_store=True,
    )
