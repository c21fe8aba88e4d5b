"""Titles in `prodready rules` read as one catalog: one spelling, and the same finding named the same way."""

from __future__ import annotations

import re

from bot.rules.catalog import all_rules


def test_hard_coded_is_spelled_one_way() -> None:
    spellings = {m.lower() for r in all_rules() for m in re.findall(r"hard-?coded", r.title, re.IGNORECASE)}
    assert len(spellings) <= 1, spellings


def test_a_rule_ported_to_several_languages_keeps_one_title() -> None:
    # js-/ts- pairs are one rule for two grammars; a reader comparing them should not wonder what differs.
    by_id = {r.id: r.title for r in all_rules()}
    for rule_id, title in by_id.items():
        twin = "ts-" + rule_id[3:] if rule_id.startswith("js-") else None
        if twin in by_id:
            assert by_id[twin] == title, (rule_id, twin)
