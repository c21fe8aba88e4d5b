"""Read the OWASP BenchmarkPython test cases from its bare mirror: expected results and test files."""

from __future__ import annotations

import csv
import io
import subprocess
from dataclasses import dataclass
from pathlib import Path

from eval.real.common import mirror_path, mirrors_root

REPO = "OWASP-Benchmark/BenchmarkPython"
TEST_DIR = "testcode"


@dataclass(frozen=True, slots=True)
class TestCase:
    """One Benchmark test: a Flask handler file, really vulnerable or its safe twin."""

    __test__ = False  # not a pytest class

    name: str
    category: str
    vulnerable: bool
    cwe: str
    path: str
    text: str | None  # None when the mirror has no such file


def default_mirror(given: str | None = None) -> Path:
    """--mirror, else the Benchmark's mirror under $PRODREADY_EVAL_MIRRORS or ../.mirror beside the project."""
    return Path(given) if given else mirror_path(mirrors_root(), REPO)


def _git(mirror: Path, *args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(["git", f"--git-dir={mirror}", *args], input=stdin, capture_output=True, check=True).stdout


def head_commit(mirror: Path) -> str:
    """Return the commit the test cases are read from (the mirror's HEAD)."""
    return _git(mirror, "rev-parse", "HEAD").decode().strip()


def expected_results_path(mirror: Path) -> str:
    """Return the name of the expected results file at the root (`expectedresults-VERSION.csv`)."""
    names = _git(mirror, "ls-tree", "--name-only", "HEAD").decode().splitlines()
    found = sorted(n for n in names if n.startswith("expectedresults-") and n.endswith(".csv"))
    if not found:
        raise SystemExit(f"{mirror}: no expectedresults-*.csv at the root of HEAD")
    return found[-1]


def load_cases(mirror: Path) -> list[TestCase]:
    """Return every test of the expected results, with its file's text, in the order of the CSV."""
    table = _git(mirror, "show", f"HEAD:{expected_results_path(mirror)}").decode("utf-8")
    rows = [r for r in csv.reader(io.StringIO(table)) if r and not r[0].lstrip().startswith("#")]
    paths = [f"{TEST_DIR}/{r[0].strip()}.py" for r in rows]
    texts = _read_blobs(mirror, paths)
    return [
        TestCase(r[0].strip(), r[1].strip(), r[2].strip().lower() == "true", r[3].strip(), p, texts.get(p))
        for r, p in zip(rows, paths, strict=True)
    ]


def _read_blobs(mirror: Path, paths: list[str]) -> dict[str, str]:
    """Read many files of HEAD through one `git cat-file --batch`; files the mirror lacks are left out."""
    out = _git(mirror, "cat-file", "--batch", stdin="".join(f"HEAD:{p}\n" for p in paths).encode())
    texts: dict[str, str] = {}
    pos = 0
    for path in paths:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if header[-1] == b"missing":
            continue
        size = int(header[2])
        texts[path] = out[pos : pos + size].decode("utf-8", errors="replace")
        pos += size + 1  # the blob is followed by a newline
    return texts
