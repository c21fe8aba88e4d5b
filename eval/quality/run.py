"""Measure the offline review against the labeled diffs in eval/quality/cases.

Each case is a folder holding `change.diff` (git unified format) and `labels.yml`:

    description: what the change does
    defects:                     # empty for a clean diff
      - {path: src/app.ts, line: 42, category: security}

A label is found when a finding of the same category on the same path lies within 3 lines of it.
Prints recall per category and overall, recall per language (from the labeled path's extension) and
per category and language, false positives per 1,000 changed lines, and every high or critical
finding on a clean diff. The targets are on the per-category and overall figures only.

Run: `.venv/bin/python -m eval.quality.run [FOLDER] [CASE ...] [--verbose]`; FOLDER holds the case folders
(default `eval/quality/cases`; `eval/quality/holdout` is the set written apart from the rules).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from bot.review.config import RepoConfig
from bot.review.diff import parse_diff
from bot.review.models import CATEGORIES, Finding, at_least
from bot.review.pipeline import run_review
from bot.rules.engine import run_rules

CASES = Path(__file__).parent / "cases"
WINDOW = 3
RECALL_TARGET = 0.7
# Measure what the rules find, not what a team would choose to see: nothing capped or filtered.
CONFIG = RepoConfig(max_comments=200, min_severity="low")
# The language a label counts under, by its path's extension; anything else counts as "other".
LANGUAGES = {
    ".py": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".tsx": "typescript",
    ".go": "go",
    ".java": "java",
}
LANGUAGE_ORDER = ("python", "javascript", "typescript", "go", "java", "other")


@dataclass(frozen=True, slots=True)
class Label:
    """One known defect of a case."""

    case: str
    path: str
    line: int
    category: str


@dataclass(frozen=True, slots=True)
class CaseResult:
    """What the review found on one case, next to what it should have found."""

    name: str
    clean: bool
    labels: tuple[Label, ...]
    findings: tuple[Finding, ...]
    changed_lines: int


def _near(finding: Finding, label: Label) -> bool:
    last = finding.end_line or finding.line
    return (
        finding.path == label.path
        and finding.category == label.category
        and finding.line - WINDOW <= label.line <= last + WINDOW
    )


def language_of(path: str) -> str:
    """Return the language a labeled path counts under."""
    return LANGUAGES.get(PurePosixPath(path).suffix.lower(), "other")


def load_labels(case: Path) -> tuple[bool, tuple[Label, ...]]:
    """Read a case's labels.yml; a case with no defects is a clean diff."""
    data = yaml.safe_load((case / "labels.yml").read_text(encoding="utf-8")) or {}
    defects = data.get("defects") or []
    labels = []
    for item in defects:
        if item["category"] not in CATEGORIES:
            raise ValueError(f"{case.name}: unknown category {item['category']!r}")
        labels.append(Label(case.name, item["path"], int(item["line"]), item["category"]))
    return not labels, tuple(labels)


async def review_case(case: Path) -> CaseResult:
    """Run the offline pipeline on one case."""
    clean, labels = load_labels(case)
    files = parse_diff((case / "change.diff").read_bytes())
    result = await run_review(files, rules=run_rules, config=CONFIG, llm=None)
    return CaseResult(case.name, clean, labels, result.findings, result.stats.changed_lines)


def _print_by_language(found: Counter[tuple[str, str]], total: Counter[tuple[str, str]]) -> None:
    """Print recall per language, then a category x language table of found/labeled."""
    languages = [lang for lang in LANGUAGE_ORDER if any(key[1] == lang for key in total)]
    print(f"{'language':<18}{'found':>7}{'labeled':>9}{'recall':>8}")
    for lang in languages:
        hit = sum(n for (_, la), n in found.items() if la == lang)
        of = sum(n for (_, la), n in total.items() if la == lang)
        print(f"{lang:<18}{hit:>7}{of:>9}{hit / of:>8.2f}")
    print(f"{'found/labeled':<18}" + "".join(f"{lang:>12}" for lang in languages))
    for category in CATEGORIES:
        if any(key[0] == category for key in total):
            cells = [
                f"{found[category, lang]}/{total[category, lang]}" if total[category, lang] else "-"
                for lang in languages
            ]
            print(f"{category:<18}" + "".join(f"{cell:>12}" for cell in cells))


