"""The repository config: defaults, validation, and problems that name the key."""

from __future__ import annotations

import pytest

from bot.review.config import DEFAULT_MAX_PROMPT_TOKENS, RepoConfig, parse_config


def test_empty_or_missing_file_gives_defaults():
    for text in (None, "", "  \n", "# only a comment\n"):
        cfg, problems = parse_config(text)
        assert cfg == RepoConfig() and problems == ()
    assert RepoConfig().budget.max_prompt_tokens == DEFAULT_MAX_PROMPT_TOKENS


def test_full_valid_config():
    cfg, problems = parse_config(
        """
categories: {security: false}
fail_on: critical
min_severity: medium
max_comments: 10
paths: {include: ["src/**"], exclude: ["**/migrations/**"]}
path_instructions:
  - {path: "src/payments/**", instructions: "Money moves here: check idempotency."}
review_drafts: true
check_run: true
model: gpt-4.1
instructions: We run on Kubernetes behind an ingress.
rules: {disable: [py-debug-true], custom: .prodready/rules}
budget: {max_prompt_tokens: 50000}
"""
    )
    assert problems == ()
    assert not cfg.category_enabled("security") and cfg.category_enabled("concurrency")
    assert cfg.paths.exclude == ("**/migrations/**",)
    assert cfg.path_instructions[0].path == "src/payments/**"
    assert cfg.rules.custom == ".prodready/rules" and cfg.budget.max_prompt_tokens == 50000


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("fail_on: sometimes", "fail_on"),
        ("max_comments: -1", "max_comments"),
        ("max_comments: lots", "max_comments"),
        ("max_comments: true", "max_comments"),
        ("review_drafts: 1", "review_drafts"),
        ("check_run: 'maybe'", "check_run"),
        ("categories: {security: 0}", "categories.security"),
        ("categories: {speed: true}", "categories"),
        ("paths: {include: 3}", "paths.include"),
        ("typo_key: 1", "typo_key"),
        ("rules: {disable: nope, extra: 1}", "rules"),
        ("budget: {max_prompt_tokens: 10}", "budget.max_prompt_tokens"),
        ("path_instructions: [{path: 'a'}]", "path_instructions"),
    ],
)
def test_invalid_values_name_the_key_and_fall_back_to_defaults(text, key):
    cfg, problems = parse_config(text)
    assert cfg == RepoConfig()
    assert problems and any(p.key.startswith(key) for p in problems), problems


@pytest.mark.parametrize(
    "text", ["[1, 2]", "just a string", "a: [unclosed", "\t- bad: indent", "!!python/object:os.system x"]
)
def test_not_a_mapping_or_not_yaml(text):
    cfg, problems = parse_config(text)
    assert cfg == RepoConfig() and len(problems) == 1
    assert str(problems[0])


def test_the_readme_example_config_is_valid_and_names_real_rules():
    from pathlib import Path

    from bot.rules.catalog import all_rules

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    example = readme.split("## Configuration: `.github/prodready.yml`", 1)[1].split("```yaml\n", 1)[1].split("```")[0]
    config, problems = parse_config(example)
    assert problems == ()
    assert set(config.rules.disable) <= {r.id for r in all_rules()}
