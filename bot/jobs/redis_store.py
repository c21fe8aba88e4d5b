"""The shared job store: jobs in Redis, so several processes on several machines work one queue.

Durability is Redis's: a job is acknowledged once Redis has it in memory. To keep acknowledged jobs
across a Redis restart, run Redis with `appendonly yes` (AOF; `appendfsync always` loses nothing,
`everysec` at most about a second) or at least RDB snapshots.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

from bot.jobs import redis_scripts
from bot.jobs.model import JobRequest
from bot.jobs.redis_url import check_database, redis_location, url_password
from bot.jobs.store import FinalState, Job, QueueStats, StoreError
from bot.settings import Secret

log = logging.getLogger(__name__)

DEFAULT_PREFIX = "prodready:"
# Rate-limit history older than this is of no use (the limit's window is an hour).
STARTED_HISTORY_SECONDS = 86400.0


def _member(job_id: int) -> str:
    return f"{job_id:012d}"


def _job(member: str, fields: dict[str, str]) -> Job:
    try:
        request = JobRequest(**json.loads(fields["request"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"stored request is unreadable: {exc}") from None
    return Job(
        id=int(member),
        request=request,
        state=fields["state"],  # type: ignore[arg-type]
        attempts=int(fields["attempts"]),
        next_attempt_at=float(fields["next_attempt_at"]),
        created_at=float(fields["created_at"]),
        last_error=fields.get("last_error"),
    )


class RedisJobStore:
    """Jobs under `prefix` in one Redis; claims are leased, and a lease not renewed is taken back."""

    def __init__(
        self,
        url: Secret,
        *,
        prefix: str = DEFAULT_PREFIX,
        lease_seconds: float = 30.0,
        renew_seconds: float | None = None,
        timeout: float = 5.0,
        max_connections: int = 32,
        retention_seconds: float = 7 * 86400,
    ) -> None:
        self._url = url
        self.where = redis_location(url.reveal())
        self.prefix = prefix
        self._lease_ms = max(1, round(lease_seconds * 1000))
        self._renew_every = renew_seconds if renew_seconds is not None else lease_seconds / 3
        self._timeout = timeout
        self._max_connections = max_connections
        # Finished jobs are kept this long so a redelivered webhook is still recognised as a duplicate.
        self._retention = max(1, round(retention_seconds))
        # Names this process in Redis (CLIENT LIST) and in each job it runs; no secret in it.
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._redis: Redis | None = None
        self._scripts: dict[str, AsyncScript] = {}
        self._owned: set[str] = set()
        self._renewer: asyncio.Task[None] | None = None

    def _explain(self, exc: Exception) -> StoreError:
        return StoreError(f"job store Redis at {self.where}: {self._redact(str(exc).strip() or type(exc).__name__)}")

    def _redact(self, text: str) -> str:
        # Client errors name hosts, not passwords; this guards against one that quotes the URL.
        password = url_password(self._url.reveal())
        return text.replace(password, "**********") if password and len(password) >= 4 else text

    async def _run(self, call: Callable[[Redis], Awaitable[Any]]) -> Any:
        # Any: redis-py types replies as bytes | str whatever decode_responses says; here they are str.
        if self._redis is None:
            raise StoreError(f"job store Redis at {self.where} is not open")
        try:
            return await call(self._redis)
        except RedisError as exc:
            raise self._explain(exc) from None

    async def _eval(self, name: str, args: list[Any]) -> Any:
        script = self._scripts.get(name)
        if script is None:
            raise StoreError(f"job store Redis at {self.where} is not open")
        return await self._run(lambda r: script(args=args, client=r))

    async def open(self) -> None:
        """Connect, check that Redis answers, and start renewing the leases of this process's jobs."""
        if self._redis is not None:
            return
        try:
            check_database(self._url.reveal())
            # Blocking pool: a burst of webhooks waits (up to `timeout`) for a connection instead of failing.
            pool = BlockingConnectionPool.from_url(
                self._url.reveal(),
                max_connections=self._max_connections,
                timeout=self._timeout,
                decode_responses=True,
                socket_timeout=self._timeout,
                socket_connect_timeout=self._timeout,
                # Bounded: a dropped connection is retried twice, then the caller sees a StoreError.
                retry=Retry(ExponentialWithJitterBackoff(cap=1.0, base=0.05), retries=2),
                client_name=f"prodready:{self.owner}",
            )
            client = Redis.from_pool(pool)
        except (TypeError, ValueError) as exc:
            raise StoreError(
                f"REDIS_URL is not a usable Redis URL ({self._redact(str(exc))}); "
                "use redis://[:password@]host:port/db, rediss://… or unix://…"
            ) from None
        try:
            await client.ping()
            await self._check_persistence(client)
        except (RedisError, OSError) as exc:
            await client.aclose()
            error = self._explain(exc)
            raise StoreError(f"{error}; check REDIS_URL and that Redis is running") from None
        self._redis = client
        self._scripts = {name: client.register_script(source) for name, source in redis_scripts.SCRIPTS.items()}
        self._renewer = asyncio.create_task(self._renew_leases(), name="jobstore-leases")

    async def _check_persistence(self, client: Redis) -> None:
        try:
            info = await client.info("persistence")
        except RedisError:
            return  # INFO may be forbidden by an ACL; the README states what is needed.
        if str(info.get("aof_enabled", "0")) == "0":
            log.warning(
                "Redis at %s runs without an append-only file: jobs acknowledged since its last snapshot are "
                "lost if Redis restarts; set appendonly yes",
                self.where,
            )

    async def close(self) -> None:
        """Stop renewing leases and disconnect; jobs still running here are requeued once their lease ends."""
        if self._renewer is not None:
            self._renewer.cancel()
            await asyncio.gather(self._renewer, return_exceptions=True)
            self._renewer = None
        self._scripts = {}
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None
        self._owned.clear()

    async def _renew_leases(self) -> None:
        while True:
            await asyncio.sleep(self._renew_every)
            owned = sorted(self._owned)
            if not owned:
                continue
            try:
                lost = await self._eval("renew", [self.prefix, self.owner, self._lease_ms, *owned])
            except StoreError as exc:
                log.warning("could not renew job leases, retrying in %.1fs: %s", self._renew_every, exc)
                continue
            except Exception:
                # The renewer must outlive any surprise, or every job here would be run twice.
                log.exception("job lease renewal error")
                continue
            for member in lost:
                self._owned.discard(member)
                log.warning("lost the lease of job %d: another process may run it again", int(member))

    async def submit(self, request: JobRequest, *, now: float) -> bool:
        """Persist `request` as queued (False if its delivery id was seen) and supersede older heads."""
        payload = json.dumps(asdict(request), separators=(",", ":"))
        args = [
            self.prefix,
            request.delivery_id,
            request.pr_key,
            request.installation_id,
            request.head_sha,
            request.reason,
            payload,
            repr(float(now)),
            secrets.token_hex(8),
            self._retention,
        ]
        return bool(await self._eval("submit", args))

    async def claim(self, *, now: float) -> Job | None:
        """Lease the oldest due job whose pull request has nothing running anywhere; count the attempt."""
        while True:
            # One nonce per claim: if the reply is lost and redis-py retries, Redis hands back the same job.
            args = [
                self.prefix,
                repr(float(now)),
                self.owner,
                self._lease_ms,
                secrets.token_hex(8),
                repr(float(now) - STARTED_HISTORY_SECONDS),
            ]
            reply: list[str] | None = await self._eval("claim", args)
            if not reply:
                return None
            member, flat = reply[0], reply[1:]
            self._owned.add(member)
            try:
                return _job(member, dict(zip(flat[::2], flat[1::2], strict=True)))
            except ValueError as exc:
                # A record this version cannot read must not block its pull request's queue forever.
                await self._settle_job(member, "finish", now=now, error=str(exc), state="failed")

    async def _settle_job(
        self, member: str, op: str, *, now: float = 0.0, error: str = "", due: float = 0.0, state: str = ""
    ) -> None:
        # Dropped first: if the write never lands, the lease runs out and another process retries the job.
        self._owned.discard(member)
        args = [self.prefix, member, self.owner, op, repr(float(now)), error, repr(float(due)), self._retention, state]
        if not await self._eval("settle", args):
            log.warning(
                "job %d was taken over by another process after its lease ran out; its %s is not recorded",
                int(member),
                op,
            )

    async def retry(self, job_id: int, *, next_attempt_at: float, error: str) -> None:
        """Put a running job back in the queue, due at `next_attempt_at`."""
        await self._settle_job(_member(job_id), "retry", error=error, due=next_attempt_at)

    async def release(self, job_id: int) -> None:
        """Put a running job back in the queue without counting the attempt (shutdown cut it short)."""
        await self._settle_job(_member(job_id), "release")

    async def finish(self, job_id: int, state: FinalState, *, now: float, error: str | None = None) -> None:
        """Record that a running job ended in `state`."""
        await self._settle_job(_member(job_id), "finish", now=now, error=error or "", state=state)

    async def skip(self, job_id: int, *, now: float, error: str) -> None:
        """Record that a claimed job was refused without running: failed, neither attempted nor started."""
        await self._settle_job(_member(job_id), "skip", now=now, error=error)

    async def recover(self) -> int:
        """Requeue jobs whose lease ran out (their process died); jobs of live processes are left alone."""
        # Their attempt stays counted, so a job that kills the process every time still runs out of attempts.
        return int(await self._eval("recover", [self.prefix]))

    async def get(self, delivery_id: str) -> Job | None:
        """Return the job of one delivery, or None."""
        member = await self._run(lambda r: r.get(f"{self.prefix}delivery:{delivery_id}"))
        if member is None:
            return None
        fields: dict[str, str] = await self._run(lambda r: r.hgetall(f"{self.prefix}job:{member}"))
        if not fields:
            return None
        try:
            return _job(member, fields)
        except ValueError as exc:
            raise StoreError(f"job store Redis at {self.where}: delivery {delivery_id}: {exc}") from None

    async def next_due_at(self) -> float | None:
        """Return when the earliest queued job becomes due, or None when nothing is queued."""
        first = await self._run(lambda r: r.zrange(f"{self.prefix}queued", 0, 0, withscores=True))
        return float(first[0][1]) if first else None

    async def stats(self) -> QueueStats:
        """Count queued and running jobs and date the oldest of them."""

        async def read(r: Redis) -> list[Any]:
            async with r.pipeline(transaction=True) as pipe:
                pipe.zcard(f"{self.prefix}queued")
                pipe.zcard(f"{self.prefix}running")
                pipe.zrange(f"{self.prefix}open", 0, 0, withscores=True)
                return await pipe.execute()  # type: ignore[no-any-return]

        queued, running, oldest = await self._run(read)
        return QueueStats(queued=queued, running=running, oldest_created_at=float(oldest[0][1]) if oldest else None)

    async def started_since(self, since: float) -> list[tuple[int, float]]:
        """Return (installation id, first start) of jobs first started at or after `since`."""
        rows = await self._run(lambda r: r.zrangebyscore(f"{self.prefix}started", since, "+inf", withscores=True))
        return [(int(member.rsplit(":", 1)[1]), float(score)) for member, score in rows]
