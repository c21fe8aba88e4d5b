"""A passing checklist row says what was checked and how, never states the property as fact."""

from __future__ import annotations

import pytest

from bot.review.checklist import build_checklist
from bot.review.config import RepoConfig
from bot.review.diff import parse_diff
from tests.review.test_checklist import HTTP_DIFF


@pytest.mark.parametrize("llm_used", [False, True])
def test_a_pass_names_what_looked_and_asks_the_question_rather_than_answering_it(llm_used):
    items = build_checklist([], files=parse_diff(HTTP_DIFF), config=RepoConfig(), llm_used=llm_used)
    passed = {i.id: i.summary for i in items if i.status == "pass"}
    assert "failure_handling" in passed
    summary = passed["failure_handling"]
    # "...: external calls handle errors and time out." reads as a guarantee nobody gave.
    assert "whether external calls handle errors and time out" in summary
    assert ("static rules only" in summary) is not llm_used
    assert ("and the LLM review" in summary) is llm_used
