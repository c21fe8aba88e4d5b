"""The command line at its edges: a closed stdout, usage errors, and custom rules read like the server reads them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.rules.custom_files import MAX_RULE_BYTES
from bot.rules.loader import MAX_CUSTOM_FILES
from tests.cli.test_cli import CUSTOM_RULE, PRINT_DIFF, ROOT, run_cli


def test_a_closed_stdout_ends_the_command_quietly():
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written, as with `| head` done early
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "rules"],
            cwd=ROOT,
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=env,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.stderr == b""
    assert done.returncode == 1


def test_a_usage_error_names_the_help_of_the_command_it_came_from():
    top = run_cli("--no-such-option")
    assert top.returncode == 2
    assert b"prodready prodready" not in top.stderr
    assert b"'prodready --help'" in top.stderr
    sub = run_cli("review")
    assert b"'prodready review --help'" in sub.stderr


def write_repo(tmp_path: Path, rules: dict[str, str]) -> Path:
    repo = tmp_path / "repo"
    (repo / "rules").mkdir(parents=True)
    for name, text in rules.items():
        (repo / "rules" / name).write_text(text)
    (repo / "cfg.yml").write_text("rules: {custom: rules}\n")
    return repo


def review_text(repo: Path) -> str:
    args = ("review", "--diff", "-", "--offline", "--config", "cfg.yml")
    return run_cli(*args, cwd=repo, stdin=PRINT_DIFF).stdout.decode()


def test_custom_rules_are_capped_and_reported_as_on_the_server(tmp_path):
    names = {f"r{i:03}.yml": CUSTOM_RULE.replace("id: no-print", f"id: no-print-{i}") for i in range(60)}
    out = review_text(write_repo(tmp_path, names))
    assert f"only the first {MAX_CUSTOM_FILES} rule files are used" in out


def test_an_oversized_custom_rule_is_named_by_its_path_and_skipped(tmp_path):
    big = CUSTOM_RULE + "# " + "x" * MAX_RULE_BYTES + "\n"
    out = review_text(write_repo(tmp_path, {"big.yml": big, "print.yml": CUSTOM_RULE}))
    assert "rules/big.yml could not be read (too large or not text)" in out
    assert "no-print" in out
