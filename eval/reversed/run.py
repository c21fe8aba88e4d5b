"""Recall of prodready's offline rules on real bugs, each reversed into the pull request that would bring it in.

For each defect of eval/reversed/manifest.jsonl (a real fix commit of an open-source application, with the
defective lines labelled in its parent) this makes a work tree of the PARENT, the buggy version, through the
cache repositories of eval/real, and runs

    prodready review --git FIX..PARENT --offline --format json

inside it: the diff of that range undoes the fix, so the defective code shows as added lines and the whole
buggy files are at hand. A defect is found when a finding on the labelled path lies within +-3 lines of a
labelled line; found in the right category when such a finding's `category` is the labelled one. Findings of
these reviews on no labelled line are listed apart: candidates for false positives, to be judged by hand.

Run from the project root:

    .venv/bin/python -m eval.reversed.run [--jobs 2] [--mirrors DIR] [--json PATH] [--reuse] [--only ID]

Mirrors are bare clones at DIR/OWNER+NAME/repo, as for eval/real.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parents[1]) not in sys.path:
    sys.path.insert(0, str(HERE.parents[1]))

from eval.real.common import mirror_path, mirrors_root  # noqa: E402
from eval.real.run import cache_repo, git, prodready_command, review_commit  # noqa: E402

MANIFEST = HERE / "manifest.jsonl"
WINDOW = 3


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cache_name(repo: str) -> str:
    """Cache repositories and saved results of this set, apart from eval/real's."""
    return "reversed-" + repo.replace("/", "+")


def near(finding: dict, defect: dict) -> bool:
    if finding["path"] != defect["path"]:
        return False
    start = int(finding["line"])
    end = int(finding.get("end_line") or start)
    return any(start - WINDOW <= n <= end + WINDOW for n in defect["lines"])


def score(defect: dict, findings: list[dict]) -> dict:
    hits = [f for f in findings if near(f, defect)]
    right = [f for f in hits if f.get("category") == defect["category"]]
    return {
        **defect,
        "found": bool(hits),
        "found_right_category": bool(right),
        "rules": sorted({f.get("rule") or f"llm:{f['title']}" for f in (right or hits)}),
        "hit_categories": sorted({f.get("category") for f in hits}),
        "other_findings": [f for f in findings if f not in hits],
    }


def rate(rows: list[dict], key: str) -> str:
    n = len(rows)
    k = sum(1 for r in rows if r[key])
    return f"{k}/{n} = {k / n:.0%}" if n else "n/a"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--mirrors", help="folder of bare mirrors OWNER+NAME/repo")
    ap.add_argument("--manifest", default=str(MANIFEST))
    ap.add_argument("--json", metavar="PATH", help="also write the figures and every defect's outcome as JSON")
    ap.add_argument("--reuse", action="store_true", help="reuse prodready results saved by an earlier run")
    ap.add_argument("--only", action="append", help="only this defect id (repeatable)")
    args = ap.parse_args(argv)

    defects = load(Path(args.manifest))
    if args.only:
        defects = [d for d in defects if d["id"] in args.only]
    root = mirrors_root(args.mirrors)
    missing = sorted({d["repo"] for d in defects if not (mirror_path(root, d["repo"]) / "objects").is_dir()})
    for repo in missing:
        print(
            f"missing mirror of {repo}; make it with:\n    git clone --bare https://github.com/{repo} "
            f"{mirror_path(root, repo)}",
            file=sys.stderr,
        )
    defects = [d for d in defects if d["repo"] not in missing]
    if not defects:
        return 2

    command = prodready_command()
    caches = {repo: cache_repo(cache_name(repo), mirror_path(root, repo)) for repo in {d["repo"] for d in defects}}
    done = 0

    def one(defect: dict):
        nonlocal done
        # The work tree holds the PARENT (buggy) commit; the reviewed range goes from the fix back to it.
        commit = {"sha": defect["parent"], "parent": defect["fix"], "added_lines": 0, "code_added_lines": 0}
        result = review_commit(cache_name(defect["repo"]), caches[defect["repo"]], commit, command, args.reuse)
        done += 1
        if done % 10 == 0:
            print(f"  {done}/{len(defects)} reversed fixes reviewed", file=sys.stderr)
        return defect, result

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes = list(pool.map(one, defects))
    for cache in caches.values():
        git(f"--git-dir={cache}", "worktree", "prune", check=False)

    errors = [(d, r) for d, r in outcomes if r.error]
    rows = [score(d, r.findings) for d, r in outcomes if not r.error]
    report(rows, errors, args)
    return 0


def report(rows: list[dict], errors: list, args) -> None:
    print(f"defects reviewed: {len(rows)} ({len(errors)} failed) from {len({r['repo'] for r in rows})} repositories")
    print(f"recall (a finding within +-{WINDOW} lines of a labelled line): {rate(rows, 'found')}")
    print(f"recall in the labelled category:                        {rate(rows, 'found_right_category')}")
    tables: dict[str, dict[str, object]] = {}
    for title, key in (("category", "category"), ("language", "language"), ("diff kind", "diff_kind")):
        groups: dict[str, list] = defaultdict(list)
        for r in rows:
            groups[r[key]].append(r)
        print(f"\nby {title}:")
        tables[key] = {}
        for name, group in sorted(groups.items()):
            print(
                f"  {name:18} found {rate(group, 'found'):>12}   "
                f"right category {rate(group, 'found_right_category'):>12}"
            )
            tables[key][name] = {
                "defects": len(group),
                "found": sum(r["found"] for r in group),
                "found_right_category": sum(r["found_right_category"] for r in group),
            }

    print("\ndefects:")
    for r in sorted(rows, key=lambda r: (r["language"], not r["found"], r["category"], r["id"])):
        mark = "FOUND " if r["found_right_category"] else ("found*" if r["found"] else "missed")
        detail = ", ".join(r["rules"]) if r["found"] else ""
        if r["found"] and not r["found_right_category"]:
            detail += f"  (category {', '.join(map(str, r['hit_categories']))})"
        print(f"  {mark} {r['language']:10} {r['category']:16} {r['id']:24} {r['shape']:26} {detail}")
    print("  (FOUND: in the labelled category; found*: near the line, another category)")

    others = [(r, f) for r in rows for f in r["other_findings"]]
    by_rule = Counter(f.get("rule") or "(llm)" for _, f in others)
    print(f"\nfindings on no labelled line: {len(others)} (candidates for false positives, not judged here)")
    for rule, n in by_rule.most_common():
        print(f"  {n:4}  {rule}")
    for r, f in others:
        print(f"    {r['id']:24} {f['path']}:{f['line']} {f.get('rule')} ({f['severity']})")
    if errors:
        print("\nfailed reviews:")
        for d, res in errors:
            print(f"    {d['id']}: {res.error}")
    if args.json:
        summary = {
            "defects": len(rows),
            "failed": len(errors),
            "window_lines": WINDOW,
            "found": sum(r["found"] for r in rows),
            "found_right_category": sum(r["found_right_category"] for r in rows),
            "by": tables,
            "other_findings": len(others),
            "other_findings_by_rule": dict(by_rule),
            "outcomes": [
                {
                    k: r[k]
                    for k in (
                        "id",
                        "repo",
                        "language",
                        "category",
                        "shape",
                        "diff_kind",
                        "path",
                        "lines",
                        "found",
                        "found_right_category",
                        "rules",
                    )
                }
                for r in rows
            ],
        }
        Path(args.json).write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
