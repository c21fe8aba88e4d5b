"""Print and write the Benchmark figures: the two scorecards, the rules that fired, what was not reviewed."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from eval.owasp.benchmark import TestCase
from eval.owasp.review import FileOutcome, Hit
from eval.owasp.scoring import CATEGORY_RULES, Score, Verdict, average_youden, pooled, rule_matches, score

# The two ways a file counts as flagged: any security finding, or one of a rule mapped to its category.
FLAGGED_BY: dict[str, Callable[[TestCase, Hit], bool]] = {
    "any_security": lambda case, hit: hit.category == "security",
    "mapped_rules": lambda case, hit: hit.category == "security" and rule_matches(case.category, hit.rule),
}
TITLES = {
    "any_security": "any security finding",
    "mapped_rules": "a security finding of a rule mapped to the file's category",
}


@dataclass(slots=True)
class RuleCount:
    """How often one rule fired: files of each kind it fired on, its findings, and their categories."""

    vulnerable: int = 0
    safe: int = 0
    findings: int = 0
    categories: set[str] = field(default_factory=set)
    benchmark_categories: Counter[str] = field(default_factory=Counter)  # files per Benchmark category


@dataclass(frozen=True, slots=True)
class Run:
    """One run over the Benchmark: the cases, what the review said of each file, and how long it took."""

    mirror: str
    commit: str
    cases: list[TestCase]
    outcomes: Mapping[str, FileOutcome]
    seconds: float
    jobs: int

    def reviewed(self) -> list[tuple[TestCase, FileOutcome]]:
        """Return the cases whose file the mirror has, with their outcome."""
        return [(c, self.outcomes[c.path]) for c in self.cases if c.path in self.outcomes]

    def scorecards(self) -> dict[str, dict[str, Score]]:
        """Return a Score per category for each way of counting a file as flagged."""
        return {
            name: score(Verdict(c.category, c.vulnerable, any(flag(c, h) for h in o.hits)) for c, o in self.reviewed())
            for name, flag in FLAGGED_BY.items()
        }

    def rule_counts(self) -> dict[str, RuleCount]:
        """Return how often each rule fired, most files first."""
        counts: dict[str, RuleCount] = {}
        for case, outcome in self.reviewed():
            for rule in {h.rule or "(no rule)" for h in outcome.hits}:
                count = counts.setdefault(rule, RuleCount())
                count.benchmark_categories[case.category] += 1
                if case.vulnerable:
                    count.vulnerable += 1
                else:
                    count.safe += 1
            for hit in outcome.hits:
                counts[hit.rule or "(no rule)"].findings += 1
                counts[hit.rule or "(no rule)"].categories.add(hit.category)
        return dict(sorted(counts.items(), key=lambda kv: (-(kv[1].vulnerable + kv[1].safe), kv[0])))


# Whole numbers (line counts, line numbers), not version numbers such as "3.11".
_DIGITS = re.compile(r"(?<![\d.])\d+(?![\d.])")


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


_HEADER = f"  {'category':16} {'vuln':>5} {'safe':>5} {'TP':>5} {'FN':>5} {'TN':>5} {'FP':>5}     TPR    FPR  Youden"


def _row(label: str, s: Score) -> str:
    return (
        f"  {label:16} {s.tp + s.fn:5} {s.tn + s.fp:5} {s.tp:5} {s.fn:5} {s.tn:5} {s.fp:5}"
        f"  {_pct(s.tpr)} {_pct(s.fpr)} {100 * s.youden:+7.1f}"
    )


def report(run: Run, *, verbose: bool) -> None:
    """Print the figures of `run`."""
    reviewed = run.reviewed()
    missing = [c for c in run.cases if c.path not in run.outcomes]
    errors = [o for _, o in reviewed if o.error]
    skipped = [o for _, o in reviewed if o.skipped]
    diff_only = [o for _, o in reviewed if o.diff_only]
    print(f"OWASP BenchmarkPython at {run.commit[:12]} ({run.mirror})")
    print(
        f"test files: {len(run.cases)} in the expected results, {len(reviewed)} reviewed "
        f"({sum(c.vulnerable for c, _ in reviewed)} vulnerable, {sum(not c.vulnerable for c, _ in reviewed)} safe) "
        f"in {run.seconds:.0f} s with {run.jobs} job(s)"
    )
    print(
        f"not reviewed: {len(missing)} missing from the mirror, {len(errors)} review errors; "
        f"{len(skipped)} with skipped_files entries; {len(diff_only)} seen as hunks only (no whole-file context)"
    )
    for name, scores in run.scorecards().items():
        print(f"\nflagged = {TITLES[name]}:")
        print(_HEADER)
        for category, s in scores.items():
            print(_row(category, s))
        print(_row("pooled", pooled(scores)))
        print(f"  overall Youden (average of categories): {100 * average_youden(scores):+.1f}")
    unmapped = sorted({c.category for c in run.cases} - CATEGORY_RULES.keys())
    if unmapped:
        print(f"  categories without mapped rules (never flagged by a mapped rule): {', '.join(unmapped)}")

    print("\nrules that fired (files of each kind, findings):")
    print(f"  {'rule':38} {'category':17} {'vuln':>5} {'safe':>5} {'findings':>8}  files per Benchmark category")
    counts = run.rule_counts()
    for rule, c in counts.items():
        where = " ".join(f"{k}:{n}" for k, n in sorted(c.benchmark_categories.items()))
        print(f"  {rule:38} {','.join(sorted(c.categories)):17} {c.vulnerable:5} {c.safe:5} {c.findings:8}  {where}")
    if not counts:
        print("  (none)")

    if skipped:
        per_category = Counter(c.category for c, o in reviewed if o.skipped)
        where = " ".join(f"{k}:{n}" for k, n in sorted(per_category.items()))
        print(f"\nfiles with skipped_files entries: {len(skipped)} ({where}); reasons, numbers as N:")
        reasons = Counter(_DIGITS.sub("N", r) for o in skipped for r in o.skipped)
        for reason, n in reasons.most_common():
            print(f"  {n:5}  {reason}")
    for case in missing:
        print(f"MISSING  {case.path}: not in the mirror")
    for o in errors:
        print(f"ERROR    {o.path}: {o.error}")
    for o in diff_only:
        print(f"HUNKONLY {o.path}: the rules did not get the whole file")
    if verbose:
        for o in skipped:
            print(f"SKIPPED  {o.path}: {'; '.join(o.skipped)}")
        print()
        for case, o in reviewed:
            rules = ", ".join(f"{h.rule}:{h.line}({h.category})" for h in o.hits) or "-"
            real = "vulnerable" if case.vulnerable else "safe"
            print(f"{case.name} {case.category:15} {real:10} {rules}")


def write_json(run: Run, out: Path) -> None:
    """Write the figures of `run` as JSON to `out`."""
    reviewed = run.reviewed()
    data = {
        "benchmark": {"repo": "OWASP-Benchmark/BenchmarkPython", "commit": run.commit},
        "seconds": round(run.seconds, 1),
        "jobs": run.jobs,
        "files": {
            "expected": len(run.cases),
            "reviewed": len(reviewed),
            "missing": [c.path for c in run.cases if c.path not in run.outcomes],
            "errors": {o.path: o.error for _, o in reviewed if o.error},
            "skipped_files": {o.path: list(o.skipped) for _, o in reviewed if o.skipped},
            "diff_only": [o.path for _, o in reviewed if o.diff_only],
        },
        "category_rules": {k: list(v) for k, v in CATEGORY_RULES.items()},
        "scorecards": {
            name: {
                "categories": {cat: s.to_json() for cat, s in scores.items()},
                "pooled": pooled(scores).to_json(),
                "average_youden": round(average_youden(scores), 4),
            }
            for name, scores in run.scorecards().items()
        },
        "rules": {
            rule: {
                "vulnerable_files": c.vulnerable,
                "safe_files": c.safe,
                "findings": c.findings,
                "categories": sorted(c.categories),
                "benchmark_categories": dict(sorted(c.benchmark_categories.items())),
            }
            for rule, c in run.rule_counts().items()
        },
    }
    out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
