"""The app around the webhook: health, metrics, the queue's lifetime, and what a delivery logs."""

from __future__ import annotations

import io
import json
import logging
import re

import aiohttp
from aiohttp.test_utils import TestServer

from bot import metrics
from bot.observability import setup_logging
from bot.server import create_app
from bot.settings import settings_from_env
from tests.events.test_pull_request import pr_payload
from tests.fakes.recording_queue import RecordingQueue
from tests.fakes.webhook_sender import deliver, sign

SECRET = "whsec-app-test-5b1e"
SETTINGS = settings_from_env({"GITHUB_WEBHOOK_SECRET": SECRET})


def sample(text: str, name: str, **labels: str) -> float:
    """Return one sample's value from Prometheus text, 0 when absent."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}(?:\{{(.*)\}})? (\S+)", line)
        if match and ",".join(sorted((match.group(1) or "").split(","))) == wanted:
            return float(match.group(2))
    return 0.0


async def test_healthz_answers_ok():
    app = create_app(SETTINGS, queue=RecordingQueue())
    async with TestServer(app, host="127.0.0.1") as srv, aiohttp.ClientSession() as s:
        resp = await s.get(srv.make_url("/healthz"))
        assert resp.status == 200
        assert await resp.json() == {"status": "ok"}


async def test_metrics_count_deliveries_by_event_and_outcome():
    queue = RecordingQueue()
    async with TestServer(create_app(SETTINGS, queue=queue), host="127.0.0.1") as srv, aiohttp.ClientSession() as s:
        async with s.get(srv.make_url("/metrics")) as resp:
            before = await resp.text()
        url = str(srv.make_url("/webhook"))
        await deliver(s, url, "pull_request", pr_payload("opened"), secret=SECRET)
        await deliver(s, url, "pull_request", pr_payload("opened"), secret="wrong")
        await deliver(s, url, "pull_request", pr_payload("opened"), secret="wrong")
        await deliver(s, url, "ping", {"zen": "z"}, secret=SECRET)
        async with s.get(srv.make_url("/metrics")) as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"].startswith("text/plain; version=0.0.4")
            after = await resp.text()
    name = "prodready_webhook_deliveries_total"

    def delta(**labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert delta(event="pull_request", outcome="queued") == 1
    assert delta(event="unverified", outcome="bad_signature") == 2
    assert delta(event="ping", outcome="pong") == 1
    assert (
        sample(after, "prodready_webhook_ack_seconds_count") - sample(before, "prodready_webhook_ack_seconds_count")
        == 4
    )


def test_metric_helpers_publish_every_family_on_our_registry_only():
    metrics.set_queue_state(depth=3, oldest_age_seconds=-5)
    metrics.record_job(reason="opened", outcome="reviewed", seconds=1.5)
    metrics.record_llm_call(seconds=0.7, prompt_tokens=100, completion_tokens=20)
    metrics.record_llm_call(seconds=30, error="timeout")
    metrics.record_github_call(method="post", status=201)
    metrics.record_github_call(method="get", status=None)
    text = metrics.render().decode()
    assert sample(text, "prodready_job_queue_depth") == 3
    assert sample(text, "prodready_job_oldest_age_seconds") == 0, "a negative age is clamped"
    assert sample(text, "prodready_jobs_total", reason="opened", outcome="reviewed") >= 1
    assert sample(text, "prodready_llm_tokens_total", kind="prompt") >= 100
    assert sample(text, "prodready_llm_errors_total", kind="timeout") >= 1
    assert sample(text, "prodready_github_api_calls_total", method="POST", status="201") >= 1
    assert sample(text, "prodready_github_api_calls_total", method="GET", status="error") >= 1
    # Nothing from prometheus_client's global registry (process and platform collectors).
    assert "process_cpu_seconds_total" not in text and "python_info" not in text


async def test_queue_is_started_with_the_app_and_stopped_with_the_grace_period():
    queue = RecordingQueue()
    srv = TestServer(create_app(SETTINGS, queue=queue, grace_seconds=3.5), host="127.0.0.1")
    await srv.start_server()
    assert queue.started and queue.stopped_with is None
    await srv.close()
    assert queue.stopped_with == 3.5


async def test_a_delivery_logs_its_id_and_repo_but_never_the_secret_or_signature():
    stream = io.StringIO()
    setup_logging(SETTINGS, stream=stream)
    try:
        app = create_app(SETTINGS, queue=RecordingQueue())
        async with TestServer(app, host="127.0.0.1") as srv, aiohttp.ClientSession() as s:
            url = str(srv.make_url("/webhook"))
            await deliver(s, url, "pull_request", pr_payload("opened"), secret=SECRET, delivery_id="dlv-1")
            await deliver(s, url, "pull_request", pr_payload("opened"), secret="bad", delivery_id="dlv-2")
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "_prodready_handler", False)]:
            root.removeHandler(handler)
    output = stream.getvalue()
    body = json.dumps(pr_payload("opened")).encode()
    assert SECRET not in output
    assert sign(body, SECRET).removeprefix("sha256=") not in output
    entries = [json.loads(line) for line in output.splitlines()]
    enqueued = [e for e in entries if e["message"] == "review enqueued"]
    assert enqueued and enqueued[0]["delivery_id"] == "dlv-1" and enqueued[0]["repo"] == "octo/repo"
    assert enqueued[0]["pr"] == 7 and enqueued[0]["head_sha"] == "a" * 40
    assert any(e["delivery_id"] == "dlv-2" and "signature" in e["message"] for e in entries)
