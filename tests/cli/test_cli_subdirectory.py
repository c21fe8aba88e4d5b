"""`prodready review --git` run from a subdirectory behaves as from the repository root."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_cli import run_cli

CUSTOM_RULE = """id: no-print
language: python
severity: warning
message: print in production code
rule:
  pattern: print($$$ARGS)
"""


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose feature branch adds a call without a timeout under src/pkg."""
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "dev@example.com")
    git(tmp_path, "config", "user.name", "Dev")
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    # The `async def` sits far above the added line, so only a rule that reads the whole file sees it.
    base = "import time\n\nimport requests\n\n\nasync def poll():\n" + "".join(f"    n{n} = {n}\n" for n in range(12))
    (tmp_path / "src" / "pkg" / "pay.py").write_text(base)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    git(tmp_path, "checkout", "-qb", "feature")
    (tmp_path / "src" / "pkg" / "pay.py").write_text(
        base + "    time.sleep(1)\n\n\ndef charge(amount):\n"
        "    print(amount)\n"
        "    return requests.post('https://pay.example.com/charge', json={'amount': amount})\n"
    )
    git(tmp_path, "commit", "-qam", "charge")
    return tmp_path


def review(cwd: Path, rev_range: str) -> dict:
    done = run_cli("review", "--git", rev_range, "--offline", "--format", "json", cwd=cwd)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_the_repository_config_applies_from_a_subdirectory(repo):
    (repo / ".github").mkdir()
    (repo / ".github" / "prodready.yml").write_text("categories: {failure_handling: off}\nfail_on: critical\n")
    from_root = review(repo, "main...HEAD")
    from_sub = review(repo / "src" / "pkg", "main...HEAD")
    assert from_root["findings"] == from_sub["findings"]
    assert not any(f["category"] == "failure_handling" for f in from_sub["findings"])


def test_custom_rules_folder_is_read_from_the_repository_root(repo):
    (repo / ".github").mkdir()
    (repo / ".github" / "rules").mkdir()
    (repo / ".github" / "rules" / "print.yml").write_text(CUSTOM_RULE)
    (repo / ".github" / "prodready.yml").write_text("rules: {custom: .github/rules}\n")
    rules = [f["rule"] for f in review(repo / "src", "main...HEAD")["findings"]]
    assert "no-print" in rules


@pytest.mark.parametrize("rev_range", ["main...HEAD", "main"])
def test_findings_are_the_same_from_a_subdirectory(repo, rev_range):
    # "main" compares the working tree, whose files are read from disk rather than from a commit.
    from_root = review(repo, rev_range)
    assert {"py-requests-without-timeout", "py-blocking-call-in-async"} <= {f["rule"] for f in from_root["findings"]}
    assert review(repo / "src" / "pkg", rev_range)["findings"] == from_root["findings"]
