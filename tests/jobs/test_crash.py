"""Crash resume: a process killed with SIGKILL mid-job; a new runner on the same data dir runs it once."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.jobs.model import JobRequest
from bot.jobs.runner import JobRunner
from bot.jobs.sqlite_store import SQLiteJobStore

ROOT = Path(__file__).resolve().parents[2]

# The doomed process: acknowledges one delivery, starts it, says so, then hangs until it is killed.
CHILD = """
import asyncio, sys
from pathlib import Path
from bot.jobs.model import JobRequest
from bot.jobs.runner import JobRunner
from bot.jobs.sqlite_store import SQLiteJobStore

data_dir, marker = Path(sys.argv[1]), Path(sys.argv[2])

async def handler(request):
    marker.write_text(request.delivery_id)
    await asyncio.sleep(3600)

async def give_up(request, error):
    raise AssertionError("never reached")

async def main():
    store = SQLiteJobStore(data_dir)
    await store.open()
    runner = JobRunner(store, handler, on_give_up=give_up)
    await runner.start()
    request = JobRequest(delivery_id="crash-1", installation_id=1, repo="o/r", number=5,
                         head_sha="f" * 40, reason="opened")
    assert await runner.submit(request)
    await asyncio.sleep(3600)

asyncio.run(main())
"""


async def test_job_of_a_killed_process_runs_exactly_once_after_restart(tmp_path: Path) -> None:
    data_dir, marker = tmp_path / "data", tmp_path / "started"
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD, str(data_dir), str(marker), cwd=ROOT, stderr=asyncio.subprocess.PIPE
    )
    try:
        for _ in range(1000):
            if marker.exists() or child.returncode is not None:
                break
            await asyncio.sleep(0.01)
        assert marker.exists(), "the child never started the job"
        assert marker.read_text() == "crash-1"
    finally:
        if child.returncode is None:
            os.kill(child.pid, signal.SIGKILL)
        _, stderr = await asyncio.wait_for(child.communicate(), timeout=10)
    assert child.returncode == -signal.SIGKILL, stderr.decode()

    store = SQLiteJobStore(data_dir)
    await store.open()
    orphan = await store.get("crash-1")
    assert orphan is not None and (orphan.state, orphan.attempts) == ("running", 1)

    ran: list[JobRequest] = []
    gave_up: list[str] = []

    async def handler(request: JobRequest) -> None:
        ran.append(request)

    async def give_up(request: JobRequest, error: str) -> None:
        gave_up.append(error)

    runner = JobRunner(store, handler, on_give_up=give_up, poll_interval=0.05)
    await runner.start()
    await asyncio.wait_for(runner.wait_idle(), timeout=10)
    # Give a second run every chance to happen before checking there was none.
    await asyncio.sleep(0.2)
    await runner.stop()
    assert [r.delivery_id for r in ran] == ["crash-1"]
    assert ran[0].head_sha == "f" * 40 and ran[0].number == 5
    assert gave_up == []
    done = await store.get("crash-1")
    assert done is not None and (done.state, done.attempts) == ("done", 2)
    await store.close()
