"""Config globs: one meaning for paths.include/exclude and path_instructions."""

from __future__ import annotations

import pytest

from bot.llm.prompts import path_instructions
from bot.review.config import parse_config
from bot.review.globs import compile_globs, matches


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("src/payments/**", "src/payments/stripe/charge.py", True),
        ("src/payments/**", "src/orders/charge.py", False),
        ("**/migrations/**", "app/db/migrations/0001.py", True),
        ("*.py", "deep/down/module.py", True),  # no slash: any depth, as in .gitignore
        ("/top.py", "nested/top.py", False),
        ("docs\\", "docs/x.md", False),  # broken pattern matches nothing instead of failing
    ],
)
def test_gitignore_semantics(pattern, path, expected):
    assert matches(pattern, path) is expected


def test_no_patterns_means_no_matcher():
    assert compile_globs(()) is None


def test_path_instructions_use_the_same_globs():
    config, problems = parse_config(
        "path_instructions:\n"
        "  - {path: 'src/payments/**', instructions: 'Charges must be idempotent.'}\n"
        "  - {path: '**/*.go', instructions: 'Check goroutine lifetimes.'}\n"
    )
    assert not problems
    text = path_instructions(config, ["src/payments/stripe/charge.py", "README.md"])
    assert "idempotent" in text and "goroutine" not in text
