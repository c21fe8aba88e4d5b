"""Request data written into the server-side session unchecked (a trust-boundary violation)."""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from bot.rules.model import Hit
from bot.rules.python_ast.base import PyRule, TreeIndex, dotted, span

# Attributes of the request object that carry what the client sent (Flask, Django, DRF, Starlette).
_REQUEST_DATA = frozenset(
    {"args", "form", "values", "cookies", "headers", "json", "data", "files", "get_json", "get_data"}
    | {"GET", "POST", "COOKIES", "META", "FILES", "body", "query_params", "path_params", "query_string"}
)
_REQUESTS = frozenset({"request", "flask.request", "self.request", "req"})
_SESSIONS = frozenset({"session", "flask.session", "request.session", "self.request.session", "req.session"})
_MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "appendleft", "put", "setdefault"})
_BINOPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_COMPARES: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_UNKNOWN = object()
_PASS_THROUGH = re.compile(
    r"(?i)^(str|bytes|int|float|list|tuple|dict|set|sorted|reversed|next|iter|getattr)$|escape|quote|code|b64|hex|format|join|strip|lower|upper|replace|split|decode|encode"
)


class SessionFromRequest(PyRule):
    """Flag a session entry whose key or value is what the client sent."""

    id = "py-session-from-request"
    category = "security"
    severity = "medium"
    title = "Request data stored in the session unchecked"
    body = (
        "The session is what the server trusts about a user: code that later reads `session['userid']` or "
        "`session['role']` takes it as established. Copying a request parameter into it (or using one as "
        "the key) lets the client set that state itself, e.g. the user id another handler then acts for, "
        "or overwrite any key it names.\n\n"
        "Store only values the server decided: validate the input against an allow-list or look it up "
        "(`user = User.get(id)` after checking permissions), and never take a session key from the request."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield stores into the session whose key or value flows from request data in the same function."""
        if "session" not in "".join(lines):
            return
        for func in index.functions:
            flow = _Flow()
            flow.block(func.body)
            yield from (span(node) for node in flow.hits)


class _Flow:
    """Walk one function's statements in order, tracking which local names hold request data."""

    def __init__(self) -> None:
        self.hits: list[ast.AST] = []
        # Names bound once to a constant at the top of the function; a store anywhere else forgets them.
        self.consts: dict[str, Any] = {}
        self.depth = 0

    def block(self, body: Sequence[ast.stmt], tainted: frozenset[str] = frozenset()) -> frozenset[str]:
        self.depth += 1
        for stmt in body:
            tainted = self.statement(stmt, tainted)
        self.depth -= 1
        return tainted

    def statement(self, stmt: ast.stmt, tainted: frozenset[str]) -> frozenset[str]:
        if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign) and stmt.value is not None:
            dirty = self.dirty(stmt.value, tainted)
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                if isinstance(stmt, ast.AugAssign):
                    dirty = dirty or self.dirty(target, tainted)
                tainted = self.store(target, dirty, tainted, stmt)
            for target in targets:
                if isinstance(target, ast.Name):
                    value = self.fold(stmt.value) if self.depth == 1 and isinstance(stmt, ast.Assign) else _UNKNOWN
                    self.consts[target.id] = value
            return tainted
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            call = stmt.value
            func = call.func
            mutates = isinstance(func, ast.Attribute) and func.attr in _MUTATORS and isinstance(func.value, ast.Name)
            if mutates and any(self.dirty(a, tainted) for a in [*call.args, *(k.value for k in call.keywords)]):
                assert isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                return tainted | {func.value.id}
            return tainted
        if isinstance(stmt, ast.If):
            test = self.fold(stmt.test)
            if test is not _UNKNOWN:
                return self.block(stmt.body if test else stmt.orelse, tainted)
            return self.block(stmt.body, tainted) | self.block(stmt.orelse, tainted)
        if isinstance(stmt, ast.For | ast.AsyncFor):
            inner = self.store(stmt.target, self.dirty(stmt.iter, tainted), tainted, None)
            once = self.block(stmt.body, inner)
            return tainted | self.block(stmt.body, once) | self.block(stmt.orelse, once)
        if isinstance(stmt, ast.While):
            once = self.block(stmt.body, tainted)
            return tainted | self.block(stmt.body, once)
        if isinstance(stmt, ast.With | ast.AsyncWith):
            return self.block(stmt.body, tainted)
        if isinstance(stmt, ast.Try):
            after = self.block(stmt.body, tainted)
            for handler in stmt.handlers:
                after |= self.block(handler.body, tainted)
            return self.block(stmt.finalbody, self.block(stmt.orelse, after))
        if isinstance(stmt, ast.Match):
            out = tainted
            for case in stmt.cases:
                out |= self.block(case.body, tainted)
            return out
        return tainted

    def store(self, target: ast.expr, dirty: bool, tainted: frozenset[str], stmt: ast.stmt | None) -> frozenset[str]:
        if isinstance(target, ast.Name):
            return tainted | {target.id} if dirty else tainted - {target.id}
        if isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                tainted = self.store(element, dirty, tainted, stmt)
            return tainted
        if isinstance(target, ast.Subscript):
            owner = dotted(target.value)
            if owner in _SESSIONS:
                if stmt is not None and (dirty or self.dirty(target.slice, tainted)):
                    self.hits.append(stmt)
                return tainted
            key = _key(target)
            if isinstance(target.value, ast.Name) and key is not None:
                entry = f"{target.value.id}[{key}]"
                return tainted | {entry} if dirty else tainted - {entry}
            if isinstance(target.value, ast.Name) and dirty:
                return tainted | {target.value.id}
        return tainted

    def dirty(self, node: ast.AST, tainted: frozenset[str]) -> bool:
        """Tell whether evaluating `node` yields request data or a name holding it."""
        if isinstance(node, ast.IfExp):
            test = self.fold(node.test)
            if test is not _UNKNOWN:
                return self.dirty(node.body if test else node.orelse, tainted)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            key = _key(node)
            if node.value.id in tainted or (key is not None and f"{node.value.id}[{key}]" in tainted):
                return True
            return self.dirty(node.slice, tainted)
        if isinstance(node, ast.Attribute) and dotted(node.value) in _REQUESTS and node.attr in _REQUEST_DATA:
            return True
        if isinstance(node, ast.Name):
            return node.id in tainted
        if isinstance(node, ast.Call):
            # A method of the value (`param.strip()`) or a conversion keeps the client's text; any other
            # function (`authenticate(email, pw)`, `User.get(id)`) returns what the server looked up.
            func = node.func
            if isinstance(func, ast.Attribute) and self.dirty(func.value, tainted):
                return True
            if not _PASS_THROUGH.search(dotted(func).rsplit(".", 1)[-1]):
                return False
            return any(self.dirty(a, tainted) for a in [*node.args, *(k.value for k in node.keywords)])
        return any(self.dirty(child, tainted) for child in ast.iter_child_nodes(node))

    def fold(self, node: ast.AST) -> Any:
        """Return the value of a constant expression (`7 * 18 + num > 200` with `num = 106`), or _UNKNOWN."""
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.consts.get(node.id, _UNKNOWN)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            left, right = self.fold(node.left), self.fold(node.right)
            if _UNKNOWN in (left, right) or not all(isinstance(v, int | str) for v in (left, right)):
                return _UNKNOWN
            try:
                return _BINOPS[type(node.op)](left, right)
            except (TypeError, ZeroDivisionError, ValueError):
                return _UNKNOWN
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARES:
            left, right = self.fold(node.left), self.fold(node.comparators[0])
            if _UNKNOWN in (left, right):
                return _UNKNOWN
            try:
                return _COMPARES[type(node.ops[0])](left, right)
            except TypeError:
                return _UNKNOWN
        return _UNKNOWN


def _key(node: ast.Subscript) -> str | None:
    key = node.slice
    return repr(key.value) if isinstance(key, ast.Constant) else None
