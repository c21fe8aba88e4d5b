"""GitHub API requests per review of a 50-file, 5,000-changed-line pull request, listed by route.

Run from the repository root: `.venv/bin/python -m bench.bench_github_requests [--files 50 --lines 5000]`.
Target: at most 10 requests plus the source-file fetches (contents of changed files, at most 30).
Four runs: the first review (which also mints the installation token, cached for an hour afterwards),
a review after a one-file push (incremental: adds the compare), a first review with `check_run: true`, and a
push that drops a reviewed file while a 👎 waits on another comment (adds reading that comment's reactions and
closing the addressed comments: the threads query and one mutation, or two when GitHub refuses to resolve).
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter

from bench.bench_github_harness import H1, H2, one_file_push, running
from bench.gen_diff import generate_diff
from tests.fakes.fake_github_diff import join_git_diff, split_git_diff

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
    async with running(diff) as bench:
        await bench.review(H1, "opened")
        comments = bench.repo.review_comments
        dropped = comments[0]["path"]
        downvoted = next(c for c in comments if c["path"] != dropped)
        bench.repo.add_review_reaction(downvoted["id"], "-1", user=bench.pull.user)
        mark = len(bench.github.requests)
        bench.push(join_git_diff([f for f in split_git_diff(diff) if f.filename != dropped]), changed=[dropped])
        await bench.review(H2, "synchronize", before=H1)
        closed = sum(1 for c in comments if c.get("minimized"))
        _report(f"after a push that drops {dropped} ({closed} comments closed) with a 👎 waiting", bench.routes(mark))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--lines", type=int, default=5_000)
    args = parser.parse_args()
    asyncio.run(main(args.files, args.lines))
