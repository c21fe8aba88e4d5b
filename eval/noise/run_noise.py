"""Measure static-rule noise on real code: diff two releases of mature projects and count findings.

Usage: .venv/bin/python -m eval.noise.run_noise [--show high]

Source distributions come from PyPI through `pip download` (cached in eval/.cache/noise, git-ignored);
`git diff --no-index` gives the diff. Mature projects' releases are (nearly) free of the production bugs
the rules look for, so what they report there is mostly noise. Target: at most 1 high or critical
finding per 10,000 changed lines outside test files.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
from collections import Counter
from pathlib import Path

from bot.review.config import RepoConfig
from bot.review.diff import parse_diff
from bot.review.models import SEVERITIES
from bot.rules.engine import run_rules
from bot.rules.languages import file_language, is_test_path

CACHE = Path(__file__).resolve().parents[1] / ".cache" / "noise"
PROJECTS = [
    ("requests", "2.31.0", "2.32.3"),
    ("flask", "2.3.3", "3.0.3"),
    ("httpx", "0.25.2", "0.27.2"),
    ("celery", "5.3.6", "5.4.0"),
    ("django", "5.0.9", "5.1.3"),
    ("sqlalchemy", "2.0.30", "2.0.36"),
]


def unpacked(name: str, version: str) -> Path:
    """Return the unpacked sdist of `name==version`, downloading it once."""
    target = CACHE / f"{name}-{version}"
    if target.is_dir():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-binary",
            ":all:",
            "-q",
            "-d",
            str(CACHE),
            f"{name}=={version}",
        ],
        check=True,
        timeout=600,
    )
    archive = next(
        p
        for p in CACHE.iterdir()
        if p.name.lower().startswith(f"{name}-{version}".lower()) and p.name.endswith((".tar.gz", ".tgz"))
    )
    with tarfile.open(archive) as tar:
        tar.extractall(CACHE / f"_{name}", filter="data")
    (next((CACHE / f"_{name}").iterdir())).rename(target)
    (CACHE / f"_{name}").rmdir()
    return target


def release_diff(name: str, old: str, new: str) -> str:
    """Return `git diff --no-index` of the two unpacked releases, with paths relative to the new one."""
    a, b = unpacked(name, old), unpacked(name, new)
    done = subprocess.run(
        [
            "git",
            "diff",
            "--no-index",
            "--no-color",
            "--no-renames",
            f"--src-prefix=a/{name}/",
            f"--dst-prefix=b/{name}/",
            "--",
            a.name,
            b.name,
        ],
        cwd=CACHE,
        capture_output=True,
        timeout=600,
        check=False,
    )
    text = done.stdout.decode("utf-8", "replace")
    # Both trees have their own top folder; present the diff as one project's history.
    return text.replace(f"/{a.name}/", "/").replace(f"/{b.name}/", "/")


def main() -> None:
    """Review each release diff offline and print findings per 10,000 changed lines by severity."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", choices=SEVERITIES, help="print findings at or above this severity")
    args = parser.parse_args()
    total_lines = 0
    total = Counter[str]()
    by_rule = Counter[str]()
    for name, old, new in PROJECTS:
        files = [f for f in parse_diff(release_diff(name, old, new)) if not is_test_path(f.path)]
        code = [f for f in files if file_language(f.path)]
        new_root = unpacked(name, new)
        sources = {}
        for f in code:
            path = new_root / f.path.split("/", 1)[1]
            if path.is_file():
                sources[f.path] = path.read_text(encoding="utf-8", errors="replace")
        result = run_rules(files, sources=sources, config=RepoConfig(), custom_rules={})
        lines = sum(f.changed_lines for f in files)
        counts = Counter(f.severity for f in result.findings)
        by_rule.update(f"{f.severity:8} {f.rule}" for f in result.findings)
        total_lines += lines
        total.update(counts)
        print(f"{name} {old} -> {new}: {lines:,} changed lines, " + ", ".join(f"{s} {counts[s]}" for s in SEVERITIES))
        if args.show:
            rank = SEVERITIES.index(args.show)
            for finding in result.findings:
                if SEVERITIES.index(finding.severity) <= rank:
                    print(f"    {finding.severity:8} {finding.rule}  {finding.path}:{finding.line}")
    per = 10_000 / max(total_lines, 1)
    print(
        f"\nall: {total_lines:,} changed lines outside tests; per 10,000 changed lines: "
        + ", ".join(f"{s} {total[s] * per:.2f}" for s in SEVERITIES)
    )
    print(f"high or critical per 10,000 changed lines: {(total['critical'] + total['high']) * per:.2f} (target <= 1)")
    print("\nfindings by rule:")
    for rule, n in by_rule.most_common():
        print(f"  {n:5}  {rule}")


if __name__ == "__main__":
    main()
