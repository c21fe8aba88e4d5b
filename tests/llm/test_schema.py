"""The model's answer: the strict schema we send, and parsing what servers actually return."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.llm.schema import OutputError, extract_json, parse_findings, response_format
from bot.review.models import CATEGORIES

REPLY = (Path(__file__).resolve().parents[1] / "samples" / "llm" / "risky" / "reply.json").read_text()


def test_response_format_is_a_strict_json_schema_named_review():
    fmt = response_format(CATEGORIES)
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "review" and fmt["json_schema"]["strict"] is True
    schema = fmt["json_schema"]["schema"]
    item = schema["properties"]["findings"]["items"]
    # strict mode: every property required, nothing else allowed, at every level
    assert (
        set(item["required"])
        == set(item["properties"])
        == {"path", "line", "end_line", "category", "severity", "title", "body", "suggestion"}
    )
    assert item["additionalProperties"] is False and schema["additionalProperties"] is False
    assert schema["required"] == ["findings"]
    json.dumps(fmt)  # serialisable as sent


def test_response_format_lists_only_the_enabled_categories():
    item = response_format(("security", "concurrency"))["json_schema"]["schema"]["properties"]["findings"]["items"]
    assert item["properties"]["category"]["enum"] == ["security", "concurrency"]


def test_parses_a_structured_answer_and_counts_malformed_items():
    findings, malformed = parse_findings(REPLY)
    assert malformed == 1  # "performance" is not a category
    assert [f.line for f in findings] == [7, 12, 3, 12]
    first = findings[0].to_finding()
    assert first.source == "llm" and first.rule is None and first.end_line == 8
    assert first.suggestion and "fetchmany" in first.suggestion


@pytest.mark.parametrize(
    "text",
    [
        '```json\n{"findings": []}\n```',
        'Sure! Here it is:\n```\n{"findings": []}\n```\nHope that helps.',
        'I reviewed it. {"findings": []} Done.',
        '  {"findings": []}\n',
    ],
)
def test_tolerates_fences_and_prose(text):
    assert extract_json(text) == {"findings": []}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no JSON here at all",
        '{"findings": [',
        '["findings"]',
        '{"results": []}',
        '{"findings": "none"}',
        '{"findings": [{"file": "a.py", "row": 3}]}',
    ],
)
def test_unusable_answers_raise_output_error(text):
    with pytest.raises(OutputError):
        parse_findings(text)


def test_one_line_finding_and_blank_suggestion_are_normalised():
    text = json.dumps(
        {
            "findings": [
                {
                    "path": "a.py",
                    "line": 4,
                    "end_line": 4,
                    "category": "security",
                    "severity": "low",
                    "title": "  two\n lines ",
                    "body": "b",
                    "suggestion": "  ",
                }
            ]
        }
    )
    (finding,), _ = parse_findings(text)
    converted = finding.to_finding()
    assert converted.end_line is None and converted.suggestion is None and converted.title == "two lines"


def test_lines_below_one_are_malformed():
    text = json.dumps(
        {
            "findings": [
                {
                    "path": "a.py",
                    "line": 0,
                    "end_line": None,
                    "category": "security",
                    "severity": "low",
                    "title": "t",
                    "body": "b",
                    "suggestion": None,
                },
                {
                    "path": "a.py",
                    "line": 2,
                    "end_line": None,
                    "category": "security",
                    "severity": "low",
                    "title": "t",
                    "body": "b",
                    "suggestion": None,
                },
            ]
        }
    )
    findings, malformed = parse_findings(text)
    assert [f.line for f in findings] == [2] and malformed == 1


def _one(**overrides: object) -> str:
    """Return an answer with one good finding and one changed by `overrides`."""
    item = {
        "path": "a.py",
        "line": 2,
        "end_line": None,
        "category": "security",
        "severity": "low",
        "title": "t",
        "body": "b",
        "suggestion": None,
    }
    return json.dumps({"findings": [item, {**item, **overrides}]})


@pytest.mark.parametrize(
    "overrides", [{"line": True}, {"line": "2"}, {"line": 2.5}, {"end_line": "3"}, {"body": "   "}, {"title": "\n"}]
)
def test_values_that_only_look_right_are_malformed(overrides):
    findings, malformed = parse_findings(_one(**overrides))
    assert (len(findings), malformed) == (1, 1)


def test_category_and_severity_in_another_case_are_understood():
    [_, finding], malformed = parse_findings(_one(category=" Security", severity="HIGH"))
    assert malformed == 0 and (finding.category, finding.severity) == ("security", "high")
