"""A 3,000-file, 150,000-changed-line pull request through the App path: time, peak memory, token budget.

Run from the repository root: `.venv/bin/python -m bench.bench_big_pr [--files 3000 --lines 150000]`.
GitHub refuses such a diff (406), so the review rebuilds it from the paginated files endpoint.
Targets: peak memory under 500 MB; prompt tokens within `budget.max_prompt_tokens`.
Peak memory is the whole process's high-water RSS (VmHWM), so it includes the fake GitHub and the fake
LLM server running beside the review in the same process: an upper bound for the review itself.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import time
from pathlib import Path

from bench.bench_github_harness import H1, running
from bench.gen_diff import generate_diff
from bot.review.config import RepoConfig

MEMORY_TARGET_MB = 500


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def main(files: int, lines: int) -> None:
    """Review the big pull request once and print the figures."""
    diff = generate_diff(files, lines, seed=5)
    before = peak_rss_mb()
    async with running(diff) as bench:
        started = time.perf_counter()
        await bench.review(H1, "opened")
        seconds = time.perf_counter() - started
        routes = bench.routes()
        tokens = bench.prompt_tokens()
        calls = len(bench.llm.requests)
        summary = bench.repo.issue_comments[0]["body"] if bench.repo.issue_comments else "(no summary posted)"
    peak = peak_rss_mb()
    budget = RepoConfig().budget.max_prompt_tokens
    print(f"pull request: {files:,} files, {lines:,} changed lines, diff {len(diff) / 1e6:.1f} MB")
    # A diff request (Accept: ...diff) was made, and the review still came from the files endpoint: GitHub's 406.
    diff_asked = any(
        "diff" in {k.lower(): v for k, v in r.headers.items()}.get("accept", "")
        for r in bench.github.requests
        if r.route == "pulls.get"
    )
    fell_back = diff_asked and routes.get("GET pulls.files", 0) > 0
    print(f"406 answered, fell back to the files list: {fell_back}; files pages fetched: {routes['GET pulls.files']}")
    print(f"total time: {seconds:.1f} s (fakes answer at once; a real LLM adds its latency)")
    verdict = "ok" if peak < MEMORY_TARGET_MB else "OVER TARGET"
    print(f"peak RSS: {peak:.0f} MB (before the review: {before:.0f} MB; target < {MEMORY_TARGET_MB}: {verdict})")
    held = "held" if tokens <= budget else "EXCEEDED"
    print(f"LLM: {calls} call(s), {tokens:,} prompt tokens; budget {budget:,}: {held}")
    print(f"GitHub requests: {sum(routes.values())}; review comments posted: {len(bench.repo.review_comments)}")
    print(f"summary comment: {len(summary):,} characters (GitHub's limit 65,536)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=3_000)
    parser.add_argument("--lines", type=int, default=150_000)
    args = parser.parse_args()
    asyncio.run(main(args.files, args.lines))
