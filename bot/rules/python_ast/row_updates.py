"""One database row read, changed in Python and written back in the same function without a lock (lost updates)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from bot.rules.model import Hit
from bot.rules.python_ast.base import (
    PyRule,
    TreeIndex,
    call_name,
    dotted,
    is_task,
    parameters,
    serves_requests,
)
from bot.rules.python_ast.shared_state import holds_lock

# Methods that return one row (Django, SQLAlchemy, Flask-SQLAlchemy, SQLModel), sync and async.
_ROW_METHODS = frozenset(
    {
        "get",
        "first",
        "last",
        "one",
        "one_or_none",
        "scalar",
        "scalar_one",
        "scalar_one_or_none",
        "get_or_404",
        "first_or_404",
        "one_or_404",
        "earliest",
        "latest",
        "get_or_create",
        "aget",
        "afirst",
        "alast",
        "aget_or_create",
    }
)
_ROW_FUNCTIONS = frozenset({"get_object_or_404", "aget_object_or_404"})
# What makes the update safe: a row lock, an expression evaluated by the database, a conditional UPDATE.
_SAFE_CALLS = frozenset({"select_for_update", "with_for_update", "F", "bulk_update", "acquire"})
_FETCH_PARTS = ("query(", "scalars(", "filter_by(", "get_queryset(")
_QUERY_PARTS = ("objects", "query", "filter(", "exclude(", "filter_by(", "where(", "all(", "query(")
# A comment that names the race and accepts it ("race condition ... it's OK to be a little inexact").
_RACE = re.compile(r"(?i)#.*\b(race|racy|not atomic|lost updates?|overwrite each other)\b")
_ACCEPTED = re.compile(r"(?i)\b(ok|okay|fine|accept\w*|harmless|benign|intentional\w*|inexact|tolerable|by design)\b")
_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.BitOr, ast.BitAnd)


class ReadModifyWrite(PyRule):
    """Flag a row read, changed from its own old value and saved back without a row lock (lost updates)."""

    id = "py-read-modify-write"
    category = "concurrency"
    severity = "high"
    title = "Read-modify-write race on a database row"
    body = (
        "The row is read, changed in Python and written back. Two requests doing this at once both read "
        "the same old value and the second write silently undoes the first: stock goes negative, a "
        "balance loses a payment, a counter drops increments. It never shows in tests, only under "
        "concurrent production traffic; `transaction.atomic()` alone does not prevent it.\n\n"
        "Let the database do it atomically: `Product.objects.filter(pk=pk, stock__gt=0)"
        '.update(stock=F("stock") - 1)` (check the returned row count), or lock the row inside a '
        "transaction: `with transaction.atomic(): p = Product.objects.select_for_update().get(pk=pk)` "
        "(SQLAlchemy: `.with_for_update()`)."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield in-place changes of a fetched row's field in functions that then save it, and nothing guards."""
        for func in index.functions:
            if any(a.arg == "schema_editor" for a in parameters(func)):
                continue  # a data migration runs once, alone
            nodes = index.own(func)
            if _guarded(nodes):
                continue
            fetched = _fetched_rows(nodes)
            if not fetched:
                continue
            saves = _saves(nodes, fetched)
            if not saves:
                continue
            if _race_accepted(func, lines):
                continue
            strong = serves_requests(func) or is_task(func)
            reported: set[str] = set()
            for node in sorted((n for n in nodes if isinstance(n, ast.stmt)), key=lambda n: n.lineno):
                if not isinstance(node, ast.stmt):
                    continue
                target = _modified_field(node)
                if target is None or not isinstance(target.value, ast.Name):
                    continue
                name = target.value.id
                if name not in fetched or fetched[name] > node.lineno:
                    continue
                if not any(line > node.lineno for who, line in saves if who in (name, "")):
                    continue
                field = dotted(target)
                if field in reported:
                    continue
                reported.add(field)
                yield Hit(
                    node.lineno,
                    node.end_lineno or node.lineno,
                    title=f"Read-modify-write race on `{field}`: read, changed and saved without a row lock",
                    severity="high" if strong else "medium",
                )


def _race_accepted(func: ast.FunctionDef | ast.AsyncFunctionDef, lines: Sequence[str]) -> bool:
    """Tell whether a comment in the function says the race is known and accepted."""
    comments = [t for t in lines[func.lineno - 1 : func.end_lineno or func.lineno] if "#" in t]
    return any(_RACE.search(t) for t in comments) and any(_ACCEPTED.search(t.split("#", 1)[1]) for t in comments)


