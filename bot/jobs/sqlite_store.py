"""The embedded job store: one SQLite file in WAL mode, driven from a single thread off the event loop."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

from bot.jobs.model import PERSON_REASONS, JobRequest
from bot.jobs.store import FinalState, Job, QueueStats, StoreError

T = TypeVar("T")

SCHEMA_VERSION = 1
FILE_NAME = "jobs.sqlite3"
# A server may run for months without reopening its store, so old jobs are also pruned as jobs finish.
PRUNE_INTERVAL = 3600.0
_PRUNE = "DELETE FROM jobs WHERE state IN ('done', 'failed', 'superseded') AND finished_at < ?"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id TEXT NOT NULL UNIQUE,
    pr_key TEXT NOT NULL,
    installation_id INTEGER NOT NULL,
    head_sha TEXT NOT NULL,
    reason TEXT NOT NULL,
    request TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    created_at REAL NOT NULL,
    started_at REAL,
    finished_at REAL,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS jobs_due ON jobs (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS jobs_pr ON jobs (pr_key, state);
CREATE INDEX IF NOT EXISTS jobs_started ON jobs (started_at);
"""

_COLUMNS = "id, request, state, attempts, next_attempt_at, created_at, last_error"

# A pull request with a running job is skipped, so one pull request never has two jobs running.
_CLAIM = """
SELECT id FROM jobs AS j
WHERE j.state = 'queued' AND j.next_attempt_at <= ?
  AND NOT EXISTS (SELECT 1 FROM jobs AS r WHERE r.pr_key = j.pr_key AND r.state = 'running')
ORDER BY j.next_attempt_at, j.id
LIMIT 1
"""

# A push makes pending reviews of older heads pointless; a recheck or a command was asked for by a person,
# so it stays.
_SUPERSEDE = """
UPDATE jobs SET state = 'superseded', finished_at = ?
WHERE pr_key = ? AND state = 'queued' AND reason NOT IN ('recheck', 'command') AND head_sha != ? AND id != ?
"""


def _insert(conn: sqlite3.Connection, request: JobRequest, payload: str, now: float) -> bool:
    cursor = conn.execute(
        "INSERT OR IGNORE INTO jobs (delivery_id, pr_key, installation_id, head_sha, reason, request,"
        " state, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?)",
        (
            request.delivery_id,
            request.pr_key,
            request.installation_id,
            request.head_sha,
            request.reason,
            payload,
            now,
            now,
        ),
    )
    inserted = cursor.rowcount == 1
    if inserted and request.reason not in PERSON_REASONS:
        conn.execute(_SUPERSEDE, (now, request.pr_key, request.head_sha, cursor.lastrowid))
    return inserted


def _job(row: tuple[Any, ...]) -> Job:
    job_id, request, state, attempts, next_attempt_at, created_at, last_error = row
    return Job(
        id=job_id,
        request=JobRequest(**json.loads(request)),
        state=state,
        attempts=attempts,
        next_attempt_at=next_attempt_at,
        created_at=created_at,
        last_error=last_error,
    )


