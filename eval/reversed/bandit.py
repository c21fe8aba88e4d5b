"""bandit on the Python defects of the reversed set, for comparison with prodready's recall.

Each labelled Python file is given to bandit whole, as it is in the parent (the buggy version), and a defect
counts as found when any bandit result lies within +-3 lines of a labelled line: the same window as run.py,
but bandit sees every line of the file, not only the lines the reversed diff adds, so the comparison favours it.

bandit is not a dependency of prodready: install it anywhere and pass its path.

    .venv/bin/python -m eval.reversed.bandit [--bandit PATH] [--mirrors DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from eval.real.common import mirror_path, mirrors_root
from eval.reversed.run import MANIFEST, WINDOW


def bandit_lines(bandit: str, name: str, source: bytes) -> list[tuple[str, int]]:
    """Return (test id, line) of every bandit result on one file's text."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(source)
        done = subprocess.run([bandit, "-f", "json", "-q", str(path)], capture_output=True, text=True, timeout=120)
    if not done.stdout.strip():
        raise RuntimeError(f"bandit gave no report on {name}: {done.stderr.strip()[:200]}")
    return [(r["test_id"], r["line_number"]) for r in json.loads(done.stdout)["results"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bandit", default="bandit", help="the bandit executable (default: bandit on PATH)")
    parser.add_argument("--mirrors", help="folder of the bare mirrors (default ../.mirror)")
    args = parser.parse_args(argv)
    root = mirrors_root(args.mirrors)
    found = total = 0
    for line in MANIFEST.read_text().splitlines():
        defect = json.loads(line)
        if defect["language"] != "python":
            continue
        total += 1
        mirror = mirror_path(root, defect["repo"])
        shown = subprocess.run(
            ["git", f"--git-dir={mirror}", "show", f"{defect['parent']}:{defect['path']}"], capture_output=True
        )
        if shown.returncode != 0:
            print(f"  error  {defect['id']}: not in the mirror at {mirror}", file=sys.stderr)
            continue
        results = bandit_lines(args.bandit, Path(defect["path"]).name, shown.stdout)
        near = [f"{test}:{n}" for test, n in results if any(abs(n - want) <= WINDOW for want in defect["lines"])]
        found += bool(near)
        print(f"  {'FOUND ' if near else 'missed'} {defect['id']:<26} {defect['category']:<17} {' '.join(near)}")
    print(f"bandit on the Python defects: {found}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