def _guarded(nodes: list[ast.AST]) -> bool:
    """Tell whether the function locks the row, updates in the database or checks a version."""
    if holds_lock(nodes):
        return True
    for node in nodes:
        if isinstance(node, ast.Call):
            name = call_name(node)
            last = name.rsplit(".", 1)[-1]
            if last in _SAFE_CALLS or "lock" in last.lower() or _is_query_update(node, name):
                return True
            if any(k.arg and "version" in k.arg.lower() for k in node.keywords):
                return True  # filter(pk=..., version=...): an optimistic lock
        elif isinstance(node, ast.Compare):
            names = [dotted(n) for n in ast.walk(node) if isinstance(n, ast.Attribute | ast.Name)]
            if any("version" in n.rsplit(".", 1)[-1].lower() for n in names):
                return True
    return False


def _is_query_update(call: ast.Call, name: str) -> bool:
    """Tell whether `call` is an UPDATE run by the database: `qs.filter(...).update(...)`, `update(Model)`."""
    parts = name.split(".")
    if parts[-1] not in ("update", "aupdate"):
        return False
    if any(p.startswith(_QUERY_PARTS) for p in parts[:-1]):
        return True
    first = call.args[0] if call.args else None
    return len(parts) <= 2 and parts[0] in ("update", "sa", "sqlalchemy") and first is not None and _is_class(first)


def _fetched_rows(nodes: list[ast.AST]) -> dict[str, int]:
    """Return the local names bound to one fetched row, with the line of the (first) fetch."""
    found: dict[str, int] = {}
    for node in nodes:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1 or not _is_row_fetch(node.value):
            continue
        target = node.targets[0]
        if isinstance(target, ast.Tuple) and target.elts:  # obj, created = X.objects.get_or_create(...)
            target = target.elts[0]
        if isinstance(target, ast.Name):
            found.setdefault(target.id, node.lineno)
    return found


def _is_row_fetch(value: ast.expr) -> bool:
    if isinstance(value, ast.Await):
        value = value.value
    if not isinstance(value, ast.Call):
        return False
    name = call_name(value)
    parts = name.split(".")
    if parts[-1] in _ROW_FUNCTIONS:
        return True
    if parts[-1] == "get_object" and parts[0] == "self" and len(parts) == 2:
        return True  # Django / DRF generic views
    if parts[-1] not in _ROW_METHODS or len(parts) < 2:
        return False
    chain = parts[:-1]
    if "objects" in chain or "query" in chain or any(p.startswith(_FETCH_PARTS) for p in chain):
        return True
    if parts[-2] in ("session", "db") or parts[-2].endswith("_session"):
        # session.get(Model, id): a model class first, so `request.session.get("cart")` is not a row.
        first = value.args[0] if value.args else None
        return parts[-1] in ("get", "aget") and isinstance(first, ast.Name | ast.Attribute) and _is_class(first)
    return False


def _is_class(node: ast.expr) -> bool:
    last = dotted(node).rsplit(".", 1)[-1]
    return last[:1].isupper() and not last.isupper()


def _saves(nodes: list[ast.AST], fetched: dict[str, int]) -> list[tuple[str, int]]:
    """Return (row name or '' for a session commit, line) for each write back."""
    out: list[tuple[str, int]] = []
    for node in nodes:
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = dotted(node.func.value)
        method = node.func.attr
        if method in ("save", "asave") and owner in fetched:
            out.append((owner, node.lineno))
        elif method in ("commit", "flush") and ("session" in owner.lower() or owner.rsplit(".", 1)[-1] == "db"):
            out.append(("", node.lineno))
    return out


def _modified_field(node: ast.AST) -> ast.Attribute | None:
    """Return `obj.f` when `node` sets it from its own value: `obj.f -= n`, `obj.f = obj.f - n`, `max(obj.f - n, 0)`."""
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Attribute):
        return node.target if isinstance(node.op, _ARITHMETIC) else None
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Attribute):
        target = node.targets[0]
        wanted = dotted(target)
        for inner in ast.walk(node.value):
            if not isinstance(inner, ast.BinOp) or not isinstance(inner.op, _ARITHMETIC):
                continue
            if wanted in (dotted(inner.left), dotted(inner.right)):
                return target
    return None