class SQLiteJobStore:
    """Jobs in `data_dir/jobs.sqlite3`; meant for one server process per data directory."""

    def __init__(self, data_dir: Path, *, busy_timeout: float = 5.0, retention_seconds: float = 7 * 86400) -> None:
        self.path = Path(data_dir) / FILE_NAME
        self._busy_timeout = busy_timeout
        # Finished jobs are kept this long so a redelivered webhook is still recognised as a duplicate.
        self._retention = retention_seconds
        self._conn: sqlite3.Connection | None = None
        # One thread owns the connection: SQLite writes are serialised anyway and the loop never blocks.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobstore")
        self._pending: list[tuple[JobRequest, str, float, asyncio.Future[bool]]] = []
        self._flushes: set[asyncio.Task[None]] = set()
        self._writing = asyncio.Lock()
        self._pruned_at = float("-inf")

    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        def call() -> T:
            if self._conn is None:
                raise StoreError(f"job store {self.path} is not open")
            try:
                return fn(self._conn)
            except sqlite3.Error as exc:
                if self._conn.in_transaction:
                    self._conn.rollback()
                raise self._explain(exc) from exc

        return await asyncio.get_running_loop().run_in_executor(self._thread, call)

    def _explain(self, exc: sqlite3.Error) -> StoreError:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return StoreError(
                f"job store {self.path} is locked by another process (waited {self._busy_timeout:g}s); "
                "only one server may use a data directory"
            )
        if isinstance(exc, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
            return StoreError(
                f"job store {self.path} is damaged ({text}); move the file aside to start with an empty "
                "queue, or restore it from a backup"
            )
        return StoreError(f"job store {self.path}: {text}")

    async def open(self) -> None:
        """Create or check the database file; raise StoreError if it is unusable."""

        def connect() -> None:
            if self._conn is not None:
                return
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"job store: cannot create {self.path.parent}: {exc.strerror}") from None
            try:
                conn = sqlite3.connect(self.path, timeout=self._busy_timeout, isolation_level=None)
            except sqlite3.Error as exc:
                raise self._explain(exc) from exc
            try:
                self._setup(conn)
            except sqlite3.Error as exc:
                conn.close()
                raise self._explain(exc) from exc
            self._conn = conn

        await asyncio.get_running_loop().run_in_executor(self._thread, connect)

    def _setup(self, conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a delivery is on disk before the webhook is acknowledged, even across a power cut.
        conn.execute("PRAGMA synchronous=FULL")
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("database disk image is malformed")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise sqlite3.DatabaseError(f"schema version {version} is newer than this program ({SCHEMA_VERSION})")
        conn.executescript(_SCHEMA)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.execute(_PRUNE, (time.time() - self._retention,))

    async def close(self) -> None:
        """Close the connection and its thread."""

        def close() -> None:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

        await asyncio.get_running_loop().run_in_executor(self._thread, close)
        self._thread.shutdown(wait=True)

    async def submit(self, request: JobRequest, *, now: float) -> bool:
        """Persist `request` as queued (False if its delivery id was seen) and supersede older heads.

        Submits that arrive while the writer is busy are committed together in one transaction (group commit):
        one disk sync for a burst of webhooks instead of one each, in arrival order.
        """
        payload = json.dumps(asdict(request), separators=(",", ":"))
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append((request, payload, now, done))
        if len(self._pending) == 1:
            flush = asyncio.create_task(self._flush())
            self._flushes.add(flush)
            flush.add_done_callback(self._flushes.discard)
        return await done

    async def _flush(self) -> None:
        # Waits while an earlier batch is written, so the submits that arrive meanwhile go in one transaction.
        async with self._writing:
            batch, self._pending = self._pending, []
            if not batch:
                return

            def insert_all(conn: sqlite3.Connection) -> list[bool]:
                conn.execute("BEGIN IMMEDIATE")
                results = [_insert(conn, request, payload, now) for request, payload, now, _ in batch]
                conn.execute("COMMIT")
                return results

            try:
                results = await self._run(insert_all)
            except Exception as exc:
                for *_, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                return
        for (*_, done), inserted in zip(batch, results, strict=True):
            if not done.done():
                done.set_result(inserted)

    async def claim(self, *, now: float) -> Job | None:
        """Mark the oldest due job whose pull request has nothing running as running; count the attempt."""

        def claim(conn: sqlite3.Connection) -> Job | None:
            conn.execute("BEGIN IMMEDIATE")
            while (row := conn.execute(_CLAIM, (now,)).fetchone()) is not None:
                conn.execute(
                    "UPDATE jobs SET state = 'running', attempts = attempts + 1,"
                    " started_at = COALESCE(started_at, ?) WHERE id = ?",
                    (now, row[0]),
                )
                stored = conn.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (row[0],)).fetchone()
                try:
                    job = _job(stored)
                except (TypeError, ValueError) as exc:
                    # A row this version cannot read must not block its pull request's queue forever.
                    conn.execute(
                        "UPDATE jobs SET state = 'failed', finished_at = ?, last_error = ? WHERE id = ?",
                        (now, f"stored request is unreadable: {exc}", row[0]),
                    )
                    continue
                conn.execute("COMMIT")
                return job
            conn.execute("COMMIT")
            return None

        return await self._run(claim)

    async def retry(self, job_id: int, *, next_attempt_at: float, error: str) -> None:
        """Put a running job back in the queue, due at `next_attempt_at`."""
        await self._update(
            "UPDATE jobs SET state = 'queued', next_attempt_at = ?, last_error = ? WHERE id = ?",
            (next_attempt_at, error, job_id),
        )

    async def release(self, job_id: int) -> None:
        """Put a running job back in the queue without counting the attempt (shutdown cut it short)."""
        await self._update(
            "UPDATE jobs SET state = 'queued', attempts = MAX(attempts - 1, 0) WHERE id = ? AND state = 'running'",
            (job_id,),
        )

    async def finish(self, job_id: int, state: FinalState, *, now: float, error: str | None = None) -> None:
        """Record that a running job ended in `state`."""
        await self._update(
            "UPDATE jobs SET state = ?, finished_at = ?, last_error = COALESCE(?, last_error) WHERE id = ?",
            (state, now, error, job_id),
        )
        if now - self._pruned_at >= PRUNE_INTERVAL:
            self._pruned_at = now
            await self._update(_PRUNE, (now - self._retention,))

    async def skip(self, job_id: int, *, now: float, error: str) -> None:
        """Record that a claimed job was refused without running: failed, neither attempted nor started."""
        # Not counted as started, so a refused review does not use up the installation's hourly budget.
        await self._update(
            "UPDATE jobs SET state = 'failed', finished_at = ?, last_error = ?, started_at = NULL,"
            " attempts = MAX(attempts - 1, 0) WHERE id = ?",
            (now, error, job_id),
        )

    async def _update(self, sql: str, params: tuple[Any, ...]) -> None:
        await self._run(lambda conn: conn.execute(sql, params))

    async def recover(self) -> int:
        """Requeue jobs left running by a process that died; return how many."""
        # Their attempt stays counted, so a job that kills the process every time still runs out of attempts.
        cursor = await self._run(lambda conn: conn.execute("UPDATE jobs SET state = 'queued' WHERE state = 'running'"))
        return cursor.rowcount

    async def get(self, delivery_id: str) -> Job | None:
        """Return the job of one delivery, or None."""
        row = await self._run(
            lambda conn: conn.execute(f"SELECT {_COLUMNS} FROM jobs WHERE delivery_id = ?", (delivery_id,)).fetchone()
        )
        return None if row is None else _job(row)

    async def next_due_at(self) -> float | None:
        """Return when the earliest queued job becomes due, or None when nothing is queued."""
        row = await self._run(
            lambda conn: conn.execute("SELECT MIN(next_attempt_at) FROM jobs WHERE state = 'queued'").fetchone()
        )
        return row[0]

    async def stats(self) -> QueueStats:
        """Count queued and running jobs and date the oldest of them."""
        row = await self._run(
            lambda conn: conn.execute(
                "SELECT SUM(state = 'queued'), SUM(state = 'running'), MIN(created_at) FROM jobs"
                " WHERE state IN ('queued', 'running')"
            ).fetchone()
        )
        return QueueStats(queued=row[0] or 0, running=row[1] or 0, oldest_created_at=row[2])

    async def started_since(self, since: float) -> list[tuple[int, float]]:
        """Return (installation id, first start) of jobs first started at or after `since`."""
        rows = await self._run(
            lambda conn: conn.execute(
                "SELECT installation_id, started_at FROM jobs WHERE started_at >= ? ORDER BY started_at",
                (since,),
            ).fetchall()
        )
        return [(int(i), float(t)) for i, t in rows]
