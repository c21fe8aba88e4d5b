"""Sample commits of open-source applications into eval/real/manifest.json.

The sampling is deterministic: for each repository it walks the non-merge history back
from a pinned head commit, keeps the ordinary commits that add code in a language prodready reviews (not only
docs, lockfiles, translations or generated output, not from a bot, at most MAX_ADDED added lines), takes the
WINDOW most recent of those, and picks PER_REPO of them by the SHA-256 of the commit id.

Run from the project root:

    .venv/bin/python eval/real/build_manifest.py [--mirrors DIR] [--per-repo 32] [--window 250]

Mirrors are bare clones at DIR/OWNER+NAME/repo (default ../.mirror beside the project, or $PRODREADY_EVAL_MIRRORS);
see eval/real/README.md for how to make them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
if str(HERE.parents[1]) not in sys.path:
    sys.path.insert(0, str(HERE.parents[1]))

from eval.real.common import mirror_path, mirrors_root  # noqa: E402

# name, owner/name, languages, kind of application, pinned head (the newest commit the sample is drawn from)
REPOS: list[dict] = [
    {
        "name": "netbox",
        "repo": "netbox-community/netbox",
        "languages": ["python", "javascript", "typescript"],
        "app": "Django web app: network source of truth",
        "head": "43fe81f9e833228c9869f7ddadb67e6c5f145060",
    },
    {
        "name": "healthchecks",
        "repo": "healthchecks/healthchecks",
        "languages": ["python", "javascript"],
        "app": "Django web service: cron job monitoring",
        "head": "29b5ec251059034b79e0120e2ff0c3e35d7bd9f8",
    },
    {
        "name": "uptime-kuma",
        "repo": "louislam/uptime-kuma",
        "languages": ["javascript", "typescript"],
        "app": "Node.js (Express, socket.io) self-hosted monitoring",
        "head": "6398a9581d1c3c427a7536559f47ccf45dac08b4",
    },
    {
        "name": "outline",
        "repo": "outline/outline",
        "languages": ["typescript"],
        "app": "Node.js (Koa, Sequelize) + React wiki",
        "head": "d77dcdf853868c5d5fe125c895c9b71f0eff5c68",
    },
    {
        "name": "linkwarden",
        "repo": "linkwarden/linkwarden",
        "languages": ["typescript"],
        "app": "Next.js + Prisma bookmark manager",
        "head": "7550ebb8907e0cd22e8b3e0785bf3da03ab96e3a",
    },
    {
        "name": "miniflux",
        "repo": "miniflux/v2",
        "languages": ["go", "javascript"],
        "app": "Go web server: feed reader",
        "head": "106cdd09e1557222303f3ed1376e1dadf0638621",
    },
    {
        "name": "gotify",
        "repo": "gotify/server",
        "languages": ["go", "typescript"],
        "app": "Go (gin, gorm) push notification server",
        "head": "d543a8aad22fcbebf25e76d201b4317882b5e148",
    },
    {
        "name": "halo",
        "repo": "halo-dev/halo",
        "languages": ["java", "typescript"],
        "app": "Spring Boot (WebFlux) CMS",
        "head": "38f52f29bfbe236fac2209dc21be40673d558d80",
    },
    {
        "name": "apollo",
        "repo": "apolloconfig/apollo",
        "languages": ["java", "javascript"],
        "app": "Spring Boot configuration service",
        "head": "b4ab0ea9fb6556a8c107705f84677cc28db8f41d",
    },
    {
        "name": "mall",
        "repo": "macrozheng/mall",
        "languages": ["java"],
        "app": "Spring Boot + MyBatis e-commerce backend",
        "head": "74eebe067d4f17b2d0b61691bef2748e3a7daf80",
    },
]

CODE_EXT = {".py", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".go", ".java"}
GENERATED_PARTS = {"node_modules", "vendor", "dist", "build", "static", "locale", "locales", "i18n", "__snapshots__"}
MAX_ADDED = 1500
MIN_CODE_ADDED = 3


def is_code(path: str) -> bool:
    p = PurePosixPath(path)
    if p.suffix not in CODE_EXT:
        return False
    name = p.name
    if name.endswith((".min.js", ".d.ts", ".pb.go", "_gen.go", ".generated.ts")):
        return False
    return not any(part in GENERATED_PARTS for part in p.parts[:-1])


def git(mirror: Path, *args: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={mirror}", *args], check=True, capture_output=True, text=True, errors="replace"
    ).stdout


def numstat(mirror: Path, parent: str, sha: str) -> str | None:
    """The commit's numstat, or None when the mirror lacks a blob it touches."""
    proc = subprocess.run(
        ["git", f"--git-dir={mirror}", "diff-tree", "--numstat", "--no-renames", "-r", parent, sha],
        capture_output=True,
        text=True,
        errors="replace",
    )
    return proc.stdout if proc.returncode == 0 else None


