"""The values of the flow analysis: where tainted data came from, the path it took, and what a sink is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.review.models import Evidence, Severity

# "request": data a client sends (parameters, body, headers, cookies, path); "parameter": a function's argument
# whose callers are not visible here, weaker evidence.
Strength = Literal["request", "parameter"]
SinkKind = Literal["sql", "shell", "code", "deserialize", "path", "ssrf", "redirect", "html", "xpath", "ldap"]


@dataclass(frozen=True, slots=True)
class Step:
    """One place tainted data passed through: `line`, and what happened there (`q` from `request.args`)."""

    line: int
    text: str


@dataclass(frozen=True, slots=True)
class Taint:
    """Data of `strength` origin and the steps it took so far (source first)."""

    strength: Strength
    steps: tuple[Step, ...]
    # One segment of the URL's path (`/{file_name}`): the router matched it between slashes, so it holds no `/`.
    segment: bool = False

    def then(self, step: Step) -> Taint:
        """Return this taint with one more step (the same step twice in a row is kept once)."""
        if self.steps and self.steps[-1] == step:
            return self
        return Taint(self.strength, (*self.steps, step)[-8:], self.segment)


def stronger(a: Taint | None, b: Taint | None) -> Taint | None:
    """Return the taint with the stronger origin (request data over a parameter), or the one present."""
    if a is None:
        return b
    if b is None:
        return a
    if a.strength == "parameter" and b.strength == "request":
        return b
    return b if a.segment and not b.segment and b.strength == a.strength else a


@dataclass(frozen=True)
class Sink:
    """A call that is dangerous when tainted data reaches argument `args` (indexes; None: any argument).

    `callee` matches the whole callee text (`cursor.execute`, `new File`); `keywords` are argument names that
    count as the dangerous position too; `needs` must match the argument or a step of its path (SQL text for a
    generic `query` method); `unless` is a keyword-argument text that makes the call safe (`Loader=SafeLoader`);
    `requires_keyword` is one that must be there (`shell=True`).
    """

    kind: SinkKind
    callee: re.Pattern[str]
    args: tuple[int, ...] | None = (0,)
    keywords: frozenset[str] = frozenset()
    needs: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    requires_keyword: re.Pattern[str] | None = None
    # A parameter reaching this sink is reported (as weak evidence) only for sinks where building the text
    # from any value is itself the defect.
    parameters_count: bool = False
    # The receiver is the dangerous input (`stream.readObject()` on a stream of request bytes).
    receiver: bool = False
    # The call's own text must match (`exec.Command("sh", "-c", ...)`).
    call_needs: re.Pattern[str] | None = None
    # A file sink that one URL path segment cannot misuse: without a `/` it names a file in the folder the code
    # chose, or `..`, a folder, which opening as a file fails on. Not so for folder operations (`rmtree`).
    one_segment_harmless: bool = False
    # A source this sink validates itself (the first step's text: `r.URL.Path` for Go's http.ServeFile).
    checks_source: re.Pattern[str] | None = None


@dataclass(frozen=True)
class FlowHit:
    """Tainted data reaching a sink: the rule it belongs to, the sink's lines, and the path."""

    kind: SinkKind
    line: int
    end_line: int
    sink: str
    taint: Taint

    @property
    def severity_and_evidence(self) -> tuple[Severity, Evidence]:
        """Return the severity the evidence supports: request data is the real thing, a parameter is a lead."""
        if self.taint.strength == "parameter":
            return "low", "weak"
        return SEVERITY[self.kind], "strong"


SEVERITY: dict[SinkKind, Severity] = {
    "sql": "high",
    "shell": "critical",
    "code": "critical",
    "deserialize": "high",
    "path": "high",
    "ssrf": "high",
    "redirect": "medium",
    "html": "medium",
    "xpath": "high",
    "ldap": "high",
}
