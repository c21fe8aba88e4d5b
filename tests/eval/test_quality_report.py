"""The quality report: recall by category, by language and by category x language."""

from __future__ import annotations

import pytest

from bot.review.models import Finding
from eval.quality.run import CaseResult, Label, language_of, report


def finding(path: str, line: int, category: str) -> Finding:
    return Finding(path, line, category, "medium", "t", "b", "static", rule="r")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("app/views.py", "python"),
        ("src/a.mjs", "javascript"),
        ("src/a.cjs", "javascript"),
        ("src/App.jsx", "javascript"),
        ("pages/api/x.ts", "typescript"),
        ("src/App.tsx", "typescript"),
        ("internal/h.go", "go"),
        ("src/main/java/A.java", "java"),
        ("lib/a.rb", "other"),
        ("Makefile", "other"),
    ],
)
def test_language_comes_from_the_labeled_paths_extension(path: str, language: str) -> None:
    assert language_of(path) == language


def test_report_prints_recall_by_language_and_by_category_and_language(capsys: pytest.CaptureFixture[str]) -> None:
    results = [
        CaseResult(
            "py-case",
            False,
            (Label("py-case", "app/a.py", 10, "security"), Label("py-case", "app/a.py", 30, "data_volume")),
            (finding("app/a.py", 11, "security"),),
            40,
        ),
        CaseResult("go-case", False, (Label("go-case", "h.go", 5, "security"),), (), 20),
        CaseResult("go-clean", True, (), (), 20),
    ]
    assert report(results, verbose=False) is False
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "cases: 3 (1 clean), labeled defects: 3, changed lines: 80"
    assert lines[lines.index("overall                 1        3    0.33") + 1].split() == [
        "language",
        "found",
        "labeled",
        "recall",
    ]
    assert "python                  1        2    0.50" in lines
    assert "go                      0        1    0.00" in lines
    table = lines.index(next(line for line in lines if line.startswith("found/labeled")))
    assert lines[table].split() == ["found/labeled", "python", "go"]
    assert lines[table + 1].split() == ["security", "1/1", "0/1"]
    assert lines[table + 2].split() == ["data_volume", "0/1", "-"]
