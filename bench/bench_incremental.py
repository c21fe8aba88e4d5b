"""LLM prompt tokens of an incremental review after a one-file push, as a share of the full review's.

Run from the repository root: `.venv/bin/python -m bench.bench_incremental [--files 50 --lines 5000]`.
Target: at most 10%. The full review is the first one (opened); the incremental one follows a push that
edits a few lines of one file, with GitHub's compare listing that file. Tokens are what the fake LLM
server reports (one per four characters of each message, plus four per message).
"""

from __future__ import annotations

import argparse
import asyncio

from bench.bench_github_harness import H1, H2, one_file_push, running
from bench.gen_diff import generate_diff

TARGET = 0.10


async def main(files: int, lines: int) -> None:
    """Run a full and an incremental review and print their prompt tokens."""
    diff = generate_diff(files, lines, seed=3)
    async with running(diff) as bench:
        await bench.review(H1, "opened")
        full, full_calls = bench.prompt_tokens(), len(bench.llm.requests)
        mark = len(bench.llm.requests)
        pushed, path = one_file_push(diff)
        bench.push(pushed, changed=[path])
        await bench.review(H2, "synchronize", before=H1)
        incremental, calls = bench.prompt_tokens(mark), len(bench.llm.requests) - mark
    share = incremental / full if full else 0.0
    print(f"pull request: {files} files, {lines:,} changed lines; push changed {path}")
    print(f"full review:        {full:>8,} prompt tokens in {full_calls} LLM call(s)")
    print(f"incremental review: {incremental:>8,} prompt tokens in {calls} LLM call(s)")
    verdict = "ok" if share <= TARGET else "OVER TARGET"
    print(f"share: {share:.1%} (target <= {TARGET:.0%}: {verdict})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--lines", type=int, default=5_000)
    args = parser.parse_args()
    asyncio.run(main(args.files, args.lines))
