"""Score prodready's offline review on the OWASP BenchmarkPython test files, as the Benchmark scorecard does.

Each test file is reviewed as a pull request adding it (`testcode/BenchmarkTestNNNNN.py`, whole file as source,
static rules only); a file is flagged when the review has at least one `security` finding on it. Prints per
Benchmark category TP, FN, TN, FP, TPR, FPR and Youden index (TPR - FPR), once for any security finding and once
for findings of the rules mapped to the file's category (eval/owasp/scoring.py: CATEGORY_RULES); then which
rules fired on vulnerable and on safe files, and every file the review skipped or could not review.

Run from the project root: `.venv/bin/python -m eval.owasp.run [--jobs N] [--json OUT] [--verbose]`.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parents[1]) not in sys.path:
    sys.path.insert(0, str(HERE.parents[1]))

from eval.owasp.benchmark import REPO, TestCase, default_mirror, head_commit, load_cases  # noqa: E402
from eval.owasp.report import Run, report, write_json  # noqa: E402
from eval.owasp.review import FileOutcome, review_file  # noqa: E402


def review_all(cases: list[TestCase], jobs: int) -> list[FileOutcome]:
    """Review every case that has a file, in a pool of `jobs` processes, in the order given."""
    todo = [c for c in cases if c.text is not None]
    paths, texts = [c.path for c in todo], [c.text or "" for c in todo]
    if jobs <= 1:
        return [review_file(p, t) for p, t in zip(paths, texts, strict=True)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(review_file, paths, texts, chunksize=16))


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, review the Benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirror", help=f"bare mirror of {REPO} (default: under $PRODREADY_EVAL_MIRRORS or ../.mirror)")
    ap.add_argument("--jobs", type=int, default=2, help="processes reviewing files in parallel (default 2)")
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON to OUT")
    ap.add_argument("--category", action="append", help="only this Benchmark category (e.g. sqli); repeatable")
    ap.add_argument("--verbose", action="store_true", help="list every file with its verdict and rules")
    args = ap.parse_args(argv)

    mirror = default_mirror(args.mirror)
    if not (mirror / "objects").is_dir():
        print(
            f"no mirror of {REPO} at {mirror}; make it with:\n    git clone --bare https://github.com/{REPO} {mirror}",
            file=sys.stderr,
        )
        return 2
    cases = load_cases(mirror)
    if args.category:
        known = {c.category for c in cases}
        unknown = sorted(set(args.category) - known)
        if unknown:
            print(f"unknown categories {', '.join(unknown)}; known: {', '.join(sorted(known))}", file=sys.stderr)
            return 2
        cases = [c for c in cases if c.category in args.category]
    started = time.monotonic()
    outcomes = review_all(cases, args.jobs)
    run = Run(
        mirror=str(mirror),
        commit=head_commit(mirror),
        cases=cases,
        outcomes={o.path: o for o in outcomes},
        seconds=time.monotonic() - started,
        jobs=args.jobs,
    )
    report(run, verbose=args.verbose)
    if args.json:
        write_json(run, Path(args.json))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
