"""`prodready serve` as a process: refuses bad settings in one line, serves, and stops gracefully on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.server.main import serve_from_env
from tests.fakes.fake_github import APP_ID, FakeGitHub
from tests.fakes.webhook_sender import deliver

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "github" / "small_pr" / "pr.diff"
SECRET = "main-test-secret-99"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "GITHUB_WEBHOOK_SECRET"),
        ({"GITHUB_WEBHOOK_SECRET": "s"}, "GITHUB_APP_ID"),
        ({"GITHUB_WEBHOOK_SECRET": "s", "GITHUB_APP_ID": "1"}, "GITHUB_PRIVATE_KEY"),
        ({"GITHUB_WEBHOOK_SECRET": "s", "PORT": "http"}, "PORT must be a whole number"),
    ],
)
def test_unusable_settings_exit_2_with_one_line(env, message, capsys):
    assert serve_from_env(env) == 2
    err = capsys.readouterr().err
    assert err.startswith("prodready serve: ") and message in err
    assert err.count("\n") == 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_healthy(session: aiohttp.ClientSession, base: str, proc: asyncio.subprocess.Process) -> None:
    # A cold start imports the whole service; on a busy 2-core CI machine that has taken over 10 s.
    for _ in range(600):
        if proc.returncode is not None:
            raise AssertionError(f"server exited early: {(await proc.stderr.read()).decode()[-2000:]}")
        try:
            async with session.get(f"{base}/healthz") as resp:
                if resp.status == 200:
                    return
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError("server did not become healthy")


async def test_bad_private_key_is_one_line_not_a_traceback(tmp_path):
    env = {
        **os.environ,
        "GITHUB_WEBHOOK_SECRET": SECRET,
        "GITHUB_APP_ID": "1",
        "GITHUB_PRIVATE_KEY": "not a key",
        "PRODREADY_DATA_DIR": str(tmp_path),
        "PORT": str(free_port()),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", cwd=ROOT, env=env, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 1
    assert "private key" in err.decode() and "Traceback" not in err.decode()


async def test_sigterm_lets_the_running_review_finish_then_exits(fake_github: FakeGitHub, github_app_key, tmp_path):
    repo = fake_github.add_repo("octo/app")
    pull = repo.add_pull(1, diff=SAMPLE.read_text(), user="alice")
    fake_github.add_installation(7, ["octo/app"])
    # The job's first GitHub call takes a while: SIGTERM arrives while the review is running.
    fake_github.timeout_delay = 0.8
    fake_github.inject("pulls.get", "timeout")
    port = free_port()
    env = {
        **os.environ,
        "GITHUB_WEBHOOK_SECRET": SECRET,
        "GITHUB_APP_ID": str(APP_ID),
        "GITHUB_PRIVATE_KEY": github_app_key[0],
        "GITHUB_API_URL": fake_github.url,
        "PRODREADY_DATA_DIR": str(tmp_path),
        "PORT": str(port),
    }
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    # CI's shared Redis would hand this server other tests' jobs; it is tested on the embedded store.
    env.pop("REDIS_URL", None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", cwd=ROOT, env=env, stderr=asyncio.subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            await wait_healthy(session, base, proc)
            payload = {
                "action": "opened",
                "number": 1,
                "pull_request": {"number": 1, "state": "open", "head": {"sha": pull.head_sha}},
                "repository": {"full_name": "octo/app"},
                "installation": {"id": 7},
            }
            assert await deliver(session, f"{base}/webhook", "pull_request", payload, secret=SECRET) == (
                202,
                {"status": "queued"},
            )
            for _ in range(500):  # the worker has reached GitHub: the review is now in flight
                if fake_github.calls("pulls.get"):
                    break
                await asyncio.sleep(0.02)
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    logs = err.decode()
    assert proc.returncode == 0, logs[-2000:]
    assert len(repo.reviews) == 1, "the review in flight was finished before exiting"
    assert SECRET not in logs and "BEGIN PRIVATE KEY" not in logs
    assert '"message": "stopping: letting running jobs finish' in logs
