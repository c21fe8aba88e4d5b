"""GitHub API requests per review of a 50-file, 5,000-changed-line pull request, listed by route.

Run from the repository root: `.venv/bin/python -m bench.bench_github_requests [--files 50 --lines 5000]`.
Target: at most 10 requests plus the source-file fetches (contents of changed files, at most 30).
Three runs: the first review (which also mints the installation token, cached for an hour afterwards),
a review after a one-file push (incremental: adds the compare), and a first review with `check_run: true`.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter

from bench.bench_github_harness import H1, H2, one_file_push, running
from bench.gen_diff import generate_diff

TARGET = 10


def _report(title: str, routes: Counter[str]) -> None:
    fetches = routes.get("GET contents.get (file)", 0)
    token = routes.get("POST app.token", 0)
    others = sum(routes.values()) - fetches
    verdict = "ok" if others - token <= TARGET else "OVER TARGET"
    print(f"\n{title}: {sum(routes.values())} requests = {others} + {fetches} source-file fetches")
    print(f"  without the token mint (cached between reviews): {others - token} (target <= {TARGET}: {verdict})")
    for route, n in sorted(routes.items()):
        print(f"  {n:4d}  {route}")


async def main(files: int, lines: int) -> None:
    """Run the three reviews and print their requests by route."""
    diff = generate_diff(files, lines, seed=3)
    async with running(diff) as bench:
        await bench.review(H1, "opened")
        _report("first review (opened)", bench.routes())
        mark = len(bench.github.requests)
        pushed, path = one_file_push(diff)
        bench.push(pushed, changed=[path])
        await bench.review(H2, "synchronize", before=H1)
        _report(f"after a push to {path} (synchronize, incremental)", bench.routes(mark))
    async with running(diff, config="check_run: true\n") as bench:
        await bench.review(H1, "opened")
        _report("first review with check_run: true", bench.routes())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--lines", type=int, default=5_000)
    args = parser.parse_args()
    asyncio.run(main(args.files, args.lines))
