"""The rule catalog that `prodready rules` prints."""

from __future__ import annotations

from bot.review.models import CATEGORIES, SEVERITIES
from bot.rules.catalog import all_rules
from bot.rules.loader import DATA_DIR


def test_catalog_lists_every_rule_once_with_valid_fields() -> None:
    rules = all_rules()
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule.category in CATEGORIES and rule.severity in SEVERITIES, rule.id
        assert rule.title and rule.languages, rule.id


def test_catalog_includes_yaml_ast_and_secret_rules() -> None:
    ids = {r.id for r in all_rules()}
    yaml_ids = {p.stem for p in DATA_DIR.glob("*/*.yml")}
    assert yaml_ids <= ids
    assert {"py-sql-built-from-strings", "py-read-modify-write", "hardcoded-secret"} <= ids


def test_rule_format_is_documented() -> None:
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for field in ("metadata", "category", "severity", "note", "fix", "in_tests", "rules.disable"):
        assert field in readme
