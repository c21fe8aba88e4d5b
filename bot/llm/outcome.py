"""What each request of a review came to, and the notes and gaps that users are told about."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.llm.triage import Verdict
from bot.review.models import Finding, SkippedFile

Status = Literal["ok", "invalid", "failed", "skipped", "deadline"]


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    """The result of one batch: its findings and cost, or why it produced none."""

    paths: tuple[str, ...]
    status: Status
    findings: tuple[Finding, ...] = ()
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reason: str = ""
    verdicts: tuple[Verdict, ...] = ()


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


def batch_notes(outcomes: Sequence[BatchOutcome]) -> list[str]:
    """Return one sentence per kind of trouble, e.g. "1 of 4 LLM batches returned invalid output..."."""
    total = len(outcomes)
    notes = []
    invalid = sum(1 for o in outcomes if o.status == "invalid")
    if invalid:
        notes.append(f"{invalid} of {total} LLM batches returned invalid output and {_were(invalid)} dropped")
    failed = [o.reason for o in outcomes if o.status == "failed"]
    if failed:
        reason = Counter(failed).most_common(1)[0][0]
        notes.append(
            f"{len(failed)} of {total} LLM batches failed ({reason}) and {_were(len(failed))} not reviewed by the LLM"
        )
    skipped = [o.reason for o in outcomes if o.status == "skipped"]
    if skipped:
        notes.append(f"{len(skipped)} of {total} LLM batches {_were(len(skipped))} skipped: {skipped[0]}")
    return notes


def deadline_note(outcomes: Sequence[BatchOutcome], *, seconds: float, paused_for: float) -> list[str]:
    """Return the sentence naming what the model did not review before the deadline, if anything."""
    late = [o for o in outcomes if o.status == "deadline"]
    if not late:
        return []
    paths = list(dict.fromkeys(p for o in late for p in o.paths))
    shown = ", ".join(paths[:10]) + (f" and {len(paths) - 10} more" if len(paths) > 10 else "")
    note = (
        f"the LLM did not answer within {seconds:g} s; {len(late)} of {len(outcomes)} batches were not reviewed: "
        f"{shown}"
    )
    if paused_for > 0:
        note += f"; the circuit breaker is open: the LLM is skipped for the next {paused_for:.0f} s"
    return [note]


def dismissed_note(dismissed: int, asked: int) -> list[str]:
    """Return the sentence saying how many weak static findings the model dismissed."""
    if not dismissed:
        return []
    return [f"the LLM dismissed {dismissed} of {asked} weak static findings as false positives; they are not posted"]


def budget_note(left_out: Sequence[SkippedFile], budget: int) -> list[str]:
    """Return the sentence saying what the token budget left out, if anything."""
    if not left_out:
        return []
    files = len(left_out)
    noun = "file was" if files == 1 else "files were"
    return [
        f"{files} {noun} not (fully) reviewed by the LLM: over the budget of {budget:,} prompt tokens "
        "(budget.max_prompt_tokens); riskiest changes went first"
    ]


def unreviewed(outcomes: Sequence[BatchOutcome], left_out: Sequence[SkippedFile]) -> tuple[SkippedFile, ...]:
    """Return every file or part the LLM did not see or whose answer was lost, each reason once."""
    out: dict[tuple[str, str], SkippedFile] = {(s.path, s.reason): s for s in left_out}
    for outcome in outcomes:
        if outcome.status == "ok":
            continue
        reason = {
            "invalid": "the LLM returned invalid output",
            "failed": f"the LLM request failed ({outcome.reason})",
            "skipped": "the LLM was paused after repeated failures",
            "deadline": "the LLM did not answer within the deadline",
        }[outcome.status]
        for path in outcome.paths:
            out.setdefault((path, reason), SkippedFile(path, reason))
    return tuple(out.values())
