"""Build the process's job queue from its settings: Redis when REDIS_URL is set, else the embedded store."""

from __future__ import annotations

import logging
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class JobTiming:
    """The runner's waits: production values by default; tests shorten them."""

    # None keeps PRODREADY_JOB_MAX_ATTEMPTS.
    max_attempts: int | None = None
    backoff_base: float = 10.0
    backoff_max: float = 600.0
    job_timeout: float = 900.0
    notify_timeout: float = 60.0
    poll_interval: float = 1.0


def build_job_runner(
    settings: Settings,
    *,
    handler: Handler,
    on_give_up: Notify,
    on_rate_limited: Notify | None = None,
    timing: JobTiming = JobTiming(),
) -> JobRunner:
    """Return a runner over the store of `settings`; its start() opens the store and its stop() closes it."""
    return JobRunner(
        build_job_store(settings),
        handler,
        on_give_up=on_give_up,
        on_rate_limited=on_rate_limited,
        concurrency=settings.jobs.concurrency,
        max_attempts=timing.max_attempts or settings.jobs.max_attempts,
        backoff_base=timing.backoff_base,
        backoff_max=timing.backoff_max,
        reviews_per_hour=settings.jobs.reviews_per_hour,
        job_timeout=timing.job_timeout,
        notify_timeout=timing.notify_timeout,
        poll_interval=timing.poll_interval,
        close_store=True,
    )
