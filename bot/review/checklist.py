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

# The file kinds the built-in static rules read (ast-grep rules and Python checks). Kept here rather than imported
# from bot.rules, which imports the review core. Credentials are found in every file, but one rule does not
# make a row checked.
_RULE_CODE = re.compile(r"\.(py|pyi|js|jsx|mjs|cjs|ts|mts|cts|tsx|go|java)$")
# Tests, docs, fixtures and migrations: the rules skip them, so they cannot make a row pass.
_NOT_SHIPPED = re.compile(
    r"(^|/)(tests?|__tests__|testing|testsuites?|spec|specs|e2e|fixtures?|testdata|docs?|migrations)/"
    r"|(^|/)test_[^/]*\.py$|_test\.go$|\.(test|spec)\.[cm]?[jt]sx?$|(^|/)src/test/"
)

# What the static rules of each row look for: a pass offline means only that these were looked for.
_STATIC_LOOKS_FOR: dict[ChecklistId, str] = {
    "configuration": "hard-coded localhost addresses, debug switches and credentials",
    "failure_handling": "HTTP clients without timeouts and retries without backoff",
    "security": "injection sinks fed from variables, disabled TLS or token checks, and credentials",
    "concurrency": "shared state written without a lock and unbounded goroutines, threads or tasks",
    "data_volume": "queries without a limit and queries inside loops",
    "logging": "errors caught and dropped, and stack traces printed instead of logged",
    "monitoring": "",
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
    code_files = [f for f in files if _RULE_CODE.search(f.path) and not _NOT_SHIPPED.search(f.path)]
    code_text = "\n".join(line for f in code_files for line in f.added.values())
    by_id: dict[ChecklistId, list[Finding]] = {cid: [] for cid in CHECKLIST_IDS}
    for finding in findings:
        by_id[checklist_id_for(finding)].append(finding)
    return tuple(
        _item(cid, by_id[cid], added_text=added_text, code_text=code_text, config=config, llm_used=llm_used)
        for cid in CHECKLIST_IDS
    )


def _category_of(cid: ChecklistId) -> Category:
    return "observability" if cid in ("logging", "monitoring") else cid  # type: ignore[return-value]


def _item(
    cid: ChecklistId, found: list[Finding], *, added_text: str, code_text: str, config: RepoConfig, llm_used: bool
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
    if not llm_used and not _RELEVANT[cid].search(code_text):
        # Offline only the static rules looked, and they read shipped Python, JS/TS, Go and Java code only.
        return ChecklistItem(
            cid,
            "not_applicable",
            f"Not checked: whether {_TITLES[cid]}. The change touches it only in files the static rules do not "
            "read (other languages, tests, docs, migrations); the LLM review or a person would check it.",
        )
    # Finding nothing is not proof: say who looked and for what, not that the property holds.
    if not llm_used:
        return ChecklistItem(
            cid,
            "pass",
            f"Checked by static rules only (no LLM review), which looked for {_STATIC_LOOKS_FOR[cid]} and found "
            f"none: whether {_TITLES[cid]} beyond that needs the LLM review or a person.",
        )
    how = "static rules and the LLM review" if llm_used else "static rules only (no LLM review)"
    return ChecklistItem(cid, "pass", f"Checked by {how}, which found no problem: whether {_TITLES[cid]}.")


def _describe(found: list[Finding]) -> str:
    worst = sorted(found, key=lambda f: (-severity_rank(f.severity), f.path, f.line))
    shown = "; ".join(f"{f.title} ({f.path}:{f.line})" for f in worst[:3])
    more = f"; and {len(found) - 3} more" if len(found) > 3 else ""
    noun = "finding" if len(found) == 1 else "findings"
    return f"{len(found)} {noun}: {shown}{more}."
