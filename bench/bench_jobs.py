"""Job store figures: `submit` throughput and latency for concurrent deliveries, and the runner's drain time.

Run from the repository root: `.venv/bin/python -m bench.bench_jobs [--submits 200 --prs 50 --data-dir DIR]`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bot.jobs.model import JobRequest
from bot.jobs.runner import JobRunner
from bot.jobs.sqlite_store import SQLiteJobStore


def request(i: int, prs: int) -> JobRequest:
    """Return delivery `i`, spread over `prs` pull requests, each delivery a distinct head (so some supersede)."""
    return JobRequest(
        delivery_id=f"bench-{i}",
        installation_id=1 + i % 5,
        repo="bench/repo",
        number=i % prs,
        head_sha=f"{i:040x}",
        reason="synchronize",
    )


def percentile(values: list[float], q: float) -> float:
    """Return the q-quantile (0..1) of `values` by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def timed_submit(runner: JobRunner, req: JobRequest) -> float:
    started = time.perf_counter()
    await runner.submit(req)
    return time.perf_counter() - started


async def run(data_dir: Path, submits: int, prs: int) -> None:
    done = 0

    async def handler(req: JobRequest) -> None:
        nonlocal done
        done += 1

    async def give_up(req: JobRequest, error: str) -> None:
        print(f"gave up on {req.delivery_id}: {error}")

    runner = JobRunner(SQLiteJobStore(data_dir), handler, on_give_up=give_up, concurrency=8, close_store=True)
    await runner.start()
    started = time.perf_counter()
    latencies = await asyncio.gather(*(timed_submit(runner, request(i, prs)) for i in range(submits)))
    elapsed = time.perf_counter() - started
    await runner.wait_idle()
    drained = time.perf_counter() - started
    await runner.stop()
    ms = [1000 * x for x in latencies]
    print(f"{submits} concurrent submits over {prs} pull requests, store in {data_dir}")
    print(f"  submit throughput : {submits / elapsed:,.0f} /s ({elapsed * 1000:.0f} ms in all)")
    p50, p99, mean = percentile(ms, 0.5), percentile(ms, 0.99), statistics.fmean(ms)
    print(f"  submit latency    : p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(ms):.1f} ms, mean {mean:.1f} ms")
    print(f"  handler runs      : {done} (the rest superseded by a newer head), all drained in {drained:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--submits", type=int, default=200)
    parser.add_argument("--prs", type=int, default=50)
    parser.add_argument("--data-dir", type=Path, help="where the store lives (default: a temporary dir)")
    args = parser.parse_args()
    if args.data_dir:
        asyncio.run(run(args.data_dir, args.submits, args.prs))
        return
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(Path(tmp), args.submits, args.prs))


if __name__ == "__main__":
    main()
