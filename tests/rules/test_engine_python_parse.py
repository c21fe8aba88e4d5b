"""The Python checks read hunks cut anywhere, and say which changed lines they could not read."""

from __future__ import annotations

import ast
import sys

import pytest

from bot.review.config import RepoConfig
from bot.review.diff import parse_diff
from bot.rules.engine import run_rules
from bot.rules.python_ast.parsing import python_trees
from bot.rules.sources import Block, FileText
from tests.rules.test_engine_baseline import patch


def run(diff_text: str, sources: dict[str, str] | None = None):
    return run_rules(parse_diff(diff_text), sources=sources or {}, config=RepoConfig(), custom_rules={})


def hunk(section: str, body: str, *, start: int = 40) -> str:
    """Return a one-hunk diff of app.py; `body` lines carry their diff prefix."""
    lines = body.splitlines()
    old = sum(1 for line in lines if not line.startswith("+"))
    new = sum(1 for line in lines if not line.startswith("-"))
    head = f"diff --git a/app.py b/app.py\n--- a/app.py\n+++ b/app.py\n@@ -{start},{old} +{start},{new} @@ {section}\n"
    return head + "".join(line + "\n" for line in lines)


def rules_at(result) -> list[tuple[int, str | None]]:
    return sorted((f.line, f.rule) for f in result.findings)


def test_a_hunk_that_starts_inside_a_function_and_ends_in_its_except_is_read():
    body = "         total = compute(order)\n         push(order, total)\n     except Exception:\n"
    body += "-        log.exception('push failed')\n+        pass\n     return total\n"
    result = run(hunk("def sync(order):", body))
    assert rules_at(result) == [(43, "py-swallowed-exception")]
    assert result.skipped == () and result.diff_only == ("app.py",)


def test_a_hunk_that_starts_at_an_except_clause_is_read():
    body = "     except Exception:\n-        log.exception('x')\n+        pass\n"
    assert rules_at(run(hunk("def sync(order):", body))) == [(41, "py-swallowed-exception")]


def test_a_hunk_inside_an_async_function_keeps_it_async():
    body = "         await prepare()\n+        time.sleep(5)\n         return 1\n"
    assert rules_at(run(hunk("async def handler(request):", body))) == [(41, "py-blocking-call-in-async")]


def test_a_hunk_that_starts_inside_a_multiline_call_is_read_after_it():
    body = "         timeout=5,\n     )\n     try:\n         go()\n+    except Exception:\n+        pass\n"
    assert rules_at(run(hunk("def sync(order):", body))) == [(44, "py-swallowed-exception")]


def test_a_fragment_keeps_file_line_numbers():
    text = FileText("", (), complete=False)
    lines = ("        x = 1", "    except Exception:", "        pass", "", "def g():", "    y = 2")
    block = Block(100, lines, "def f():")
    trees = python_trees(text, [block], changed={102})
    assert trees.unread == []
    numbers = {n.lineno for tree in trees.trees for n in ast.walk(tree) if hasattr(n, "lineno")}
    assert numbers <= set(range(100, 106)) | {0}
    assert {100, 101, 102, 104, 105} <= numbers


NEW_SYNTAX = 'def label(row):\n    return f"{row["name"]}: {row["count"]}"\n'

SERVICE = """\
import requests


def sync(order):
    try:
        push(order)
    except Exception:
        log.exception("push failed")


def fetch(url):
    return requests.get(url, timeout=5)
"""


def test_syntax_the_parser_cannot_read_costs_only_its_own_statement():
    after = NEW_SYNTAX + "\n\n" + SERVICE.replace('log.exception("push failed")', "pass")
    before = NEW_SYNTAX + "\n\n" + SERVICE
    result = run(patch("app.py", before, after), {"app.py": after})
    assert rules_at(result) == [(12, "py-swallowed-exception")]
    assert result.skipped == () and result.diff_only == ()


def test_a_changed_line_the_parser_cannot_read_is_named_with_what_ran():
    broken = "def label(row):\n    return = row\n"  # no Python reads this; tree-sitter does, with an error node
    after = SERVICE.replace("return requests.get(url, timeout=5)", "return requests.get(url)") + "\n\n" + broken
    result = run(patch("app.py", SERVICE, after), {"app.py": after})
    assert (12, "py-requests-without-timeout") in rules_at(result)  # ast-grep rules ran on the whole file
    (skipped,) = result.skipped
    assert skipped.path == "app.py" and "2 changed lines from line 15" in skipped.reason
    assert "ast-grep rules ran there, the Python checks did not" in skipped.reason
    assert any("app.py" in note and "skipped files" in note for note in result.notes)


def test_python_3_12_syntax_on_a_changed_line_is_named_only_where_this_python_cannot_read_it():
    after = SERVICE + "\n\ntype Rows = list[dict[str, int]]\n" + NEW_SYNTAX
    result = run(patch("app.py", SERVICE, after), {"app.py": after})
    if sys.version_info >= (3, 12):
        assert result.skipped == ()
    else:
        (skipped,) = result.skipped
        assert skipped.reason.startswith("python syntax this parser (Python 3.11) cannot read")


@pytest.mark.parametrize("source", ["\x00", "def f(:\n" * 300, "(" * 500 + "\n"])
def test_unreadable_files_never_crash_and_are_named(source):
    result = run(patch("app.py", "", source), {"app.py": source})
    assert [s.path for s in result.skipped] in (["app.py"], [])
