"""eval/owasp without the Benchmark mirror: the scorecard arithmetic, the rule mapping, the added-file diff."""

import pytest

from bot.review.diff import parse_diff
from eval.owasp.review import added_file_diff
from eval.owasp.scoring import Verdict, average_youden, pooled, rule_matches, score


def verdicts(category: str, tp: int, fn: int, tn: int, fp: int) -> list[Verdict]:
    return (
        [Verdict(category, True, True)] * tp
        + [Verdict(category, True, False)] * fn
        + [Verdict(category, False, False)] * tn
        + [Verdict(category, False, True)] * fp
    )


def test_youden_per_category_averaged_and_pooled() -> None:
    scores = score([*verdicts("sqli", 9, 1, 8, 2), *verdicts("xss", 0, 10, 90, 0)])
    assert (scores["sqli"].tpr, scores["sqli"].fpr) == (0.9, 0.2)
    assert scores["sqli"].youden == pytest.approx(0.7)
    assert scores["xss"].youden == 0.0
    assert average_youden(scores) == pytest.approx(0.35)
    total = pooled(scores)
    assert (total.tp, total.fn, total.tn, total.fp) == (9, 11, 98, 2)
    assert total.youden == pytest.approx(9 / 20 - 2 / 100)


def test_rules_match_at_a_word_start() -> None:
    assert rule_matches("sqli", "py-sql-built-from-strings")
    assert rule_matches("deserialization", "py-unsafe-deserialization")
    assert not rule_matches("codeinj", "hardcoded-secret")
    assert not rule_matches("no-such-category", "py-sql-built-from-strings")


def test_added_file_diff_adds_every_line() -> None:
    (diff,) = parse_diff(added_file_diff("testcode/T.py", "a = 1\n\tb = 2\n\nc = 3"))
    assert diff.status == "added"
    assert diff.added == {1: "a = 1", 2: "\tb = 2", 3: "", 4: "c = 3"}