def candidates(mirror: Path, head: str, window: int) -> list[dict]:
    """The WINDOW most recent eligible commits reachable from head, newest first."""
    out = git(mirror, "log", "--no-merges", "--format=%H %P%x01%an%x01%ae%x01%cI", head)
    found: list[dict] = []
    for header in out.splitlines():
        ids, author, email, date = header.split("\x01")
        shas = ids.split()
        if len(shas) != 2:  # a root commit or a merge
            continue
        if "[bot]" in author or "bot@" in email or author.lower() in {"renovate", "dependabot", "weblate"}:
            continue
        body = numstat(mirror, shas[1], shas[0])
        if body is None:
            continue
        files = added = code_added = code_files = 0
        for line in body.splitlines():
            parts = line.split("\t")
            if len(parts) != 3:
                continue
            plus, _minus, path = parts
            files += 1
            n = int(plus) if plus.isdigit() else 0
            added += n
            if is_code(path) and n:
                code_files += 1
                code_added += n
        if code_added < MIN_CODE_ADDED or added > MAX_ADDED:
            continue
        found.append(
            {
                "sha": shas[0],
                "parent": shas[1],
                "date": date,
                "files": files,
                "code_files": code_files,
                "added_lines": added,
                "code_added_lines": code_added,
            }
        )
        if len(found) >= window:
            break
    return found


def sample(repo: dict, mirror: Path, per_repo: int, window: int) -> list[dict]:
    pool = candidates(mirror, repo["head"], window)
    chosen = sorted(pool, key=lambda c: hashlib.sha256(f"{repo['repo']}:{c['sha']}".encode()).hexdigest())[:per_repo]
    return sorted(chosen, key=lambda c: c["date"], reverse=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirrors", help="folder of bare mirrors OWNER+NAME/repo")
    ap.add_argument("--per-repo", type=int, default=32)
    ap.add_argument("--window", type=int, default=250)
    ap.add_argument("--out", default=str(HERE / "manifest.json"))
    args = ap.parse_args(argv)
    root = mirrors_root(args.mirrors)
    repos = []
    for repo in REPOS:
        mirror = mirror_path(root, repo["repo"])
        if not mirror.exists():
            print(
                f"missing mirror {mirror}: git clone --bare https://github.com/{repo['repo']} {mirror}", file=sys.stderr
            )
            return 2
        commits = sample(repo, mirror, args.per_repo, args.window)
        for c in commits:
            c.pop("date")
        repos.append({**repo, "commits": commits})
        print(
            f"{repo['name']:14} {len(commits):3} commits, {sum(c['added_lines'] for c in commits):6} added lines",
            file=sys.stderr,
        )
    manifest = {
        "version": 1,
        "sampling": {
            "per_repo": args.per_repo,
            "window": args.window,
            "max_added_lines": MAX_ADDED,
            "min_code_added_lines": MIN_CODE_ADDED,
        },
        "repos": repos,
    }
    Path(args.out).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    total = sum(len(r["commits"]) for r in repos)
    print(f"{total} commits of {len(repos)} repositories -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
