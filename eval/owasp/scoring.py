"""Score file-level verdicts as the OWASP Benchmark scorecard does: TPR, FPR and Youden index per category."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Which of our rule ids count as a finding "of" a Benchmark category. Read a row as: a file of category
# `sqli` is flagged for its category when a security finding's rule id has a dash-separated word starting
# with "sql". Matching at a word start, not anywhere, keeps "code" off `hardcoded-secret` while "deserial"
# still matches `py-unsafe-deserialization`. Adjust a row when a rule is added or renamed; a category
# missing here is never flagged by a matching rule (the report names it).
CATEGORY_RULES: dict[str, tuple[str, ...]] = {
    "cmdi": ("shell", "command"),
    "codeinj": ("eval", "code"),
    "deserialization": ("deserial", "pickle", "yaml"),
    "hash": ("hash",),
    "ldapi": ("ldap",),
    "pathtraver": ("path",),
    "redirect": ("redirect",),
    "securecookie": ("cookie",),
    "sqli": ("sql",),
    "trustbound": ("trust", "session"),
    "weakrand": ("random",),
    "xpathi": ("xpath",),
    "xss": ("xss", "html"),
    "xxe": ("xxe", "xml"),
}


def rule_matches(category: str, rule: str | None) -> bool:
    """Tell whether `rule` is one of the rules `CATEGORY_RULES` maps to Benchmark `category`."""
    return rule is not None and any(_word_start(part).search(rule) for part in CATEGORY_RULES.get(category, ()))


def _word_start(part: str) -> re.Pattern[str]:
    return re.compile(r"(?:^|-)" + re.escape(part))


@dataclass(frozen=True, slots=True)
class Verdict:
    """One test file: its Benchmark category, whether it is really vulnerable, whether we flagged it."""

    category: str
    vulnerable: bool
    flagged: bool


@dataclass(frozen=True, slots=True)
class Score:
    """A confusion matrix and the rates the Benchmark scorecard reports."""

    tp: int = 0
    fn: int = 0
    tn: int = 0
    fp: int = 0

    @property
    def tpr(self) -> float:
        """Return the true positive rate (recall on vulnerable files); 0 with none."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def fpr(self) -> float:
        """Return the false positive rate (share of safe files flagged); 0 with none."""
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0

    @property
    def youden(self) -> float:
        """Return Youden's index TPR - FPR: 0 is guessing, 1 is perfect, below 0 worse than guessing."""
        return self.tpr - self.fpr

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fn + other.fn, self.tn + other.tn, self.fp + other.fp)

    def to_json(self) -> dict[str, float | int]:
        """Return the counts and rates as a JSON object."""
        return {
            "tp": self.tp,
            "fn": self.fn,
            "tn": self.tn,
            "fp": self.fp,
            "tpr": round(self.tpr, 4),
            "fpr": round(self.fpr, 4),
            "youden": round(self.youden, 4),
        }


def score(verdicts: Iterable[Verdict]) -> dict[str, Score]:
    """Return a Score per Benchmark category, categories sorted by name."""
    counts: dict[str, list[int]] = {}
    for v in verdicts:
        c = counts.setdefault(v.category, [0, 0, 0, 0])
        c[(0 if v.flagged else 1) if v.vulnerable else (3 if v.flagged else 2)] += 1
    return {cat: Score(*counts[cat]) for cat in sorted(counts)}


def average_youden(scores: Mapping[str, Score]) -> float:
    """Return the mean of the per-category Youden indexes (the scorecard's overall figure); 0 with none."""
    return sum(s.youden for s in scores.values()) / len(scores) if scores else 0.0


def pooled(scores: Mapping[str, Score]) -> Score:
    """Return the counts of every category added up: each file weighs the same, whatever its category."""
    return sum(scores.values(), Score())
