"""Derive the pre-deployment checklist from the findings and what the diff touches."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.review.config import RepoConfig
from bot.review.diff import FileDiff
from bot.review.models import (
    CHECKLIST_IDS,
    Category,
    ChecklistId,
    ChecklistItem,
    ChecklistStatus,
    Finding,
    at_least,
    severity_rank,
)

_TITLES: dict[ChecklistId, str] = {
    "configuration": "configuration comes from the environment",
    "failure_handling": "external calls handle errors and time out",
    "security": "input is validated",
    "concurrency": "shared state is safe under concurrent requests",
    "data_volume": "performance holds at production volume",
    "logging": "errors are logged",
    "monitoring": "critical paths are monitored",
}

# What added code must mention for a checklist row to apply; a row with nothing to check is not_applicable.
_RELEVANT: dict[ChecklistId, re.Pattern[str]] = {
    "configuration": re.compile(r"\w"),
    "failure_handling": re.compile(
        r"https?://|request|fetch|axios|http|client|connect|socket|\.call\(|urlopen|session|"
        r"execute|query|publish|send|rpc|grpc",
        re.IGNORECASE,
    ),
    "security": re.compile(
        r"request|params|query|body|form|input|argv|sql|execute|exec|eval|subprocess|shell|"
        r"token|password|secret|auth|jwt|cookie|upload|path",
        re.IGNORECASE,
    ),
    "concurrency": re.compile(
        r"thread|lock|mutex|async|await|go func|goroutine|synchronized|atomic|transaction|"
        r"concurrent|pool|worker|queue|global |\.save\(|update|decrement|increment",
        re.IGNORECASE,
    ),
    "data_volume": re.compile(
        r"select|query|\.all\(|find|fetch|read|load|for |while |map\(|cache|list|limit|page",
        re.IGNORECASE,
    ),
    "logging": re.compile(r"except|catch|err\b|error|raise|throw|panic|fail", re.IGNORECASE),
    "monitoring": re.compile(
        r"def |function |func |class |handler|route|endpoint|@app\.|router|job|task|payment|charge",
        re.IGNORECASE,
    ),
}

# "trace" alone would send printStackTrace findings here; they are about logging.
_MONITORING_WORDS = re.compile(r"metric|monitor|alert|tracing|dashboard|instrument|\bslo\b", re.IGNORECASE)


def checklist_id_for(finding: Finding) -> ChecklistId:
    """Return the checklist row a finding belongs to; observability splits into logging and monitoring."""
    if finding.category != "observability":
        return finding.category
    text = f"{finding.title} {finding.rule or ''}"
    return "monitoring" if _MONITORING_WORDS.search(text) else "logging"


def build_checklist(
    findings: Sequence[Finding], *, files: Sequence[FileDiff], config: RepoConfig, llm_used: bool
) -> tuple[ChecklistItem, ...]:
    """Return one checklist item per checklist id, in the documented order."""
    added_text = "\n".join(line for f in files for line in f.added.values())
    by_id: dict[ChecklistId, list[Finding]] = {cid: [] for cid in CHECKLIST_IDS}
    for finding in findings:
        by_id[checklist_id_for(finding)].append(finding)
    return tuple(
        _item(cid, by_id[cid], added_text=added_text, config=config, llm_used=llm_used) for cid in CHECKLIST_IDS
    )


def _category_of(cid: ChecklistId) -> Category:
    return "observability" if cid in ("logging", "monitoring") else cid  # type: ignore[return-value]


def _item(
    cid: ChecklistId, found: list[Finding], *, added_text: str, config: RepoConfig, llm_used: bool
) -> ChecklistItem:
    if not config.category_enabled(_category_of(cid)):
        return ChecklistItem(cid, "not_applicable", f"Not checked: {_category_of(cid)} is off in the config.")
    if found:
        status: ChecklistStatus = "fail" if any(at_least(f.severity, "high") for f in found) else "warn"
        return ChecklistItem(cid, status, _describe(found))
    if not added_text.strip() or not _RELEVANT[cid].search(added_text):
        return ChecklistItem(cid, "not_applicable", f"Nothing in this change bears on whether {_TITLES[cid]}.")
    if cid == "monitoring" and not llm_used:
        # No static rule can tell whether a path is measured; a pass here would be a claim nobody checked.
        return ChecklistItem(
            cid, "not_applicable", "Not checked: whether critical paths are monitored needs the LLM review."
        )
    # Finding nothing is not proof: say who looked and for what, not that the property holds.
    how = "static rules and the LLM review" if llm_used else "static rules only (no LLM review)"
    return ChecklistItem(cid, "pass", f"Checked by {how}, which found no problem: whether {_TITLES[cid]}.")


def _describe(found: list[Finding]) -> str:
    worst = sorted(found, key=lambda f: (-severity_rank(f.severity), f.path, f.line))
    shown = "; ".join(f"{f.title} ({f.path}:{f.line})" for f in worst[:3])
    more = f"; and {len(found) - 3} more" if len(found) > 3 else ""
    noun = "finding" if len(found) == 1 else "findings"
    return f"{len(found)} {noun}: {shown}{more}."
