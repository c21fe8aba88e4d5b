"""The value types of the static rules: a loaded rule, its catalog entry and a rule's raw hit."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Literal

from bot.review.models import Category, Evidence, Severity

InTests = Literal["skip", "report"]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What `prodready rules` lists about one rule."""

    id: str
    category: Category
    severity: Severity
    languages: tuple[str, ...]
    title: str


@dataclass(frozen=True)
class SgRule:
    """An ast-grep rule with prodready's metadata; `matcher` is what `SgNode.find_all` takes."""

    id: str
    language: str
    category: Category
    severity: Severity
    title: str
    message: str
    body: str
    matcher: dict[str, Any]
    fix: str | None = None
    in_tests: InTests = "skip"
    files: tuple[str, ...] = ()
    ignores: tuple[str, ...] = ()
    origin: str = "built-in"
    # A cheap text test that every match needs: files without it skip the (far slower) tree search.
    requires: re.Pattern[str] | None = None
    # Metavariables the rule's patterns can capture: a fix that leaves one out would drop that code.
    metavars: frozenset[str] = frozenset()
    # "weak": the LLM, when used, confirms or dismisses each finding (metadata.evidence).
    evidence: Evidence = "strong"
    # Server-only rules (metadata.runs_on: server) skip browser and mobile code.
    server_only: bool = False
    # metadata.also_at: a metavariable whose lines are part of each match's evidence (the field declaration of
    # a double-checked lock): a change to those lines makes the match the change's, and it is reported there.
    also_at: str | None = None

    @property
    def info(self) -> RuleInfo:
        """Return the catalog entry of the rule."""
        return RuleInfo(self.id, self.category, self.severity, (self.language,), self.title)


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a rule matched: new-side lines `line`..`end_line` and an optional replacement for them.

    `title`, `body` and `severity` replace the rule's own for this hit (a rule whose evidence varies by place).
    """

    line: int
    end_line: int
    suggestion: str | None = None
    title: str | None = None
    body: str | None = None
    # What this hit's evidence supports, when it differs from the rule's (a flow from a parameter is weaker).
    severity: Severity | None = None
    evidence: Evidence | None = None
    # Other lines the finding rests on (SgRule.also_at): changing them introduces it as much as its own lines.
    also: tuple[int, ...] = ()

    @property
    def own_lines(self) -> range:
        """Return the lines the match covers."""
        return range(self.line, self.end_line + 1)

    def touches(self, lines: Collection[int]) -> bool:
        """Tell whether `lines` holds one of the match's own lines or of the lines its evidence rests on."""
        return any(n in lines for n in self.own_lines) or any(n in lines for n in self.also)
