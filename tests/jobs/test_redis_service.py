"""The runner built from settings picks Redis when REDIS_URL is set, says so without the password, and fails clearly."""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path

import pytest

from bot.jobs.model import JobRequest
from bot.jobs.redis_store import RedisJobStore
from bot.jobs.service import build_job_runner, build_job_store
from bot.jobs.sqlite_store import SQLiteJobStore
from bot.jobs.store import StoreError
from bot.settings import settings_from_env
from tests.jobs.test_redis import redis_prefix, redis_url_or_skip

PASSWORD = "hunter2-redis-secret"


def with_password(url: str) -> str:
    # The local Redis's default user has no password, and accepts (ignores) any: the URL still carries one.
    scheme, rest = url.split("://", 1)
    return f"{scheme}://:{PASSWORD}@{rest.split('@')[-1]}"


def test_prefix_setting_defaults_and_can_be_set() -> None:
    assert settings_from_env({}).redis_prefix == "prodready:"
    assert settings_from_env({"PRODREADY_REDIS_PREFIX": " staging: "}).redis_prefix == "staging:"


def test_without_redis_url_the_embedded_store_is_used(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="bot.jobs.service"):
        store = build_job_store(settings_from_env({"PRODREADY_DATA_DIR": str(tmp_path)}))
    assert isinstance(store, SQLiteJobStore)
    assert str(tmp_path) in caplog.text


async def test_redis_url_selects_redis_and_the_runner_works_without_leaking_the_password(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    url = with_password(redis_url_or_skip())
    ran: list[str] = []

    async def handler(request: JobRequest) -> None:
        ran.append(request.delivery_id)

    async def give_up(request: JobRequest, error: str) -> None:
        raise AssertionError(error)

    async with redis_prefix(url) as prefix:
        env = {"REDIS_URL": url, "PRODREADY_REDIS_PREFIX": prefix, "PRODREADY_DATA_DIR": str(tmp_path / "unused")}
        settings = settings_from_env(env)
        with caplog.at_level(logging.DEBUG):
            jobs = build_job_runner(settings, handler=handler, on_give_up=give_up)
            await jobs.start()
            request = JobRequest(
                delivery_id="svc-1", installation_id=1, repo="o/r", number=1, head_sha="a" * 40, reason="opened"
            )
            assert await jobs.submit(request)
            assert not await jobs.submit(request)
            await asyncio.wait_for(jobs.wait_idle(), timeout=10)
            await jobs.stop()
        store = build_job_store(settings)
        assert isinstance(store, RedisJobStore) and store.prefix == prefix
    assert ran == ["svc-1"]
    assert "jobs are kept in Redis at redis://" in caplog.text
    assert PASSWORD not in caplog.text
    # Nothing was written to the data directory: the jobs live in Redis.
    assert not (tmp_path / "unused").exists()


async def test_redis_down_at_start_is_a_store_error_without_the_password(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = settings_from_env({"REDIS_URL": f"redis://admin:{PASSWORD}@127.0.0.1:{port}/2"})

    async def never(request: JobRequest, error: str = "") -> None:
        raise AssertionError("never called")

    jobs = build_job_runner(settings, handler=never, on_give_up=never)
    with caplog.at_level(logging.DEBUG), pytest.raises(StoreError) as caught:
        await jobs.start()
    assert f"redis://127.0.0.1:{port}/2" in str(caught.value)
    assert PASSWORD not in str(caught.value) and PASSWORD not in caplog.text
