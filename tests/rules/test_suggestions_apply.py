"""A suggestion is committed with one click: applied to the file it must leave code that still runs."""

from __future__ import annotations

import ast
import builtins
import re

import pytest

from bot.review.models import Finding
from tests.rules.conftest import review


def applied(source: str, finding: Finding) -> str:
    """Return `source` with the finding's suggestion put in place of its lines."""
    assert finding.suggestion is not None
    lines = source.splitlines()
    lines[finding.line - 1 : finding.end_line or finding.line] = finding.suggestion.splitlines()
    return "\n".join(lines) + "\n"


def unbound_names(code: str) -> set[str]:
    """Return names the module reads but neither imports, assigns, defines nor gets from builtins."""
    tree = ast.parse(code)
    bound = set(dir(builtins)) | {"__file__", "__name__"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - bound


PYTHON_CASES = {
    "py-debug-setting": "from pathlib import Path\n\nBASE_DIR = Path(__file__).parent\nDEBUG = True\n",
    "py-urlopen-without-timeout": "import urllib.request\n\n\ndef get(url):\n"
    "    return urllib.request.urlopen(url).read()\n",
    "py-requests-without-timeout": "import requests\n\n\ndef get(url):\n    return requests.get(url).json()\n",
}


@pytest.mark.parametrize("rule", sorted(PYTHON_CASES))
def test_a_python_suggestion_uses_only_names_the_file_has(rule):
    source = PYTHON_CASES[rule]
    assert not unbound_names(source)
    for finding in (f for f in review("app/settings.py", source) if f.rule == rule and f.suggestion):
        fixed = applied(source, finding)
        assert not unbound_names(fixed), fixed


def test_urlopen_keeps_the_name_it_was_called_by():
    source = PYTHON_CASES["py-urlopen-without-timeout"]
    [finding] = [f for f in review("app/fetch.py", source) if f.rule == "py-urlopen-without-timeout"]
    assert finding.suggestion == "    return urllib.request.urlopen(url, timeout=10).read()"


GO_HANDLER = """package api

import (
	"context"
	"net/http"
)

func Show(w http.ResponseWriter, req *http.Request) {
	ctx := context.Background()
	client := &http.Client{}
	_, _ = ctx, client
}
"""


def test_a_go_suggestion_uses_only_names_the_file_has():
    findings = [f for f in review("api/show.go", GO_HANDLER) if f.suggestion]
    for finding in findings:
        fixed = applied(GO_HANDLER, finding)
        # `time` is not imported and the request is called `req`: either would stop the package compiling.
        assert "time." not in fixed, finding.rule
        assert not re.search(r"\br\.", fixed), finding.rule
