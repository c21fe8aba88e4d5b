"""Offline review speed and memory on a large diff: parse, select, static review; and LLM prompt size.

Run from the repository root: `.venv/bin/python -m bench.bench_review [--files 1000 --lines 50000 --repeat 3]`.
Times are the best of `--repeat` runs; peak memory is measured in a separate run under tracemalloc (which
slows Python down, so it is not timed). With `--llm`, the same files also go through the LLM reviewer
against the fake OpenAI-compatible server of tests/fakes, which reports one token per four characters.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import time
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

from bench.gen_diff import generate_diff
from bot.review.config import BudgetConfig, RepoConfig
from bot.review.diff import parse_diff
from bot.review.pipeline import run_review
from bot.review.selection import select_files
from bot.rules.engine import run_rules

T = TypeVar("T")


def best_of(repeat: int, action: Callable[[], T]) -> tuple[float, T]:
    """Return the shortest wall time of `repeat` runs of `action`, and its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - started)
    return best, result  # type: ignore[return-value]


def bench_offline(text: str, repeat: int) -> None:
    """Print parse, selection and offline review times and the peak memory of all three."""
    config = RepoConfig()
    parse_s, files = best_of(repeat, lambda: parse_diff(text))
    select_s, (selected, skipped) = best_of(repeat, lambda: select_files(files, config))
    review_s, result = best_of(repeat, lambda: asyncio.run(run_review(files, rules=run_rules, config=config, llm=None)))
    changed = sum(f.changed_lines for f in files)
    print(f"diff: {len(text) / 1e6:.1f} MB, {len(files):,} files, {changed:,} changed lines")
    print(f"selected: {len(selected):,} files ({sum(f.changed_lines for f in selected):,} changed lines), ", end="")
    print(f"skipped: {len(skipped):,}")
    print(f"parse:          {parse_s:7.3f} s   ({changed / parse_s / 1e3:,.0f}k changed lines/s)")
    print(f"select:         {select_s:7.3f} s")
    print(f"offline review: {review_s:7.3f} s   (selection + static rules + findings; {len(result.findings)} shown,")
    print(f"                            {len(result.checklist)} checklist items)")

    tracemalloc.start()
    files = parse_diff(text)
    asyncio.run(run_review(files, rules=run_rules, config=config, llm=None))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak Python memory (tracemalloc), parse + review: {peak / 1e6:,.0f} MB")
    print(f"max RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:,.0f} MB")


async def bench_llm(text: str) -> None:
    """Print the prompt tokens per changed line when the LLM reviewer sees the selected files."""
    from bot.settings import LLMSettings
    from bot.wiring import open_reviewer
    from tests.fakes.fake_llm import FakeLLM

    # A budget that covers the whole diff, so the figure is per line the LLM actually saw.
    config = RepoConfig(budget=BudgetConfig(max_prompt_tokens=100_000_000))
    selected, _ = select_files(parse_diff(text), config)
    fake = FakeLLM()
    await fake.start()
    try:
        async with open_reviewer(LLMSettings(api_key=None, base_url=fake.base_url, model="bench")) as reviewer:
            started = time.perf_counter()
            review = await reviewer.review(selected, config=config, static_findings=[])
            wall = time.perf_counter() - started
    finally:
        await fake.stop()
    changed = sum(f.changed_lines for f in selected)
    print(f"LLM (fake server, no latency): {review.calls} calls in {wall:.2f} s, ", end="")
    print(f"{review.prompt_tokens:,} prompt tokens")
    print(f"prompt tokens per changed line: {review.prompt_tokens / max(1, changed):.2f}")
    if review.notes:
        print(f"notes: {'; '.join(review.notes)}")


def main() -> None:
    """Parse arguments and run the benches."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--lines", type=int, default=50_000, help="changed lines in the reviewable files")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--llm", action="store_true", help="also measure prompt tokens with the fake LLM server")
    args = parser.parse_args()
    text = generate_diff(args.files, args.lines)
    bench_offline(text, args.repeat)
    if args.llm:
        asyncio.run(bench_llm(text))


if __name__ == "__main__":
    main()
