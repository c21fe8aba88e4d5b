"""A client that opens a webhook request and then sends its body slowly or never."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp.test_utils import TestServer

from bot.server import create_app, webhook
from bot.settings import settings_from_env
from tests.fakes.recording_queue import RecordingQueue


@pytest.mark.timeout(10)
async def test_a_body_that_never_arrives_is_408_and_frees_the_connection(monkeypatch):
    monkeypatch.setattr(webhook, "BODY_READ_TIMEOUT_SECONDS", 0.3)
    queue = RecordingQueue()
    settings = settings_from_env({"GITHUB_WEBHOOK_SECRET": "whsec-test-3f9c2a"})
    async with TestServer(create_app(settings, queue=queue), host="127.0.0.1") as srv:
        reader, writer = await asyncio.open_connection(srv.host, srv.port)
        writer.write(
            b"POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"X-GitHub-Event: pull_request\r\nX-GitHub-Delivery: slow\r\nX-Hub-Signature-256: sha256=00\r\n"
            b"Content-Length: 1000\r\n\r\n{"
        )
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout=5)
        writer.close()
    assert status_line.startswith(b"HTTP/1.1 408")
    assert queue.requests == []
