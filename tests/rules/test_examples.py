"""Every annotated example file is reviewed by the real engine: `ruleid:` lines are flagged, `ok:` lines are not.

An example file is `tests/rules/examples/<language>/<rule-id>[.<variant>].<ext>`. A comment `ruleid: <id>`
names the rule that must fire on the next code line, `ok: <id>` a line it must leave alone (the safe twin and
the near-misses found on real code). Every finding of the rule must sit on a `ruleid:` line. A first-line comment
`prodready-path: <path>` reviews the file as if it lived at that path (for rules that look at where a file is).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.rules.catalog import all_rules
from tests.rules.conftest import review

EXAMPLES = Path(__file__).parent / "examples"
_ANNOTATION = re.compile(r"^\s*(?:#|//)\s*(ruleid|ok):\s*([\w-]+)\s*$")
_PATH = re.compile(r"^\s*(?:#|//)\s*prodready-path:\s*(\S+)\s*$")
FILES = sorted(p for p in EXAMPLES.rglob("*") if p.is_file())


def rule_of(path: Path) -> str:
    return path.name.split(".", 1)[0]


def expected(lines: list[str], rule: str) -> tuple[set[int], set[int]]:
    """Return the 1-based lines annotated `ruleid:` and `ok:` for `rule`."""
    flagged: set[int] = set()
    safe: set[int] = set()
    pending: list[str] = []
    for number, text in enumerate(lines, start=1):
        found = _ANNOTATION.match(text)
        if found:
            if found.group(2) != rule:
                raise AssertionError(f"line {number} names {found.group(2)}, the file is for {rule}")
            pending.append(found.group(1))
            continue
        if pending and text.strip():
            for kind in pending:
                (flagged if kind == "ruleid" else safe).add(number)
            pending = []
    return flagged, safe


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_example_file(path: Path) -> None:
    rule = rule_of(path)
    assert rule in {r.id for r in all_rules()}, f"{path.name}: no built-in rule {rule}"
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    where = _PATH.match(lines[0]) if lines else None
    review_path = where.group(1) if where else f"app/{path.name}"
    flagged, safe = expected(lines, rule)
    assert flagged or safe, f"{path.name} has no annotation"
    found = {f.line for f in review(review_path, source) if f.rule == rule}
    assert sorted(found - flagged) == [], f"{path.name}: flagged lines not annotated ruleid"
    assert sorted(flagged - found) == [], f"{path.name}: ruleid lines not flagged"


def test_every_example_folder_is_a_language_folder() -> None:
    assert {p.name for p in EXAMPLES.iterdir() if p.is_dir()} <= {"go", "java", "javascript", "python", "typescript"}
