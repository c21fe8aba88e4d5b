"""What a Python `ast` rule is, and the small tree queries several rules share."""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Sequence
from typing import ClassVar

from bot.review.models import Category, Evidence, Severity
from bot.rules.model import Hit, InTests, RuleInfo

ROUTE_DECORATORS = frozenset(
    {"route", "get", "post", "put", "patch", "delete", "api_view", "websocket", "view_config", "action"}
)
# Celery, Dramatiq, Huey and RQ: the function runs in a worker, many at once.
TASK_DECORATORS = frozenset({"task", "shared_task", "periodic_task", "db_task", "db_periodic_task", "actor", "job"})


class TreeIndex:
    """One walk of a tree that every rule shares: walking the tree per rule was most of the run time."""

    def __init__(self, tree: ast.Module, *, added: Collection[int] | None = None, whole: bool = True) -> None:
        self.tree = tree
        # Whether `tree` is the whole file, so a rule may reason about everything in it (siblings, removals).
        self.whole = whole
        # The lines the diff adds, so a rule can pick which of two related places to report; None: all.
        self.added = added
        self.nodes: list[ast.AST] = list(ast.walk(tree))
        self.functions = [n for n in self.nodes if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        self._own: dict[int, list[ast.AST]] = {}

    def own(self, scope: ast.AST) -> list[ast.AST]:
        """Return the nodes of `scope` without those of nested functions and classes."""
        key = id(scope)
        if key not in self._own:
            self._own[key] = list(own_nodes(scope))
        return self._own[key]

    def is_added(self, line: int) -> bool:
        """Tell whether the diff adds `line` (always true when the caller did not say)."""
        return self.added is None or line in self.added


class PyRule:
    """A rule that needs Python's own syntax tree (data flow, scopes) rather than a pattern."""

    id: ClassVar[str]
    category: ClassVar[Category]
    severity: ClassVar[Severity]
    title: ClassVar[str]
    body: ClassVar[str]
    in_tests: ClassVar[InTests] = "skip"
    # "weak": the LLM, when used, confirms or dismisses each finding.
    evidence: ClassVar[Evidence] = "strong"

    @classmethod
    def info(cls) -> RuleInfo:
        """Return the catalog entry of the rule."""
        return RuleInfo(cls.id, cls.category, cls.severity, ("python",), cls.title)

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield the places in the indexed tree (whose source lines are `lines`) where the rule matches."""
        raise NotImplementedError


def span(node: ast.AST) -> Hit:
    """Return a hit covering `node`'s lines."""
    line = getattr(node, "lineno", 1)
    return Hit(line, getattr(node, "end_lineno", None) or line)


def dotted(node: ast.AST) -> str:
    """Return `a.b.c` for a name or attribute chain, '' for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    if isinstance(node, ast.Call):
        inner = dotted(node.func)
        return ".".join([f"{inner}()", *reversed(parts)]) if inner else ""
    return ""


def call_name(node: ast.AST | None) -> str:
    """Return the dotted name a call calls, '' if `node` is not such a call."""
    return dotted(node.func) if isinstance(node, ast.Call) else ""


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """Return the value of keyword argument `name` of `call`, if given."""
    return next((k.value for k in call.keywords if k.arg == name), None)


def is_handler(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Tell whether `func` serves requests: an async function or one with a web route decorator."""
    if isinstance(func, ast.AsyncFunctionDef):
        return True
    for deco in func.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        name = dotted(target).rsplit(".", 1)[-1]
        if name in ROUTE_DECORATORS:
            return True
    return False


def decorator_names(func: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> list[str]:
    """Return the last dotted part of each decorator (`@bp.route(...)` -> `route`)."""
    return [dotted(d.func if isinstance(d, ast.Call) else d).rsplit(".", 1)[-1] for d in func.decorator_list]


def parameters(func: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[ast.arg]:
    """Return every parameter of `func`, positional first."""
    args = func.args
    return [*args.posonlyargs, *args.args, *([args.vararg] if args.vararg else []), *args.kwonlyargs]


def serves_requests(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Tell whether `func` is a web request handler by evidence: a route decorator or a Django `request` parameter.

    Stricter than `is_handler`, which takes every coroutine for one.
    """
    if any(name in ROUTE_DECORATORS for name in decorator_names(func)):
        return True
    positional = [a.arg for a in [*func.args.posonlyargs, *func.args.args]]
    if positional[:1] in (["self"], ["cls"]):
        positional = positional[1:]
    return positional[:1] == ["request"]


def is_task(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Tell whether `func` is a background task (Celery, Dramatiq, Huey, RQ decorators)."""
    return any(name in TASK_DECORATORS for name in decorator_names(func))


def own_nodes(func: ast.AST) -> Iterator[ast.AST]:
    """Yield the nodes of a function body without descending into nested functions or classes."""
    stack = list(ast.iter_child_nodes(func))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))
