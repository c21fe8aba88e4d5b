"""Python syntax trees of one side of a changed file, and the changed lines that no tree covers.

Python's own parser is all-or-nothing, and only knows the syntax of the Python prodready runs on. So:
- a whole file that does not parse (newer syntax such as PEP 701 f-strings or `type X = ...` on 3.11, or a
  plain error) is parsed again with each top-level statement that fails blanked out, so one function the parser
  cannot read does not cost the checks on the rest of the file;
- a hunk from the diff alone (which git cuts anywhere, often inside a function or an `except`) is rebuilt into
  a parseable fragment: dedented, wrapped in the openers its indentation implies (the enclosing `def` from the
  hunk header, a `try:` before a leading `except`), and split at any line that still fails.
The Python checks keep working on `ast` (their data-flow and scope logic is written against it); the ast-grep
rules run on tree-sitter, which reads all of this without help.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from bot.rules.sources import Block, FileText

# Each attempt is a full parse: a file with this many unreadable statements is read no further.
MAX_REPAIRS = 20
_SPLITS_PER_HUNK = 8
_CLAUSE = re.compile(r"(except|finally|elif|else)\b")
_SECTION_DEF = re.compile(r"(async\s+)?def\s+(\w+)")
_SECTION_CLASS = re.compile(r"class\s+(\w+)")
_OPENS = re.compile(r":\s*(#.*)?$")
_TOP_CONTINUES = re.compile(r"(else|elif|except|finally|case)\b|[)\]}]")


@dataclass
class PythonTrees:
    """Trees whose line numbers are file line numbers, and the changed lines none of them covers."""

    trees: list[ast.Module] = field(default_factory=list)
    unread: list[int] = field(default_factory=list)
    # The tree of the whole file, when it is one of `trees` (every statement of a complete text read).
    whole: ast.Module | None = None


def python_trees(text: FileText, blocks: Sequence[Block], changed: Collection[int]) -> PythonTrees:
    """Parse `text` (one side of a file): the whole of it when complete, else each block on its own."""
    out = PythonTrees()
    covered: set[int] = set()
    if text.complete:
        tree, dropped = _parse_whole(text.lines)
        if tree is not None:
            out.trees.append(tree)
            out.whole = tree if not dropped else None
        # The statements the whole-file parse gave up on, where the change is: read as fragments, so only the
        # lines the parser really cannot read stay unchecked.
        blocks = _dropped_runs(text.lines, dropped, changed)
        covered.update(n for n in changed if n not in dropped)
    for block in blocks:
        trees, read = _parse_fragment(list(enumerate(block.lines, block.first)), block.section)
        out.trees.extend(trees)
        covered.update(read)
    out.unread = sorted(n for n in changed if n not in covered)
    return out


def _dropped_runs(lines: Sequence[str], dropped: set[int], changed: Collection[int]) -> list[Block]:
    runs: list[Block] = []
    number = 1
    total = len(lines)
    while number <= total:
        if number not in dropped:
            number += 1
            continue
        end = number
        while end + 1 in dropped:
            end += 1
        if any(n in changed for n in range(number, end + 1)):
            runs.append(Block(number, tuple(lines[number - 1 : end]), _enclosing_section(lines, number)))
        number = end + 1
    return runs


def _enclosing_section(lines: Sequence[str], number: int) -> str:
    for n in range(number, 0, -1):
        line = lines[n - 1]
        if _SECTION_DEF.match(line) or _SECTION_CLASS.match(line):
            return line
    return ""


def _parse_whole(lines: Sequence[str]) -> tuple[ast.Module | None, set[int]]:
    work = list(lines)
    dropped: set[int] = set()
    starts = _top_level_starts(lines)
    for _ in range(MAX_REPAIRS):
        tree, error_line = _parse("\n".join(work) + "\n")
        if tree is not None:
            return tree, dropped
        if not error_line:
            break  # not a syntax error at a line (a NUL byte, a recursion limit): blanking will not help
        first, last = _statement_around(starts, error_line, len(lines))
        if all(n in dropped for n in range(first, last + 1)):
            break  # blanking did not help: the error is not where the parser says
        for n in range(first, last + 1):
            work[n - 1] = ""
            dropped.add(n)
    return None, set(range(1, len(lines) + 1))


def _top_level_starts(lines: Sequence[str]) -> list[int]:
    """Return the lines where a top-level statement starts (a decorated `def` starts at its decorator)."""
    starts: list[int] = []
    decorated = False
    for number, line in enumerate(lines, 1):
        if not line or line[0] in " \t#" or _TOP_CONTINUES.match(line):
            continue
        if not decorated:
            starts.append(number)
        decorated = line.startswith("@")
    return starts


def _statement_around(starts: list[int], line: int, total: int) -> tuple[int, int]:
    line = min(max(line, 1), total) if total else 1
    before = [s for s in starts if s <= line]
    first = before[-1] if before else 1
    after = [s for s in starts if s > line]
    return first, (after[0] - 1 if after else total)


def _parse_fragment(numbered: list[tuple[int, str]], section: str) -> tuple[list[ast.Module], set[int]]:
    """Parse numbered lines of one hunk side; return the trees and the line numbers they cover."""
    trees: list[ast.Module] = []
    covered: set[int] = set()
    pending = [numbered]
    attempts = 0
    while pending and attempts < _SPLITS_PER_HUNK:
        part = pending.pop(0)
        part = _trim(part)
        if not part:
            continue
        attempts += 1
        source, origin = _wrap(part, section)
        tree, error_line = _parse(source)
        if tree is not None:
            _renumber(tree, origin)
            trees.append(tree)
            covered.update(n for n, _ in part)
            continue
        # Parse what comes before and after the line the parser stopped at, each on its own.
        at = origin[error_line - 1] if 0 < error_line <= len(origin) and origin[error_line - 1] else part[0][0]
        cut = next((i for i, (n, _) in enumerate(part) if n >= at), 0)
        pending[:0] = [p for p in (part[:cut], part[cut + 1 :]) if p]
    return trees, covered


def _trim(part: list[tuple[int, str]]) -> list[tuple[int, str]]:
    start, end = 0, len(part)
    while start < end and not part[start][1].strip():
        start += 1
    while end > start and not part[end - 1][1].strip():
        end -= 1
    return part[start:end]


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" \t"))


def _wrap(part: list[tuple[int, str]], section: str) -> tuple[str, list[int]]:
    """Return source text for `part` and, per line of it, the file line it came from (0: added by us)."""
    code = _code_lines(part)
    first = _indent(code[0][1]) if code else 0
    assumed = {first}
    stack = [first]
    clause_at: dict[int, str] = {}
    opens = False
    for _, text in code:
        level = _indent(text)
        if level > stack[-1]:
            if opens:
                stack.append(level)
        else:
            while stack and stack[-1] > level:
                stack.pop()
            if not stack or stack[-1] < level:
                stack.append(level)
                assumed.add(level)
        if level in assumed and level not in clause_at:
            starts = _CLAUSE.match(text.lstrip())
            clause_at[level] = starts.group(1) if starts else ""
        opens = bool(_OPENS.search(text))
    levels = sorted(assumed)
    base = levels[0]
    head: list[str] = []
    opener = _section_opener(section)
    shift = 0
    if opener is not None and base > 0:
        # The hunk lies inside the function or class git names in its header: wrap all of it in that.
        head.append(opener)
        shift, opener = 4, None
    for outer in levels[:-1]:
        clause = clause_at.get(outer, "")
        if outer == 0 and opener is not None and not clause:
            head.append(opener)  # the hunk starts inside that function and goes on past its end
        else:
            head.append(" " * (outer - base + shift) + _block_opener(clause))
    innermost = clause_at.get(levels[-1], "")
    if innermost:
        pad = " " * (levels[-1] - base + shift)
        head.extend([pad + _block_opener(innermost), pad + "    pass"])
    body = [(" " * shift + text[base:] if text[:base].strip() == "" else text.lstrip()) for _, text in part]
    return "\n".join([*head, *body]) + "\n", [0] * len(head) + [n for n, _ in part]


def _code_lines(part: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Return the lines that start a logical line: not blank, not a comment, not inside brackets or a string."""
    out = []
    depth = 0
    quote: str | None = None
    for number, text in part:
        stripped = text.strip()
        if depth == 0 and quote is None and stripped and not stripped.startswith("#"):
            out.append((number, text))
        depth, quote = _scan(text, depth, quote)
    return out


