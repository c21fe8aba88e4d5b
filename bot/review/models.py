"""The values the review core passes around: findings, checklist items, stats and the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

Category = Literal["concurrency", "security", "data_volume", "failure_handling", "configuration", "observability"]
Severity = Literal["critical", "high", "medium", "low"]
Source = Literal["static", "llm"]
# How sure a static rule is: a weak finding goes to the LLM (when one is used) to be confirmed or dismissed.
Evidence = Literal["strong", "weak"]
ChecklistId = Literal[
    "configuration", "failure_handling", "security", "concurrency", "data_volume", "logging", "monitoring"
]
ChecklistStatus = Literal["pass", "warn", "fail", "not_applicable"]

CATEGORIES: tuple[Category, ...] = get_args(Category)
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
CHECKLIST_IDS: tuple[ChecklistId, ...] = get_args(ChecklistId)

_SEVERITY_RANK: dict[Severity, int] = {"low": 0, "medium": 1, "high": 2, "critical": 3}


def severity_rank(severity: Severity) -> int:
    """Return a number that orders severities, higher is worse."""
    return _SEVERITY_RANK[severity]


def at_least(severity: Severity, floor: Severity) -> bool:
    """Tell whether `severity` is `floor` or worse."""
    return _SEVERITY_RANK[severity] >= _SEVERITY_RANK[floor]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem on new-side lines `line`..`end_line` of `path`."""

    path: str
    line: int
    category: Category
    severity: Severity
    title: str
    body: str
    source: Source
    end_line: int | None = None
    suggestion: str | None = None
    rule: str | None = None
    side: Literal["RIGHT"] = "RIGHT"
    evidence: Evidence = "strong"

    def to_json(self) -> dict[str, object]:
        """Return the finding as the documented JSON object (README: JSON output)."""
        return {
            "path": self.path,
            "line": self.line,
            "end_line": self.end_line,
            "side": self.side,
            "category": self.category,
            "severity": self.severity,
            "title": self.title,
            "body": self.body,
            "suggestion": self.suggestion,
            "rule": self.rule,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One row of the pre-deployment checklist."""

    id: ChecklistId
    status: ChecklistStatus
    summary: str

    def to_json(self) -> dict[str, object]:
        """Return the item as the documented JSON object (README: JSON output)."""
        return {"id": self.id, "status": self.status, "summary": self.summary}


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file the review did not look at, and why (e.g. "lockfile", "binary", "too large")."""

    path: str
    reason: str


@dataclass(slots=True)
class ReviewStats:
    """What the review covered and what it cost."""

    files: int = 0
    hunks: int = 0
    changed_lines: int = 0
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    skipped_files: list[SkippedFile] = field(default_factory=list)
    # How the LLM was asked for JSON (json_schema, json_object, plain); None when no LLM answered.
    llm_output_mode: str | None = None
    # Code files the rules saw only as hunks, without the whole file around them.
    diff_only_files: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """Return the stats as the documented JSON object (README: JSON output)."""
        return {
            "files": self.files,
            "hunks": self.hunks,
            "changed_lines": self.changed_lines,
            "llm_calls": self.llm_calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "skipped_files": [{"path": s.path, "reason": s.reason} for s in self.skipped_files],
        }


@dataclass(frozen=True, slots=True)
class StaticReview:
    """Findings of the static rules, and notes for the user (e.g. a custom rule that did not load).

    `skipped` names files some rules could not read, and why; `diff_only` the code files they saw as hunks only.
    """

    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
    diff_only: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LLMReview:
    """What an LLM reviewer returns for a set of files.

    `notes` are plain sentences for the user (a dropped batch, a budget cut, an outage);
    `unreviewed` names the files or hunks the LLM did not see, with the reason.
    """

    findings: tuple[Finding, ...] = ()
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    notes: tuple[str, ...] = ()
    unreviewed: tuple[SkippedFile, ...] = ()
    # Weak static findings the model dismissed: not posted.
    dismissed: tuple[Finding, ...] = ()
    output_mode: str | None = None


@dataclass(frozen=True, slots=True)
class ReviewResult:
    """The outcome of one review: what every renderer and publisher works from.

    `over_cap` are findings at or above min_severity that max_comments kept out of `findings`; they still
    count for the exit status and the check run's verdict.
    """

    findings: tuple[Finding, ...]
    checklist: tuple[ChecklistItem, ...]
    stats: ReviewStats
    notes: tuple[str, ...] = ()
    llm_used: bool = False
    unreviewed: tuple[SkippedFile, ...] = ()
    over_cap: tuple[Finding, ...] = ()

    def to_json(self) -> dict[str, object]:
        """Return the result as the version-1 JSON document (README: JSON output)."""
        return {
            "version": 1,
            "findings": [f.to_json() for f in self.findings],
            "checklist": [c.to_json() for c in self.checklist],
            "stats": self.stats.to_json(),
        }
