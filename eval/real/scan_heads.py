"""Review whole files of each application at its pinned head, as if a pull request added them.

The commit sample rarely holds the code the injection and same-function rules are about; their own files do.
Each non-test code file of a manifest repository (a seeded sample of `--per-repo` files) is reviewed offline
with the whole file as context, and every finding of the chosen severities is printed as a JSON line, with the
verdict from `head_verdicts.jsonl` when one is there (matched by repo, path, line, rule).

Run from the project root:
`.venv/bin/python -m eval.real.scan_heads [--per-repo 600] [--min-severity high] [--jobs 3]
[--write-unjudged P] [--write-found P]`.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bot.review.config import RepoConfig
from bot.review.diff import parse_diff
from bot.review.models import SEVERITIES, at_least
from bot.review.selection import skip_reason
from bot.rules.engine import run_rules
from bot.rules.languages import is_test_path
from eval.owasp.review import added_file_diff
from eval.real.common import mirror_path, mirrors_root

HERE = Path(__file__).parent
VERDICTS = HERE / "head_verdicts.jsonl"
# The applications outside the tuning set, and their verdicts, kept apart from the ten of manifest.json.
SETS = {
    "apps": (HERE / "manifest.json", VERDICTS),
    "outside": (HERE / "outside.json", HERE / "outside_verdicts.jsonl"),
}
CODE = (".py", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".go", ".java")
SKIP = ("node_modules/", "vendor/", "/dist/", ".min.", "/generated/", "third_party/")
MAX_FILE = 300_000


def finding_key(finding: dict[str, object]) -> tuple[object, object, object, object]:
    """The key a verdict is matched by: repository, path, line and rule."""
    return (finding["repo"], finding["path"], finding["line"], finding["rule"])


def code_files(mirror: Path, head: str) -> list[str]:
    """Return the non-test code files of the tree at `head`."""
    listed = subprocess.run(
        ["git", f"--git-dir={mirror}", "ls-tree", "-r", "--name-only", head], capture_output=True, text=True
    ).stdout.split("\n")
    return [p for p in listed if p.endswith(CODE) and not is_test_path(p) and not any(s in p for s in SKIP)]


def review_file(job: tuple[str, str, str, str]) -> list[dict[str, object]]:
    """Review one file of one repository at its head; return its findings."""
    repo, mirror, head, path = job
    shown = subprocess.run(["git", f"--git-dir={mirror}", "show", f"{head}:{path}"], capture_output=True)
    try:
        text = shown.stdout.decode("utf-8")
    except UnicodeDecodeError:
        return []
    if not text.strip() or len(text) > MAX_FILE:
        return []
    diffs = parse_diff(added_file_diff(path, text))
    if any(skip_reason(d) is not None for d in diffs):
        return []  # a pull request's review skips it too (generated, minified, too large)
    result = run_rules(
        diffs,
        sources={path: text},
        config=RepoConfig(max_comments=200, min_severity="low"),
        custom_rules={},
    )
    return [
        {
            "repo": repo,
            "head": head,
            "path": path,
            "line": f.line,
            "rule": f.rule,
            "severity": f.severity,
            "title": f.title,
            "body": f.body,
        }
        for f in result.findings
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-repo", type=int, default=600, help="files sampled per repository (default 600)")
    parser.add_argument("--min-severity", choices=SEVERITIES, default="high")
    parser.add_argument("--jobs", type=int, default=3)
    parser.add_argument("--mirrors", help="folder of the bare mirrors (default ../.mirror)")
    parser.add_argument("--write-unjudged", metavar="PATH", help="write findings without a verdict as JSON lines")
    parser.add_argument("--write-found", metavar="PATH", help="write every finding with its verdict as JSON lines")
    parser.add_argument("--list", metavar="RULE", action="append", default=[], help="print each finding of RULE")
    parser.add_argument(
        "--repo", action="append", default=[], help="only this repository (owner/name; repeatable), for a quick check"
    )
    parser.add_argument(
        "--set",
        choices=sorted(SETS),
        default="apps",
        help="apps: the ten applications of manifest.json (default); outside: those of outside.json",
    )
    args = parser.parse_args(argv)
    manifest_path, verdicts_path = SETS[args.set]
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    root = mirrors_root(args.mirrors)
    jobs: list[tuple[str, str, str, str]] = []
    for entry in manifest["repos"]:
        if args.repo and entry["repo"] not in args.repo:
            continue
        mirror = mirror_path(root, entry["repo"])
        if not mirror.exists():
            print(f"missing mirror: {mirror}", file=sys.stderr)
            continue
        files = code_files(mirror, entry["head"])
        random.Random(entry["repo"]).shuffle(files)
        jobs.extend((entry["repo"], str(mirror), entry["head"], p) for p in sorted(files[: args.per_repo]))
    verdicts = {}
    if verdicts_path.exists():
        for line in verdicts_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                v = json.loads(line)
                verdicts[(v["repo"], v["path"], v["line"], v["rule"])] = v["verdict"]
    found: list[dict[str, object]] = []
    with ProcessPoolExecutor(args.jobs) as pool:
        for findings in pool.map(review_file, jobs, chunksize=8):
            found.extend(f for f in findings if at_least(str(f["severity"]), args.min_severity))  # type: ignore[arg-type]
    counts: Counter[tuple[str, str]] = Counter()
    unjudged = []
    for f in found:
        verdict = verdicts.get(finding_key(f), "unjudged")
        counts[(str(f["rule"]), verdict)] += 1
        if verdict == "unjudged":
            unjudged.append(f)
    true, false = (
        sum(n for (_, v), n in counts.items() if v == "true"),
        sum(n for (_, v), n in counts.items() if v == "false"),
    )
    repos = len({repo for repo, *_ in jobs})
    print(f"files reviewed: {len(jobs)} in {repos} repositories; findings at {args.min_severity}+: {len(found)}")
    precision = f"{true / (true + false):.0%}" if true + false else "n/a"
    print(f"precision: {precision} (true {true}, false {false}, unjudged {len(unjudged)})")
    for rule in sorted({r for r, _ in counts}):
        row = {v: counts[(rule, v)] for v in ("true", "false", "debatable", "unjudged")}
        print(f"  {rule:40} " + "  ".join(f"{k} {n}" for k, n in row.items()))
    for f in found:
        if f["rule"] in args.list:
            verdict = verdicts.get(finding_key(f), "unjudged")
            print(f"{f['rule']} {verdict:9} {f['repo']} {f['path']}:{f['line']}")
    if args.write_found:
        judged = [{**f, "verdict": verdicts.get(finding_key(f), "unjudged")} for f in found]
        Path(args.write_found).write_text("".join(json.dumps(f) + "\n" for f in judged), encoding="utf-8")
    if args.write_unjudged:
        Path(args.write_unjudged).write_text("".join(json.dumps(f) + "\n" for f in unjudged), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
