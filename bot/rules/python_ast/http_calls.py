"""HTTP calls without a timeout made through an alias of requests, a name imported from it, or a Session."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from bot.rules.model import Hit
from bot.rules.python_ast.base import PyRule, TreeIndex, dotted, keyword, span

_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
_SESSION_FACTORIES = frozenset({"Session", "session"})


class RequestsIndirectWithoutTimeout(PyRule):
    """Flag requests calls spelled other than `requests.get(...)` that pass no timeout."""

    id = "py-requests-indirect-without-timeout"
    category = "failure_handling"
    severity = "high"
    title = "HTTP call without a timeout"
    body = (
        "This call goes through `requests` (an alias of the module, a function imported from it, or a "
        "`requests.Session`), and `requests` waits forever by default; a `Session` has no default "
        "timeout either. When the upstream stalls, every worker ends up blocked on it and the service "
        "stops answering.\n\n"
        "Pass `timeout=(connect, read)` seconds on every call, e.g. `session.get(url, timeout=(3.05, 10))`."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield calls of requests' verbs through aliases, imported names and sessions without `timeout`."""
        modules, functions = _imports(index.tree)
        if not modules and not functions:
            return
        sessions = _session_names(index.nodes, modules, functions)
        for node in index.nodes:
            if not isinstance(node, ast.Call) or _passes_timeout(node):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in functions:
                yield span(node)
            elif isinstance(func, ast.Attribute) and func.attr in _VERBS:
                owner = dotted(func.value)
                # `requests.get` itself is the YAML rule's; aliases and sessions are this rule's.
                if (owner in modules and owner != "requests") or owner in sessions:
                    yield span(node)


def _imports(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Return the local names of the requests module and of the verbs imported from it."""
    modules: set[str] = set()
    functions: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names if a.name == "requests")
        elif isinstance(node, ast.ImportFrom) and node.module in ("requests", "requests.api"):
            for alias in node.names:
                if alias.name in _VERBS:
                    functions.add(alias.asname or alias.name)
                elif alias.name in _SESSION_FACTORIES:
                    modules.add(f"@{alias.asname or alias.name}")
    return modules, functions


def _is_session_call(node: ast.AST | None, modules: set[str]) -> bool:
    if not isinstance(node, ast.Call):
        return False
    name = dotted(node.func)
    owner, _, last = name.rpartition(".")
    return (last in _SESSION_FACTORIES and owner in modules) or (not owner and f"@{name}" in modules)


def _session_names(nodes: list[ast.AST], modules: set[str], functions: set[str]) -> set[str]:
    """Return the names (`s`, `self.session`) bound to a new requests Session anywhere in the module."""
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Assign | ast.AnnAssign) and _is_session_call(node.value, modules):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(dotted(t) for t in targets if dotted(t))
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                if item.optional_vars is not None and _is_session_call(item.context_expr, modules):
                    names.add(dotted(item.optional_vars))
    names.discard("")
    return names


def _passes_timeout(call: ast.Call) -> bool:
    # `**kwargs` may well carry the timeout: do not guess.
    return keyword(call, "timeout") is not None or any(k.arg is None for k in call.keywords)
