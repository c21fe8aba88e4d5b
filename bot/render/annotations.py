"""Findings as GitHub workflow commands (`::error file=...,line=...::message`): annotations on a run's files.

GitHub reads these lines from a step's standard output. Its rules for a command's text: in the message, `%`,
`\r` and `\n` are escaped; in a property value also `:` and `,`, which would otherwise end the value.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.review.models import Finding, Severity

_COMMAND: dict[Severity, str] = {"critical": "error", "high": "error", "medium": "warning", "low": "notice"}
MAX_MESSAGE = 4000


def escape_data(text: str) -> str:
    """Escape the message of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value of a workflow command (file, title)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """Return the workflow command that annotates `finding`: error, warning or notice by its severity."""
    props = [f"file={escape_property(finding.path)}", f"line={finding.line}"]
    if finding.end_line and finding.end_line > finding.line:
        props.append(f"endLine={finding.end_line}")
    title = " ".join(f"prodready {finding.severity} · {finding.category}: {finding.title}".split())
    props.append(f"title={escape_property(title)}")
    message = f"{finding.title}\n\n{finding.body.strip()}"
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 1] + "…"
    return f"::{_COMMAND[finding.severity]} {','.join(props)}::{escape_data(message)}"


def render_annotations(findings: Sequence[Finding]) -> str:
    """Return one workflow command line per finding."""
    return "".join(annotation(f) + "\n" for f in findings)
