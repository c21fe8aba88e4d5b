"""The model as a second opinion on weak static findings: which are kept and which it dismissed (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.review.models import Finding


@dataclass(frozen=True, slots=True)
class Verdict:
    """The model's word on one candidate."""

    id: str
    dismissed: bool
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Triage:
    """The findings to post, and the weak ones the model dismissed with its reason."""

    kept: tuple[Finding, ...]
    dismissed: tuple[tuple[Finding, str], ...]


def candidate_ids(findings: Sequence[Finding]) -> dict[str, Finding]:
    """Return the weak findings keyed by the id the model sees ("W1", "W2", ... in the findings' order)."""
    weak = [f for f in findings if f.source == "static" and f.evidence == "weak"]
    return {f"W{n}": f for n, f in enumerate(weak, 1)}


def triage(findings: Sequence[Finding], verdicts: Mapping[str, Verdict]) -> Triage:
    """Split `findings`: a weak one the model dismissed goes, everything else stays.

    Strong findings stay whatever the model says; a weak one without a verdict stays (no answer dismisses
    nothing), and so does one the model confirmed.
    """
    ids = {id(f): key for key, f in candidate_ids(findings).items()}
    kept: list[Finding] = []
    dismissed: list[tuple[Finding, str]] = []
    for finding in findings:
        key = ids.get(id(finding))
        verdict = verdicts.get(key) if key is not None else None
        if verdict is not None and verdict.dismissed:
            dismissed.append((finding, verdict.reason))
        else:
            kept.append(finding)
    return Triage(tuple(kept), tuple(dismissed))