def report(results: list[CaseResult], *, verbose: bool) -> bool:
    """Print the figures; return whether every target holds."""
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    found_by_language: Counter[tuple[str, str]] = Counter()
    total_by_language: Counter[tuple[str, str]] = Counter()
    misses: list[Label] = []
    false_positives: list[tuple[str, Finding]] = []
    clean_alarms: list[tuple[str, Finding]] = []
    for res in results:
        for label in res.labels:
            key = (label.category, language_of(label.path))
            total[label.category] += 1
            total_by_language[key] += 1
            if any(_near(f, label) for f in res.findings):
                found[label.category] += 1
                found_by_language[key] += 1
            else:
                misses.append(label)
        for finding in res.findings:
            if not any(_near(finding, label) for label in res.labels):
                false_positives.append((res.name, finding))
            if res.clean and at_least(finding.severity, "high"):
                clean_alarms.append((res.name, finding))
    changed = sum(r.changed_lines for r in results)
    clean_cases = sum(r.clean for r in results)
    print(
        f"cases: {len(results)} ({clean_cases} clean), labeled defects: {sum(total.values())}, changed lines: {changed}"
    )
    ok = True
    print(f"{'category':<18}{'found':>7}{'labeled':>9}{'recall':>8}")
    for category in CATEGORIES:
        if total[category]:
            recall = found[category] / total[category]
            ok &= recall >= RECALL_TARGET
            print(f"{category:<18}{found[category]:>7}{total[category]:>9}{recall:>8.2f}")
    overall = sum(found.values()) / max(1, sum(total.values()))
    ok &= overall >= RECALL_TARGET
    print(f"{'overall':<18}{sum(found.values()):>7}{sum(total.values()):>9}{overall:>8.2f}")
    if total_by_language:
        _print_by_language(found_by_language, total_by_language)
    per_kloc = 1000 * len(false_positives) / max(1, changed)
    print(f"false positives: {len(false_positives)} ({per_kloc:.1f} per 1,000 changed lines)")
    print(f"high/critical findings on clean diffs: {len(clean_alarms)}")
    for name, f in clean_alarms:
        print(f"  {name}: {f.path}:{f.line} {f.severity} {f.rule} {f.title}")
    ok &= not clean_alarms
    if verbose:
        for label in misses:
            print(f"MISS {label.case}: {label.path}:{label.line} {label.category}")
        for name, f in false_positives:
            print(f"FP   {name}: {f.path}:{f.line} {f.category} {f.severity} {f.rule}")
    print("targets met" if ok else "targets NOT met")
    return ok


def split_args(args: list[str]) -> tuple[Path, list[str]]:
    """Take a leading folder of cases from the arguments; the rest are case names."""
    if args and Path(args[0]).is_dir() and not (Path(args[0]) / "change.diff").is_file():
        return Path(args[0]), args[1:]
    return CASES, args


def list_cases(folder: Path, names: list[str]) -> list[Path]:
    """Return the case folders of `folder` (those holding a change.diff), only the named ones if any."""
    cases = sorted(p for p in folder.iterdir() if (p / "change.diff").is_file())
    return [c for c in cases if c.name in names] if names else cases


async def main_async(cases: list[Path], *, verbose: bool) -> bool:
    """Review the cases and print the report."""
    results = [await review_case(c) for c in cases]
    return report(results, verbose=verbose)


def main() -> int:
    """Parse arguments and run the benchmark; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="[FOLDER] then case folder names (default: all of cases/)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss and false positive")
    args = parser.parse_args()
    folder, names = split_args(args.cases)
    cases = list_cases(folder, names)
    if not cases:
        print(f"no cases (folders with change.diff) in {folder}", file=sys.stderr)
        return 1
    return 0 if asyncio.run(main_async(cases, verbose=args.verbose)) else 1


if __name__ == "__main__":
    sys.exit(main())
