"""The command line as a user runs it: a real subprocess, real files, exit codes and streams."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "risky-checkout.diff"


def run_cli(*args: str, cwd: Path = ROOT, stdin: bytes | None = None, env: dict[str, str] | None = None):
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PRODREADY_"))}
    base_env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env={**base_env, **(env or {})},
        timeout=120,
        check=False,
    )


def assert_one_line_error(done: subprocess.CompletedProcess[bytes], fragment: str) -> None:
    assert done.returncode == 2, done.stderr
    err = done.stderr.decode()
    assert err.count("\n") == 1, err
    assert err.startswith("prodready: ")
    assert fragment in err
    assert "Traceback" not in err


def test_example_offline_json_is_version_1_with_findings():
    done = run_cli("review", "--diff", str(EXAMPLE), "--offline", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    doc = json.loads(done.stdout)
    assert doc["version"] == 1
    assert doc["findings"], "the bundled example must show real findings offline"
    for finding in doc["findings"]:
        assert set(finding) == {
            "path",
            "line",
            "end_line",
            "side",
            "category",
            "severity",
            "title",
            "body",
            "suggestion",
            "rule",
            "source",
        }
        assert finding["side"] == "RIGHT" and finding["source"] == "static"
    assert [c["id"] for c in doc["checklist"]] == [
        "configuration",
        "failure_handling",
        "security",
        "concurrency",
        "data_volume",
        "logging",
        "monitoring",
    ]
    assert doc["stats"]["files"] == 2 and doc["stats"]["llm_calls"] == 0
    assert "no LLM was used" in done.stderr.decode()


def test_exit_status_follows_fail_on(tmp_path):
    strict = tmp_path / "strict.yml"
    strict.write_text("fail_on: low\n")
    lenient = tmp_path / "lenient.yml"
    lenient.write_text("fail_on: critical\ncategories: {security: false}\n")
    assert run_cli("review", "--diff", str(EXAMPLE), "--offline", "--config", str(strict)).returncode == 1
    done = run_cli("review", "--diff", str(EXAMPLE), "--offline", "--config", str(lenient), "--format", "json")
    findings = json.loads(done.stdout)["findings"]
    assert all(f["category"] != "security" for f in findings)
    assert done.returncode == (1 if any(f["severity"] == "critical" for f in findings) else 0)


def test_max_comments_caps_pull_request_comments_not_the_report_or_the_exit_status(tmp_path):
    # max_comments caps inline comments on GitHub; the CLI reports every finding and gates on all of them.
    quiet = tmp_path / "quiet.yml"
    quiet.write_text("max_comments: 0\nfail_on: low\n")
    done = run_cli("review", "--diff", str(EXAMPLE), "--offline", "--config", str(quiet), "--format", "json")
    doc = json.loads(done.stdout)
    full = json.loads(run_cli("review", "--diff", str(EXAMPLE), "--offline", "--format", "json").stdout)
    assert doc["findings"] == full["findings"] != []
    assert any(c["status"] == "fail" for c in doc["checklist"])
    assert done.returncode == 1, done.stderr


CUSTOM_RULE = """id: no-print
language: python
message: print() in production code
severity: warning
rule: {pattern: print($$$ARGS)}
"""
PRINT_DIFF = (
    b"diff --git a/app.py b/app.py\n--- a/app.py\n+++ b/app.py\n@@ -1 +1,2 @@\n import os\n+print(os.environ)\n"
)


def test_custom_rules_folder_inside_the_repository_is_used(tmp_path):
    (tmp_path / "repo" / "rules").mkdir(parents=True)
    (tmp_path / "repo" / "rules" / "print.yml").write_text(CUSTOM_RULE)
    (tmp_path / "repo" / "cfg.yml").write_text("rules: {custom: rules}\n")
    args = ("review", "--diff", "-", "--offline", "--config", "cfg.yml", "--format", "json")
    done = run_cli(*args, cwd=tmp_path / "repo", stdin=PRINT_DIFF)
    assert [f["rule"] for f in json.loads(done.stdout)["findings"]] == ["no-print"], done.stderr


@pytest.mark.parametrize("folder", ["../outside", "rules/../../outside", "ABSOLUTE"])
def test_custom_rules_folder_outside_the_repository_is_refused(tmp_path, folder):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "print.yml").write_text(CUSTOM_RULE)
    (tmp_path / "repo" / "rules").mkdir(parents=True)
    folder = str(tmp_path / "outside") if folder == "ABSOLUTE" else folder
    (tmp_path / "repo" / "cfg.yml").write_text(f"rules: {{custom: '{folder}'}}\n")
    args = ("review", "--diff", "-", "--offline", "--config", "cfg.yml")
    assert_one_line_error(run_cli(*args, cwd=tmp_path / "repo", stdin=PRINT_DIFF), "rules.custom")


def test_diff_from_stdin_and_empty_diff():
    done = run_cli("review", "--diff", "-", "--offline", "--format", "json", stdin=EXAMPLE.read_bytes())
    assert json.loads(done.stdout)["findings"]
    empty = run_cli("review", "--diff", "-", "--offline", "--format", "json", stdin=b"")
    assert empty.returncode == 0, empty.stderr
    assert json.loads(empty.stdout)["findings"] == []


@pytest.mark.parametrize("fmt", ["text", "markdown", "sarif"])
def test_other_formats(fmt):
    done = run_cli("review", "--diff", str(EXAMPLE), "--offline", "--format", fmt)
    assert done.returncode in (0, 1), done.stderr
    out = done.stdout.decode()
    if fmt == "sarif":
        log = json.loads(out)
        assert log["version"] == "2.1.0"
        assert log["runs"][0]["results"]
    else:
        assert "shop/api/orders.py" in out and "checklist" in out.lower()


def test_missing_diff_file_is_one_line_exit_2(tmp_path):
    assert_one_line_error(run_cli("review", "--diff", str(tmp_path / "nope.diff")), "cannot read")


def test_directory_as_diff_is_one_line_exit_2(tmp_path):
    assert_one_line_error(run_cli("review", "--diff", str(tmp_path)), "directory")


def test_non_diff_input_is_one_line_exit_2(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("just some notes\nnothing like a diff here\n")
    assert_one_line_error(run_cli("review", "--diff", str(junk), "--offline"), "not a unified diff")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 10)
    assert_one_line_error(run_cli("review", "--diff", str(binary), "--offline"), "not a unified diff")


def test_bad_config_is_one_line_exit_2_naming_the_key(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("fail_on: sometimes\nmax_comments: -3\n")
    assert_one_line_error(run_cli("review", "--diff", str(EXAMPLE), "--config", str(bad)), "fail_on")
    broken = tmp_path / "broken.yml"
    broken.write_text("paths: [unclosed\n")
    assert_one_line_error(run_cli("review", "--diff", str(EXAMPLE), "--config", str(broken)), "YAML")
    assert_one_line_error(run_cli("review", "--diff", str(EXAMPLE), "--config", str(tmp_path / "x.yml")), "config")


def test_default_config_is_read_from_the_working_directory(tmp_path):
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "prodready.yml").write_text("min_severity: critical\n")
    done = run_cli("review", "--diff", str(EXAMPLE), "--offline", "--format", "json", cwd=tmp_path)
    assert all(f["severity"] == "critical" for f in json.loads(done.stdout)["findings"])


def test_usage_errors_exit_2_without_traceback():
    assert_one_line_error(run_cli("review"), "--diff")
    assert_one_line_error(run_cli("review", "--diff", "x", "--format", "yaml"), "format")
    assert run_cli("bogus").returncode == 2


def test_git_range_reviews_the_repository(tmp_path):
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.email", "dev@example.com")
    git("config", "user.name", "Dev")
    (tmp_path / "app.py").write_text("import os\n")
    git("add", "-A")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "feature")
    (tmp_path / "app.py").write_text(
        "import os\n\nimport requests\n\n\ndef charge(amount):\n"
        "    return requests.post('https://pay.example.com/charge', json={'amount': amount})\n"
    )
    git("commit", "-qam", "charge")
    done = run_cli("review", "--git", "main...HEAD", "--offline", "--format", "json", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    doc = json.loads(done.stdout)
    assert doc["stats"]["files"] == 1
    assert any(f["path"] == "app.py" and f["category"] == "failure_handling" for f in doc["findings"])
    assert_one_line_error(run_cli("review", "--git", "nope...HEAD", cwd=tmp_path), "cannot read the diff")


def test_rules_command_lists_rules_as_json():
    done = run_cli("rules", "--format", "json")
    assert done.returncode == 0, done.stderr
    rules = json.loads(done.stdout)
    assert len(rules) >= 40
    assert {"id", "category", "severity", "languages", "title"} <= set(rules[0])
    text = run_cli("rules")
    assert text.returncode == 0 and rules[0]["id"].encode() in text.stdout
