"""A burst of signed deliveries against the App as `prodready serve` builds it, with fake GitHub and LLM.

Run: .venv/bin/python -m bench.bench_burst [--pulls 50] [--pushes 2] [--rechecks 1] [--llm-latency 0.2]
Each pull request is opened, pushed to `--pushes` times and rechecked `--rechecks` times: the default is
200 deliveries over 50 pull requests, all sent at once in a shuffled order. Prints the acknowledgement
latency (p50, p99, max), the time until the queue drained, how much work was run or dropped as stale,
and whether the published state keeps the burst's promises. Everything runs in one event loop (server,
client and fakes), so latencies include the fakes' share of the CPU: an upper bound for the server alone.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.wiring import Tuning
from tests.fakes.app_harness import running_app
from tests.fakes.burst_plan import burst_problems, plan_burst
from tests.fakes.fake_github import make_app_key
from tests.fakes.fake_llm import FakeLLM
from tests.fakes.hooked_github import hooked_github

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "samples" / "github" / "small_pr" / "pr.diff"


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile (0..100) by nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered)) - 1))]


async def run(args: argparse.Namespace) -> int:
    private, public = make_app_key()
    llm = FakeLLM(latency=args.llm_latency)
    await llm.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            async with (
                hooked_github(public) as github,
                running_app(
                    github,
                    llm,
                    private_key=private,
                    data_dir=Path(tmp),
                    tuning=Tuning(),
                    env={"PRODREADY_MAX_REVIEWS_PER_HOUR": "100000"},
                ) as world,
            ):
                burst = plan_burst(
                    world,
                    SAMPLE.read_text(),
                    pulls=args.pulls,
                    repos=max(1, args.pulls // 10),
                    pushes=args.pushes,
                    rechecks=args.rechecks,
                )
                order = list(burst.deliveries)
                random.Random(args.seed).shuffle(order)
                latencies: list[float] = []

                async def one(d):  # type: ignore[no-untyped-def]
                    sent = time.perf_counter()
                    status, _ = await world.send(d.event, d.payload, delivery_id=d.delivery_id)
                    latencies.append(time.perf_counter() - sent)
                    return status

                started = time.perf_counter()
                statuses = await asyncio.gather(*(one(d) for d in order))
                acked = time.perf_counter() - started
                await world.settle(seconds=600)
                drained = time.perf_counter() - started
                problems = burst_problems(github, burst)
    finally:
        await llm.stop()
    bad = [s for s in statuses if not 200 <= s < 300]
    print(f"deliveries: {len(order)} over {args.pulls} pull requests, sent at once; non-2xx answers: {len(bad)}")
    print(
        f"ack latency: p50 {percentile(latencies, 50) * 1000:.1f} ms, p99 {percentile(latencies, 99) * 1000:.1f} ms,"
        f" max {max(latencies) * 1000:.1f} ms, mean {statistics.mean(latencies) * 1000:.1f} ms"
    )
    print(f"all acknowledged after {acked:.2f} s; queue drained (all reviews published) after {drained:.2f} s")
    print(
        f"work: {len(github.calls('pulls.get'))} pull request reads, {len(github.review_posts)} reviews posted, "
        f"{len(llm.requests)} LLM calls (fake LLM latency {args.llm_latency:g} s)"
    )
    print("promises kept" if not problems else "PROBLEMS:\n  " + "\n  ".join(problems))
    return 1 if bad or problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pulls", type=int, default=50)
    parser.add_argument("--pushes", type=int, default=2)
    parser.add_argument("--rechecks", type=int, default=1)
    parser.add_argument("--llm-latency", type=float, default=0.2, help="seconds the fake LLM takes per call")
    parser.add_argument("--seed", type=int, default=1)
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
