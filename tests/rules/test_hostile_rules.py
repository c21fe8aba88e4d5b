"""Custom rules and diffs written to make the rule engine hang or crash."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from bot.rules.loader import load_custom_rules
from tests.rules.conftest import review

RULE = """
id: no-legacy-client
language: python
message: legacy_client is being retired
rule:
  pattern: legacy_client.$M($$$)
"""


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    "requires",
    [r"(a+)+$", r"(a|a)*$", r"(?:a*)*b", r"(\w+\s?)*$", r"(a)\1", r"(?=a+)+x", r"a.*b.*c.*d", "(ab|a)" * 20],
)
def test_a_requires_regex_that_can_backtrack_is_refused_before_it_runs(requires: str) -> None:
    text = RULE + f"metadata:\n  requires: '{requires}'\n"
    rules, notes = load_custom_rules({"r.yml": text}, set())
    assert rules == [] and "metadata.requires" in notes[0]
    # And the file that would have made it backtrack reviews promptly.
    line = "a" * 60 + "!"
    assert review("b.py", f"x = '{line}'\nlegacy_client.a()\n", custom={"r.yml": text}) == []


@pytest.mark.parametrize(
    "requires", [r"legacy_client", r"(?i)select|insert", r"\blegacy_client\.(get|post)\b", "[Ll]egacy"]
)
def test_a_requires_of_words_and_alternatives_still_loads(requires: str) -> None:
    rules, notes = load_custom_rules({"r.yml": RULE + f"metadata:\n  requires: '{requires}'\n"}, set())
    assert notes == [] and len(rules) == 1


def test_a_hunk_far_down_a_huge_file_does_not_allocate_a_line_per_number() -> None:
    # Without the file's source, lines the diff does not show are filled in blank, one per line number.
    code = """
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
    from bot.review.config import RepoConfig
    from bot.review.diff import parse_diff
    from bot.rules.engine import run_rules
    diff = "diff --git a/a.py b/a.py\\n--- a/a.py\\n+++ b/a.py\\n@@ -0,0 +999999990,2 @@\\n"
    diff += "+requests.get(u)\\n+token = 'ghp_" + "R2d2C3p0" * 4 + "abcd'\\n"
    review = run_rules(parse_diff(diff), sources={}, config=RepoConfig(), custom_rules={})
    print(sorted((f.rule, f.line) for f in review.findings))
    """
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr[-300:]
    assert "999999991" in done.stdout  # the secret scan still reads the added lines themselves