def _scan(text: str, depth: int, quote: str | None) -> tuple[int, str | None]:
    """Track open brackets and triple-quoted strings across a line (single-line strings are skipped)."""
    i, size = 0, len(text)
    while i < size:
        if quote is not None:
            end = text.find(quote, i)
            if end < 0:
                return depth, quote
            i, quote = end + 3, None
            continue
        ch = text[i]
        if ch == "#":
            break
        if text.startswith(('"""', "'''"), i):
            quote, i = text[i : i + 3], i + 3
            continue
        if ch in "\"'":
            end = text.find(ch, i + 1)
            i = end + 1 if end > 0 else size
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(depth - 1, 0)
        i += 1
    return depth, quote


def _section_opener(section: str) -> str | None:
    """Return a header for the function or class git names in the hunk header, so `async` is not lost."""
    func = _SECTION_DEF.match(section)
    if func:
        return f"{func.group(1) or ''}def {func.group(2)}(*args, **kwargs):"
    cls = _SECTION_CLASS.match(section)
    return f"class {cls.group(1)}:" if cls else None


def _block_opener(clause: str) -> str:
    if clause in ("except", "finally"):
        return "try:"
    return "if True:"


def _renumber(tree: ast.Module, origin: list[int]) -> None:
    for node in ast.walk(tree):
        if not hasattr(node, "lineno"):
            continue
        line = origin[node.lineno - 1] if node.lineno - 1 < len(origin) else 0
        end = getattr(node, "end_lineno", None)
        end_line = origin[end - 1] if end and end - 1 < len(origin) else line
        node.lineno = line  # type: ignore[attr-defined]
        setattr(node, "end_lineno", max(end_line, line))  # noqa: B010 - not every node type declares it


def _parse(source: str) -> tuple[ast.Module | None, int]:
    """Return the tree, or None and the line the parser stopped at."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences in user code are not our business
            return ast.parse(source), 0
    except SyntaxError as exc:
        return None, exc.lineno or 0
    except (ValueError, RecursionError, MemoryError):
        return None, 0
