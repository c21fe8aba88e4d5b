"""Run prodready's offline review on real application commits and score its findings against verdicts.

For each commit of eval/real/manifest.json this makes a work tree of the commit (from a bare mirror of the
repository, through a small cache repository under eval/.cache/ that borrows the mirror's objects), runs

    prodready review --git PARENT..COMMIT --offline --format json

inside it, as a CI job would, and matches every finding against eval/real/verdicts.jsonl by
(repo, commit, path, line, rule). It prints findings per 1,000 added lines, precision overall and on
high+critical findings (true / (true + false); debatable ones are counted apart), per-rule counts, the commits
that would fail CI at fail_on high, and the findings that have no verdict yet.

Run from the project root:

    .venv/bin/python -m eval.real.run [--jobs 8] [--repo NAME] [--mirrors DIR] [--write-unjudged PATH]
                                      [--json PATH] [--reuse]

Mirrors are bare clones at DIR/OWNER+NAME/repo (DIR: --mirrors, else $PRODREADY_EVAL_MIRRORS, else
../.mirror beside the project). A missing one is named with the command that makes it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parents[1]) not in sys.path:
    sys.path.insert(0, str(HERE.parents[1]))

from eval.real.common import CACHE, mirror_path, mirrors_root  # noqa: E402

MANIFEST = HERE / "manifest.json"
VERDICTS = HERE / "verdicts.jsonl"
VERDICT_VALUES = ("true", "false", "debatable")
SEVERITIES = ("critical", "high", "medium", "low")
FAIL_ON = ("critical", "high")


@dataclass
class CommitResult:
    repo: str
    sha: str
    added_lines: int
    code_added_lines: int
    findings: list[dict] = field(default_factory=list)
    error: str | None = None
    missing_blobs: int = 0


def prodready_command() -> list[str]:
    """The console script of the running interpreter's environment (not `python -m bot`: a checked-out
    repository may have its own `bot` package in the working directory)."""
    script = Path(sys.executable).parent / "prodready"
    if script.exists():
        return [str(script)]
    found = shutil.which("prodready")
    if found:
        return [found]
    raise SystemExit("prodready is not installed: run `.venv/bin/pip install -e '.[test]'` first")


def cache_repo(name: str, mirror: Path) -> Path:
    """A bare repository under eval/.cache/repos that borrows the mirror's objects, so that work trees are
    registered there and the mirror itself is never written to."""
    repo = CACHE / "repos" / f"{name}.git"
    if not (repo / "HEAD").exists():
        repo.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    alternates = repo / "objects" / "info" / "alternates"
    alternates.parent.mkdir(parents=True, exist_ok=True)
    alternates.write_text(str(mirror.resolve() / "objects") + "\n", encoding="utf-8")
    return repo


_LOCKS: dict[str, threading.Lock] = defaultdict(threading.Lock)


def git(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, errors="replace", check=check)


def review_commit(repo_name: str, repo: Path, commit: dict, command: list[str], reuse: bool) -> CommitResult:
    sha, parent = commit["sha"], commit["parent"]
    result = CommitResult(repo_name, sha, commit["added_lines"], commit["code_added_lines"])
    saved = CACHE / "results" / repo_name / f"{sha}.json"
    if reuse and saved.exists():
        data = json.loads(saved.read_text(encoding="utf-8"))
        result.findings = data["findings"]
        result.missing_blobs = data.get("missing_blobs", 0)
        return result
    (CACHE / "worktrees").mkdir(parents=True, exist_ok=True)
    tree = Path(tempfile.mkdtemp(prefix=f"{repo_name}-{sha[:10]}-", dir=CACHE / "worktrees"))
    try:
        # --no-checkout + read-tree + checkout-index: a mirror may lack a few large blobs; those files are left
        # out of the work tree instead of failing the whole checkout.
        # git reads every registered work tree's metadata while adding one: one at a time per repository.
        with _LOCKS[str(repo)]:
            git(f"--git-dir={repo}", "worktree", "add", "-q", "--detach", "--no-checkout", str(tree), sha)
        git("read-tree", sha, cwd=tree)
        co = git("checkout-index", "-a", "-f", cwd=tree, check=False)
        result.missing_blobs = co.stderr.count("unable to read")
        env = {**os.environ, "NO_COLOR": "1"}
        env.pop("OPENAI_API_KEY", None)
        env.pop("OPENAI_BASE_URL", None)
        proc = subprocess.run(
            [*command, "review", "--git", f"{parent}..{sha}", "--offline", "--format", "json"],
            cwd=tree,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        if proc.returncode not in (0, 1):
            result.error = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
            return result
        result.findings = json.loads(proc.stdout)["findings"]
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(
            json.dumps({"findings": result.findings, "missing_blobs": result.missing_blobs}), encoding="utf-8"
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, json.JSONDecodeError, KeyError) as exc:
        detail = getattr(exc, "stderr", None) or str(exc)
        result.error = str(detail).strip().splitlines()[-1] if str(detail).strip() else type(exc).__name__
    finally:
        with _LOCKS[str(repo)]:
            git(f"--git-dir={repo}", "worktree", "remove", "--force", str(tree), check=False)
        shutil.rmtree(tree, ignore_errors=True)
    return result


def load_verdicts(path: Path) -> dict[tuple, dict]:
    verdicts: dict[tuple, dict] = {}
    if not path.exists():
        return verdicts
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        v = json.loads(line)
        if v.get("verdict") not in VERDICT_VALUES:
            raise SystemExit(f"{path}:{n}: verdict must be one of {', '.join(VERDICT_VALUES)}")
        verdicts[(v["repo"], v["commit"], v["path"], int(v["line"]), v["rule"])] = v
    return verdicts


def key(repo: str, sha: str, f: dict) -> tuple:
    return (repo, sha, f["path"], int(f["line"]), f.get("rule") or "")


def precision(c: Counter) -> str:
    judged = c["true"] + c["false"]
    return f"{c['true'] / judged:.0%}" if judged else "n/a"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 4)
    ap.add_argument("--repo", action="append", help="only this repository (name or owner/name); repeatable")
    ap.add_argument("--mirrors", help="folder of bare mirrors OWNER+NAME/repo")
    ap.add_argument("--manifest", default=str(MANIFEST))
    ap.add_argument("--verdicts", default=str(VERDICTS))
    ap.add_argument("--write-unjudged", metavar="PATH", help="write findings without a verdict as JSON lines")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    ap.add_argument("--reuse", action="store_true", help="reuse prodready results cached by an earlier run")
    ap.add_argument("--verbose", action="store_true", help="list every finding with its verdict")
    args = ap.parse_args(argv)

    manifest = json.loads(Path(args.manifest).read_text(encoding="utf-8"))
    repos = manifest["repos"]
    if args.repo:
        repos = [r for r in repos if r["name"] in args.repo or r["repo"] in args.repo]
        if not repos:
            print(f"no repository named {', '.join(args.repo)} in the manifest", file=sys.stderr)
            return 2
    root = mirrors_root(args.mirrors)
    missing = [r for r in repos if not (mirror_path(root, r["repo"]) / "objects").is_dir()]
    for r in missing:
        path = mirror_path(root, r["repo"])
        print(
            f"missing mirror of {r['repo']} at {path}; make it with:\n"
            f"    git clone --bare https://github.com/{r['repo']} {path}",
            file=sys.stderr,
        )
    repos = [r for r in repos if r not in missing]
    if not repos:
        return 2

    command = prodready_command()
    verdicts = load_verdicts(Path(args.verdicts))
    tasks = []
    for r in repos:
        cache = cache_repo(r["name"], mirror_path(root, r["repo"]))
        tasks += [(r["repo"], r["name"], cache, c) for c in r["commits"]]
    done = 0

    def one(task):
        nonlocal done
        repo, name, cache, commit = task
        res = review_commit(name, cache, commit, command, args.reuse)
        res.repo = repo
        done += 1
        if done % 25 == 0:
            print(f"  {done}/{len(tasks)} commits reviewed", file=sys.stderr)
        return res

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(one, tasks))
    for r in repos:
        git(f"--git-dir={cache_repo(r['name'], mirror_path(root, r['repo']))}", "worktree", "prune", check=False)

    report(results, verdicts, args)
    return 0


def report(results: list[CommitResult], verdicts: dict[tuple, dict], args) -> None:
    errors = [r for r in results if r.error]
    ok = [r for r in results if not r.error]
    added = sum(r.added_lines for r in ok)
    code_added = sum(r.code_added_lines for r in ok)
    findings = [(r, f) for r in ok for f in r.findings]
    by_rule: dict[str, Counter] = defaultdict(Counter)
    overall: Counter[str] = Counter()
    high: Counter[str] = Counter()
    by_sev: Counter[str] = Counter()
    by_repo: dict[str, Counter[str]] = defaultdict(Counter)
    unjudged, seen = [], set()
    failing: dict[tuple, list] = defaultdict(list)
    for r, f in findings:
        k = key(r.repo, r.sha, f)
        seen.add(k)
        v = verdicts.get(k)
        label = v["verdict"] if v else "unjudged"
        rule = f.get("rule") or "(none)"
        by_rule[rule][label] += 1
        by_rule[rule]["findings"] += 1
        overall[label] += 1
        by_sev[f["severity"]] += 1
        by_repo[r.repo][label] += 1
        by_repo[r.repo]["findings"] += 1
        if f["severity"] in FAIL_ON:
            high[label] += 1
            failing[(r.repo, r.sha)].append(label)
        if not v:
            unjudged.append(
                {
                    "repo": r.repo,
                    "commit": r.sha,
                    "path": f["path"],
                    "line": f["line"],
                    "end_line": f.get("end_line"),
                    "rule": f.get("rule"),
                    "severity": f["severity"],
                    "category": f["category"],
                    "title": f["title"],
                    "body": f["body"],
                }
            )
        if args.verbose:
            print(f"{label:9} {f['severity']:8} {rule:34} {r.repo} {r.sha[:10]} {f['path']}:{f['line']}")
    stale = [
        k
        for k in verdicts
        if k not in seen and k[0] in {r.repo for r in results} and (k[0], k[1]) in {(r.repo, r.sha) for r in ok}
    ]

    per_k = 1000 * len(findings) / added if added else 0.0
    per_k_code = 1000 * len(findings) / code_added if code_added else 0.0
    print(
        f"commits reviewed: {len(ok)} of {len(results)} ({len(errors)} failed) in "
        f"{len({r.repo for r in results})} repositories"
    )
    print(f"added lines: {added} ({code_added} in code files)")
    print(
        f"findings: {len(findings)} = {per_k:.2f} per 1,000 added lines ({per_k_code:.2f} per 1,000 added code "
        f"lines); by severity: " + ", ".join(f"{s} {by_sev[s]}" for s in SEVERITIES)
    )
    for name, c in (("overall", overall), ("high+critical", high)):
        print(
            f"precision {name}: {precision(c)}  (true {c['true']}, false {c['false']}, debatable "
            f"{c['debatable']}, unjudged {c['unjudged']})"
        )
    print(
        f"commits that would fail CI at fail_on high: {len(failing)} of {len(ok)}; with at least one true "
        f"high+critical finding: {sum(1 for labels in failing.values() if 'true' in labels)}"
    )
    for (repo, sha), labels in sorted(failing.items()):
        print(f"    {repo} {sha[:12]}  " + ", ".join(f"{n} {lab}" for lab, n in sorted(Counter(labels).items())))
    print("\nper rule:")
    print(f"  {'rule':36} {'found':>5} {'true':>5} {'false':>5} {'debat':>5} {'unjdg':>5}  precision")
    for rule, c in sorted(by_rule.items(), key=lambda kv: (-kv[1]["findings"], kv[0])):
        print(
            f"  {rule:36} {c['findings']:5} {c['true']:5} {c['false']:5} {c['debatable']:5} {c['unjudged']:5}"
            f"  {precision(c)}"
        )
    print("\nper repository:")
    for repo, c in sorted(by_repo.items()):
        print(
            f"  {repo:28} findings {c['findings']:3}  true {c['true']:3}  false {c['false']:3}  "
            f"debatable {c['debatable']:3}  unjudged {c['unjudged']:3}  precision {precision(c)}"
        )
    if errors:
        print("\nfailed commits:")
        for r in errors:
            print(f"    {r.repo} {r.sha[:12]}: {r.error}")
    missing_blobs = sum(r.missing_blobs for r in ok)
    if missing_blobs:
        print(
            f"\nnote: {missing_blobs} file(s) were absent from the mirrors and left out of their work trees "
            f"(none is in a reviewed diff: the manifest only holds commits whose diff the mirror can show)"
        )
    if stale:
        print(f"\n{len(stale)} verdict(s) match no finding of today's run (the rules changed):")
        for k in stale[:20]:
            print(f"    {k[0]} {k[1][:12]} {k[2]}:{k[3]} {k[4]}")
    if unjudged:
        print(f"\n{len(unjudged)} finding(s) have no verdict yet:")
        for u in unjudged[:50]:
            print(f"    {u['repo']} {u['commit'][:12]} {u['path']}:{u['line']} {u['rule']} ({u['severity']})")
        if len(unjudged) > 50:
            print(f"    ... and {len(unjudged) - 50} more")
    if args.write_unjudged:
        Path(args.write_unjudged).write_text("".join(json.dumps(u) + "\n" for u in unjudged), encoding="utf-8")
        print(f"wrote {len(unjudged)} unjudged finding(s) to {args.write_unjudged}")
    if args.json:
        summary = {
            "commits": len(ok),
            "failed_commits": len(errors),
            "added_lines": added,
            "code_added_lines": code_added,
            "findings": len(findings),
            "findings_per_1000_added_lines": round(per_k, 3),
            "by_severity": dict(by_sev),
            "overall": dict(overall),
            "high_critical": dict(high),
            "ci_failing_commits": len(failing),
            "rules": {rule: dict(c) for rule, c in by_rule.items()},
        }
        Path(args.json).write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
