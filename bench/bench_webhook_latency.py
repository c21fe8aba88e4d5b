"""Acknowledgement latency of POST /webhook against the real app on 127.0.0.1.

Run: .venv/bin/python -m bench.bench_webhook_latency [--deliveries 200] [--queue sqlite|memory]
The server runs in its own process (as in production, the client does not share its event loop).
`sqlite` (default) puts every delivery through the real job runner and its durable store (an fsync per
delivery), with a handler that does nothing; `memory` only records, to show the cost of the HTTP edge alone.
Prints the latency of one delivery at a time (the usual case) and of a burst sent all at once.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.jobs.model import JobRequest
from bot.jobs.runner import JobRunner
from bot.jobs.sqlite_store import SQLiteJobStore
from bot.server import create_app
from bot.server.app import BACKLOG
from bot.settings import settings_from_env

SECRET = "bench-secret"


class MemoryQueue:
    """Record requests; no store, no worker."""

    def __init__(self) -> None:
        self.requests: list[JobRequest] = []

    async def submit(self, request: JobRequest) -> bool:
        self.requests.append(request)
        return True


async def _nothing(request: JobRequest) -> None:
    return None


async def _give_up(request: JobRequest, error: str) -> None:
    return None


async def _serve(queue_kind: str, data_dir: str, ports: multiprocessing.Queue) -> None:
    queue: object = MemoryQueue()
    if queue_kind == "sqlite":
        store = SQLiteJobStore(Path(data_dir))
        await store.open()
        queue = JobRunner(store, _nothing, on_give_up=_give_up)
    app = create_app(settings_from_env({"GITHUB_WEBHOOK_SECRET": SECRET}), queue=queue)  # type: ignore[arg-type]
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0, backlog=BACKLOG).start()
    ports.put(runner.addresses[0][1])
    await asyncio.Event().wait()


def server_process(queue_kind: str, data_dir: str, ports: multiprocessing.Queue) -> None:
    asyncio.run(_serve(queue_kind, data_dir, ports))


def payload(number: int) -> bytes:
    return json.dumps(
        {
            "action": "synchronize",
            "number": number,
            "before": "b" * 40,
            "pull_request": {"number": number, "state": "open", "head": {"sha": f"{number:040x}"}},
            "repository": {"full_name": "octo/bench"},
            "installation": {"id": 1},
            "sender": {"login": "octocat", "type": "User"},
        }
    ).encode()


async def send(session: aiohttp.ClientSession, url: str, number: int) -> float:
    body = payload(number)
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": "pull_request",
        "X-GitHub-Delivery": f"bench-{number}",
        "X-Hub-Signature-256": "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest(),
    }
    started = time.perf_counter()
    async with session.post(url, data=body, headers=headers) as resp:
        await resp.read()
        if resp.status != 202:
            raise RuntimeError(f"delivery {number}: HTTP {resp.status}")
    return time.perf_counter() - started


def report(label: str, latencies: list[float]) -> None:
    ms = sorted(x * 1000 for x in latencies)
    p99 = ms[min(len(ms) - 1, round(0.99 * len(ms)) - 1)]
    print(f"{label}: p50={statistics.median(ms):.1f} ms  p99={p99:.1f} ms  max={ms[-1]:.1f} ms")


async def measure(url: str, deliveries: int) -> None:
    connector = aiohttp.TCPConnector(limit=deliveries)
    async with aiohttp.ClientSession(connector=connector) as session:
        await send(session, url, 10_000_000)  # warm-up: first-call costs
        one_at_a_time = [await send(session, url, 20_000_000 + n) for n in range(deliveries)]
        started = time.perf_counter()
        burst = await asyncio.gather(*(send(session, url, n) for n in range(deliveries)))
        wall = time.perf_counter() - started
    report(f"one at a time ({deliveries})", one_at_a_time)
    report(f"burst of {deliveries} at once", list(burst))
    print(f"burst throughput: {deliveries / wall:.0f} deliveries/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=200)
    parser.add_argument("--queue", choices=("sqlite", "memory"), default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ports: multiprocessing.Queue = multiprocessing.Queue()
        server = multiprocessing.Process(target=server_process, args=(args.queue, tmp, ports), daemon=True)
        server.start()
        try:
            port = ports.get(timeout=30)
            print(f"queue={args.queue}")
            asyncio.run(measure(f"http://127.0.0.1:{port}/webhook", args.deliveries))
        finally:
            server.terminate()
            server.join(10)


if __name__ == "__main__":
    main()
