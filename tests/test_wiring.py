"""The one composition root: every LLM and job setting the README documents reaches the server's objects."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.jobs.redis_store import RedisJobStore
from bot.jobs.sqlite_store import SQLiteJobStore
from bot.settings import settings_from_env
from bot.wiring import Tuning, Worker, build_worker
from tests.fakes.fake_github import APP_ID

README = Path(__file__).resolve().parents[1] / "README.md"
TUNES_THE_WORKER = ("OPENAI_", "PRODREADY_LLM", "PRODREADY_MODEL", "PRODREADY_JOB", "PRODREADY_MAX_REVIEWS")

# Each documented variable, a value unlike its default, and where the running server must show it.
REACHES: dict[str, tuple[str, Callable[[Worker], Any], Any]] = {
    "PRODREADY_LLM_MAX_REQUEST_TOKENS": ("6000", lambda w: w.reviewer.max_request_tokens, 6000),
    "OPENAI_API_KEY": ("sk-reach-test", lambda w: w.chat.settings.api_key.reveal(), "sk-reach-test"),
    "OPENAI_BASE_URL": ("http://127.0.0.1:9/v1", lambda w: str(w.chat._openai.base_url), "http://127.0.0.1:9/v1/"),
    "PRODREADY_MODEL": ("reach-model", lambda w: w.reviewer._model, "reach-model"),
    "PRODREADY_LLM_CONCURRENCY": ("7", lambda w: w.chat._semaphore._value, 7),
    "PRODREADY_LLM_TIMEOUT": ("33", lambda w: w.chat._openai.timeout, 33.0),
    "PRODREADY_LLM_MAX_RETRIES": ("5", lambda w: w.chat.settings.max_retries, 5),
    "PRODREADY_LLM_DEADLINE_SECONDS": ("45", lambda w: w.chat.settings.deadline_seconds, 45.0),
    "PRODREADY_JOB_CONCURRENCY": ("9", lambda w: w.runner.concurrency, 9),
    "PRODREADY_JOB_MAX_ATTEMPTS": ("6", lambda w: w.runner.max_attempts, 6),
    "PRODREADY_MAX_REVIEWS_PER_HOUR": ("11", lambda w: w.runner.reviews_per_hour, 11),
    "GITHUB_API_URL": ("http://127.0.0.1:9/api/v3", lambda w: w.deps.api_url, "http://127.0.0.1:9/api/v3"),
}


def documented(section: str) -> set[str]:
    """Return the variables in the table of README section `section` that tune the LLM or the jobs."""
    text = README.read_text()
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    names = set(re.findall(r"^\| `([A-Z_]+)`", body, flags=re.MULTILINE))
    return {n for n in names if n.startswith(TUNES_THE_WORKER)}


def env(tmp_path: Path, private_key: str, **more: str) -> dict[str, str]:
    return {
        "GITHUB_APP_ID": str(APP_ID),
        "GITHUB_PRIVATE_KEY": private_key,
        "PRODREADY_DATA_DIR": str(tmp_path),
        **{name: value for name, (value, _, _) in REACHES.items()},
        **more,
    }


def test_the_map_covers_every_documented_llm_and_job_setting():
    assert documented("The LLM") | documented("The GitHub App") <= set(REACHES)
    assert "PRODREADY_LLM_MAX_REQUEST_TOKENS" in documented("The LLM")


async def test_every_llm_and_job_setting_reaches_the_servers_objects(tmp_path, github_app_key):
    worker = build_worker(settings_from_env(env(tmp_path, github_app_key[0])))
    try:
        for name, (_, reach, expected) in REACHES.items():
            assert reach(worker) == expected, name
        assert isinstance(worker.runner.store, SQLiteJobStore)
        assert worker.runner.store.path.parent == tmp_path
    finally:
        await worker.close()


async def test_the_job_store_settings_reach_the_runner(tmp_path, github_app_key):
    more = {"REDIS_URL": "redis://127.0.0.1:9/3", "PRODREADY_REDIS_PREFIX": "reach:"}
    worker = build_worker(settings_from_env(env(tmp_path, github_app_key[0], **more)))
    try:
        store = worker.runner.store
        assert isinstance(store, RedisJobStore)
        assert store.prefix == "reach:"
        assert store.where.endswith("127.0.0.1:9/3")
    finally:
        await worker.close()


async def test_a_tuning_changes_timings_only(tmp_path, github_app_key):
    tuning = Tuning(breaker_threshold=2, grace_seconds=1.0)
    worker = build_worker(settings_from_env(env(tmp_path, github_app_key[0])), tuning)
    try:
        assert worker.chat is not None and worker.chat.breaker.threshold == 2
        assert worker.deps.policy is tuning.github
        assert worker.chat.settings.max_retries == 5
        assert worker.runner.max_attempts == 6
    finally:
        await worker.close()
