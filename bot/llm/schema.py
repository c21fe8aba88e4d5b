"""The model's answer: its JSON schema, and parsing it into findings."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, field_validator

from bot.review.models import SEVERITIES, Category, Finding, Severity

MAX_TITLE = 200
MAX_BODY = 4000


class OutputError(ValueError):
    """The model's answer is not the JSON object we asked for."""


class LLMFinding(BaseModel):
    """One finding as the model reports it."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    path: str = Field(min_length=1)
    # Strict: `true` or "12" is not a line number, however pydantic would otherwise coerce it.
    line: StrictInt = Field(ge=1)
    end_line: StrictInt | None = Field(default=None, ge=1)
    category: Category
    severity: Severity
    title: str = Field(min_length=1, pattern=r"\S")
    body: str = Field(min_length=1, pattern=r"\S")
    suggestion: str | None = None

    @field_validator("category", "severity", mode="before")
    @classmethod
    def _lower_case(cls, value: object) -> object:
        # Servers that ignore the schema write "HIGH" or "Security"; the meaning is not in doubt.
        return value.strip().lower() if isinstance(value, str) else value

    def to_finding(self) -> Finding:
        """Return the finding in the review's own terms."""
        end = self.end_line if self.end_line is not None and self.end_line > self.line else None
        return Finding(
            path=self.path,
            line=self.line,
            end_line=end,
            category=self.category,
            severity=self.severity,
            title=" ".join(self.title.split())[:MAX_TITLE],
            body=self.body.strip()[:MAX_BODY],
            suggestion=self.suggestion if self.suggestion and self.suggestion.strip() else None,
            source="llm",
            rule=None,
        )


class LLMVerdict(BaseModel):
    """The model's word on one static candidate it was asked to confirm or dismiss."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str = Field(min_length=1)
    verdict: Literal["confirmed", "dismissed"]
    reason: str = ""

    @field_validator("verdict", mode="before")
    @classmethod
    def _lower_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value


def response_format(categories: Sequence[Category], *, verdicts: bool = False) -> dict[str, Any]:
    """Return the `response_format` that asks for the `review` schema, limited to `categories`.

    With `verdicts` the answer also carries a verdict on each static candidate of the request.
    """
    nullable_int = {"type": ["integer", "null"]}
    finding = {
        "type": "object",
        "properties": {
            "path": {"type": "string"},
            "line": {"type": "integer"},
            "end_line": nullable_int,
            "category": {"type": "string", "enum": list(categories)},
            "severity": {"type": "string", "enum": list(SEVERITIES)},
            "title": {"type": "string"},
            "body": {"type": "string"},
            "suggestion": {"type": ["string", "null"]},
        },
        # Strict mode wants every property required and no others; optional ones are nullable instead.
        "required": ["path", "line", "end_line", "category", "severity", "title", "body", "suggestion"],
        "additionalProperties": False,
    }
    properties: dict[str, Any] = {"findings": {"type": "array", "items": finding}}
    if verdicts:
        verdict = {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "verdict": {"type": "string", "enum": ["confirmed", "dismissed"]},
                "reason": {"type": "string"},
            },
            "required": ["id", "verdict", "reason"],
            "additionalProperties": False,
        }
        properties["verdicts"] = {"type": "array", "items": verdict}
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    return {"type": "json_schema", "json_schema": {"name": "review", "strict": True, "schema": schema}}


_FENCED = re.compile(r"```(?:json|JSON)?[ \t]*\n(.*?)\n[ \t]*```", re.DOTALL)


def extract_json(text: str) -> Any:
    """Return the JSON value in `text`: the whole text, a fenced ```json block, or the object amid prose.

    This is the one fallback for servers that ignore `response_format`; it finds JSON, it never edits it.
    """
    stripped = text.strip()
    if not stripped:
        raise OutputError("the answer was empty")
    candidates = [stripped, *(m.group(1) for m in _FENCED.finditer(text))]
    start, end = stripped.find("{"), stripped.rfind("}")
    if 0 <= start < end:
        candidates.append(stripped[start : end + 1])
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    raise OutputError("the answer is not valid JSON")


def parse_verdicts(text: str) -> list[LLMVerdict]:
    """Return the well-formed verdicts of an answer (none when it carries none: that dismisses nothing)."""
    try:
        data = extract_json(text)
    except OutputError:
        return []
    raw = data.get("verdicts") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        return []
    out = []
    for item in raw:
        try:
            out.append(LLMVerdict.model_validate(item))
        except ValidationError:
            continue
    return out


def parse_findings(text: str) -> tuple[list[LLMFinding], int]:
    """Return the findings in the model's answer and how many malformed ones were left out.

    Raise OutputError when the answer as a whole is unusable (not JSON, or no `findings` list).
    """
    data = extract_json(text)
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise OutputError('the answer must be a JSON object with a "findings" list')
    findings: list[LLMFinding] = []
    errors: list[ValidationError] = []
    for item in data["findings"]:
        try:
            findings.append(LLMFinding.model_validate(item))
        except ValidationError as exc:
            # One bad item (an unknown category, a missing field) costs that item, not the batch.
            errors.append(exc)
    if errors and not findings:
        first = errors[0].errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "finding"
        raise OutputError(f"no finding matches the schema (first problem: {where}: {first['msg']})")
    return findings, len(errors)
