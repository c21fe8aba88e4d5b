"""The job runner built from settings: store under the data dir, opened by start and closed by stop."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.jobs.model import JobRequest
from bot.jobs.service import build_job_runner
from bot.jobs.sqlite_store import FILE_NAME
from bot.settings import settings_from_env


async def test_runner_from_settings_persists_under_the_data_dir_and_resumes(tmp_path: Path) -> None:
    settings = settings_from_env({"PRODREADY_DATA_DIR": str(tmp_path / "data"), "PRODREADY_JOB_CONCURRENCY": "1"})
    ran: list[str] = []
    gate = asyncio.Event()
    started = asyncio.Event()

    async def handler(request: JobRequest) -> None:
        ran.append(request.delivery_id)
        started.set()
        await gate.wait()

    async def give_up(request: JobRequest, error: str) -> None:
        raise AssertionError(error)

    first = build_job_runner(settings, handler=handler, on_give_up=give_up)
    await first.start()
    for n in (1, 2):
        request = JobRequest(
            delivery_id=f"d{n}", installation_id=1, repo="o/r", number=n, head_sha="a" * 40, reason="opened"
        )
        assert await first.submit(request)
    assert (tmp_path / "data" / FILE_NAME).is_file()
    # The first job is running (and holds the only slot) before the process stops.
    await asyncio.wait_for(started.wait(), timeout=10)
    await first.stop(grace_seconds=0.05)
    assert ran == ["d1"]
    gate.set()
    second = build_job_runner(settings, handler=handler, on_give_up=give_up)
    await second.start()
    await asyncio.wait_for(second.wait_idle(), timeout=10)
    await second.stop()
    assert sorted(ran) == ["d1", "d1", "d2"]
