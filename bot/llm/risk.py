"""Score how risky a piece of a diff is, so a review over budget spends its tokens where production breaks."""

from __future__ import annotations

import re
from collections.abc import Iterable

# What the changed code touches, and how much that raises the stakes. Each kind counts once per piece.
_SIGNALS: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    (
        "sql",
        4,
        re.compile(
            r"\b(select\s.+\sfrom|insert\s+into|update\s.+\sset|delete\s+from)\b|\.execute(many)?\(|cursor|"
            r"\.raw\(|\.query\(|fetchall|\.objects\.|session\.(add|commit)",
            re.IGNORECASE,
        ),
    ),
    (
        "http",
        4,
        re.compile(
            r"\brequests\.|httpx|aiohttp|urllib|urlopen|\bfetch\(|axios|http\.(client|get|post)|grpc|"
            r"RestTemplate|HttpClient",
            re.IGNORECASE,
        ),
    ),
    ("locks", 4, re.compile(r"\block\b|lock\(|mutex|semaphore|synchronized|atomic|\bsync\.", re.IGNORECASE)),
    (
        "threads",
        4,
        re.compile(r"thread|multiprocessing|executor|\bgo\s+func|goroutine|worker|spawn", re.IGNORECASE),
    ),
    ("async", 3, re.compile(r"\basync\b|\bawait\b|asyncio|create_task|gather\(|Promise|\.then\(")),
    (
        "auth",
        4,
        re.compile(
            r"auth|token|passw|secret|credential|session|jwt|oauth|permission|login|crypt|hash\(",
            re.IGNORECASE,
        ),
    ),
    ("files", 2, re.compile(r"\bopen\(|\.read\(|\.write\(|os\.path|pathlib|shutil|unlink|\bfs\.")),
    (
        "configuration",
        3,
        re.compile(r"localhost|127\.0\.0\.1|environ|getenv|\bDEBUG\b|settings|config|timeout", re.IGNORECASE),
    ),
    ("errors", 2, re.compile(r"\bexcept\b|\bcatch\b|rescue|recover\(|\bpanic\(|\bthrow\b|\braise\b")),
)
STATIC_FINDING_IN_FILE = 10
STATIC_FINDING_IN_PIECE = 5
_LOW_RISK_PATH = re.compile(r"(^|/)(tests?|spec|docs?|examples?|fixtures?)/|_test\.|\.test\.|(^|/)test_")
_DOC_SUFFIX = (".md", ".rst", ".txt", ".adoc")


def signals(changed: Iterable[str]) -> tuple[str, ...]:
    """Return the kinds of risky code the changed lines touch."""
    text = "\n".join(changed)
    return tuple(kind for kind, _, pattern in _SIGNALS if pattern.search(text))


def risk_score(
    path: str, changed: Iterable[str], *, static_in_file: bool = False, static_in_piece: bool = False
) -> int:
    """Return a score, higher is riskier, for changed lines of `path` given where static findings are."""
    found = set(signals(changed))
    score = sum(weight for kind, weight, _ in _SIGNALS if kind in found)
    if static_in_file:
        score += STATIC_FINDING_IN_FILE
    if static_in_piece:
        score += STATIC_FINDING_IN_PIECE
    lowered = path.lower()
    if lowered.endswith(_DOC_SUFFIX):
        return score // 4
    if _LOW_RISK_PATH.search(lowered):
        return score // 2
    return score
