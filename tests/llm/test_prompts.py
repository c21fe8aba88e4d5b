"""Prompt templates: loading, loud failure on missing variables, stable prefix, instructions, numbered diff."""

from __future__ import annotations

from pathlib import Path
from string import Template

import pytest

from bot.llm.batching import cut_pieces, plan_batches
from bot.llm.prompts import (
    PromptError,
    PromptTemplates,
    enabled_categories,
    fill,
    path_instructions,
    system_prompt,
    user_prompt,
)
from bot.review.config import RepoConfig, parse_config
from bot.review.diff import parse_diff
from bot.review.models import CATEGORIES, Finding

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "llm"


@pytest.fixture(scope="module")
def templates() -> PromptTemplates:
    return PromptTemplates.load()


def test_every_template_and_category_guidance_loads(templates):
    assert set(templates.guidance) == set(CATEGORIES)
    for category, text in templates.guidance.items():
        assert text.startswith(f"## {category}")
        assert "Look for" in text and "Do not flag" in text


def test_a_missing_variable_fails_loudly_naming_it():
    with pytest.raises(PromptError, match=r"\$diff"):
        fill(Template("before $diff after"), other="x")


def test_a_missing_template_file_is_named(tmp_path):
    with pytest.raises(PromptError, match=r"system\.md"):
        PromptTemplates.load(tmp_path)


def test_substituted_values_are_not_expanded_again(templates):
    config = RepoConfig(instructions="costs $diff and ${fence}")
    text = user_prompt(templates, config=config, paths=["a.py"], diff="+ x", fence="```", static_findings=[])
    assert "costs $diff and ${fence}" in text


def test_system_prompt_has_only_enabled_categories(templates):
    config, problems = parse_config("categories:\n  observability: false\n  data_volume: false\n")
    assert not problems
    categories = enabled_categories(config)
    text = system_prompt(templates, categories)
    assert "## concurrency" in text and "## security" in text
    assert "## observability" not in text and "## data_volume" not in text


def test_system_prompt_is_the_same_bytes_for_every_batch_and_review(templates):
    first = system_prompt(templates, enabled_categories(RepoConfig()))
    again = system_prompt(PromptTemplates.load(), enabled_categories(RepoConfig(instructions="other repo")))
    assert first == again
    assert "$category" not in first  # every variable was filled


def test_path_instructions_match_by_glob():
    config, _ = parse_config(
        "path_instructions:\n"
        "  - path: 'app/*.py'\n    instructions: Orders must stay idempotent.\n"
        "  - path: 'migrations/**'\n    instructions: Never lock big tables.\n"
    )
    text = path_instructions(config, ["app/orders.py", "docs/x.md"])
    assert "Orders must stay idempotent." in text and "app/orders.py" in text
    assert "Never lock big tables" not in text
    assert path_instructions(config, ["docs/x.md"]) == "(none)"


def test_user_prompt_carries_instructions_static_findings_and_numbered_fenced_diff(templates):
    files = parse_diff((SAMPLES / "risky" / "patch.diff").read_text())
    config, _ = parse_config(
        "instructions: We run on 40 workers behind a load balancer.\n"
        "path_instructions:\n  - path: 'app/**'\n    instructions: Money code; be strict.\n"
    )
    static = [
        Finding(
            "app/orders.py",
            12,
            "failure_handling",
            "high",
            "requests call without timeout",
            "b",
            "static",
            rule="py-requests-no-timeout",
        ),
        Finding("elsewhere.py", 3, "security", "high", "not in this batch", "b", "static"),
    ]
    plan = plan_batches(
        cut_pieces(files, max_piece_tokens=5000), request_tokens=20_000, review_tokens=100_000, overhead_tokens=2_000
    )
    batch = plan.batches[0]
    text = user_prompt(
        templates, config=config, paths=batch.paths, diff=batch.render(), fence="````", static_findings=static
    )
    assert "We run on 40 workers" in text and "Money code; be strict." in text
    assert "app/orders.py:12 failure_handling/high [py-requests-no-timeout]" in text
    assert "not in this batch" not in text
    assert "untrusted" in text and text.count("\n````\n") == 2
    lines = text.splitlines()
    assert " 7 +     query = \"SELECT * FROM orders WHERE customer = '%s'\" % customer" in lines
    assert " 6   def find_orders(db, customer):" in lines
    # a removed line has no new-side number
    assert '   -     return db.execute("SELECT * FROM orders WHERE customer = ?", (customer,)).fetchmany(100)' in lines
    assert "### app/orders.py (modified)" in lines
