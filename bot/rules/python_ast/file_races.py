"""A file checked for existence, then opened, removed or created on the strength of that check (a TOCTOU race)."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from bot.review.models import Severity
from bot.rules.model import Hit
from bot.rules.python_ast.base import (
    PyRule,
    TreeIndex,
    call_name,
    dotted,
    is_task,
    keyword,
    own_nodes,
    serves_requests,
)

_EXISTS = frozenset(
    {"os.path.exists", "os.path.isfile", "os.path.isdir", "os.path.lexists", "path.exists", "path.isfile", "path.isdir"}
)
_PATH_EXISTS = frozenset({"exists", "is_file"})  # pathlib: p.exists()
# Uses that fail or misbehave when the file vanished since the check, with the path as first argument.
_USES = frozenset(
    {
        "open",
        "io.open",
        "codecs.open",
        "os.remove",
        "os.unlink",
        "os.rename",
        "os.replace",
        "shutil.move",
        "shutil.copy",
        "shutil.copyfile",
        "shutil.copy2",
        "shutil.rmtree",
        "os.path.getsize",
        "os.path.getmtime",
    }
)
_PATH_USES = frozenset({"open", "unlink", "read_text", "read_bytes", "rename", "replace", "stat"})
_READS = frozenset({"open", "read_text", "read_bytes", "stat", "getsize", "getmtime"})
_CREATES = frozenset({"os.mkdir", "os.makedirs"})
_CAUGHT = frozenset({"FileNotFoundError", "FileExistsError", "OSError", "IOError", "Exception", "BaseException"})


class CheckThenUseFile(PyRule):
    """Flag `if os.path.exists(p): open(p)` and its kin on the same path expression."""

    id = "py-file-check-then-use"
    category = "concurrency"
    severity = "medium"
    title = "File checked, then used: it can change in between"
    body = (
        "The code checks whether the file exists and then acts on it, but another worker, process or cleanup job "
        "can remove or create it between the two calls. Then the `open` / `remove` raises `FileNotFoundError` "
        "(or `makedirs` raises `FileExistsError`) on a path the check said was fine: rare, load-dependent and "
        "never seen in tests.\n\n"
        "Act first and handle the outcome: `try: os.remove(p) except FileNotFoundError: pass` "
        "(`Path.unlink(missing_ok=True)`), `try: f = open(p) except FileNotFoundError: ...`, "
        "`os.makedirs(p, exist_ok=True)`, or `os.open(p, os.O_CREAT | os.O_EXCL)` to create a file only if absent."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield each use of a path inside an `if` that tested that path's existence."""
        for func in index.functions:
            # Concurrent requests and workers are what makes the window real: a command or script that cleans up
            # its own files races with nobody.
            if not serves_requests(func) and not is_task(func):
                continue
            for node in index.own(func):
                if isinstance(node, ast.If):
                    yield from _races(node)


def _races(branch: ast.If) -> Iterator[Hit]:
    test, negated = branch.test, False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, negated = test.operand, True
    checked = _checked_path(test)
    if checked is None:
        return
    caught = _caught_calls(branch.body)
    for node in own_nodes(ast.Module(body=branch.body, type_ignores=[])):
        if not isinstance(node, ast.Call) or id(node) in caught:
            continue
        used = _used_path(node, creates=negated)
        if used is None or ast.unparse(used) != checked:
            continue
        verb = call_name(node)
        # Removing, moving or creating fails the request outright; a read of a vanished file is rarer still.
        severity: Severity = "low" if verb.rsplit(".", 1)[-1] in _READS else "medium"
        if negated:
            title = f"`{verb}` after checking the path does not exist: fails if it appears meanwhile"
        else:
            title = f"`{verb}` on a file checked just before: it can vanish in between"
        yield Hit(node.lineno, node.end_lineno or node.lineno, title=title, severity=severity)
        return


def _checked_path(test: ast.expr) -> str | None:
    if not isinstance(test, ast.Call):
        return None
    name = call_name(test)
    if name in _EXISTS and len(test.args) == 1:
        return ast.unparse(test.args[0])
    if isinstance(test.func, ast.Attribute) and test.func.attr in _PATH_EXISTS and not test.args:
        return ast.unparse(test.func.value)
    return None


def _used_path(call: ast.Call, *, creates: bool) -> ast.expr | None:
    """Return the path `call` acts on, for a call that depends on the checked existence."""
    name = call_name(call)
    if creates:
        exist_ok = keyword(call, "exist_ok")
        if name in _CREATES and call.args and not (isinstance(exist_ok, ast.Constant) and exist_ok.value):
            return call.args[0]
        return None
    if name in _USES and call.args:
        return call.args[0]
    if isinstance(call.func, ast.Attribute) and call.func.attr in _PATH_USES and not name.startswith("os."):
        return call.func.value
    return None


def _caught_calls(body: list[ast.stmt]) -> set[int]:
    """Return the calls inside a `try` whose handlers catch the error a vanished file raises."""
    out: set[int] = set()
    for node in own_nodes(ast.Module(body=body, type_ignores=[])):
        if isinstance(node, ast.Try) and any(_catches(h) for h in node.handlers):
            out.update(id(n) for stmt in node.body for n in ast.walk(stmt) if isinstance(n, ast.Call))
    return out


def _catches(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(dotted(k).rsplit(".", 1)[-1] in _CAUGHT for k in kinds)
