"""Module-level state changed from functions that run on other threads (pools, executors, Thread targets)."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from bot.rules.model import Hit
from bot.rules.python_ast.base import PyRule, TreeIndex, call_name, dotted, keyword, span
from bot.rules.python_ast.shared_state import holds_lock, module_mutables, mutable_writes

# Where the function to run is the first argument; run_in_executor takes the executor first.
_FIRST_ARG = frozenset({"submit", "map", "apply_async", "map_async", "starmap", "imap", "imap_unordered", "to_thread"})


class ThreadSharedWrite(PyRule):
    """Flag writes to module-level containers or globals inside functions handed to threads."""

    id = "py-thread-shared-write"
    category = "concurrency"
    severity = "medium"
    title = "Shared module state written from worker threads without a lock"
    body = (
        "This function runs on a thread pool (or as a `Thread` target) and changes module-level state "
        "without a lock. Threads interleave between reading and writing, so updates such as "
        "`totals[k] = totals.get(k, 0) + n` are lost, and another thread iterating the dict meanwhile "
        "fails with `dictionary changed size during iteration`. It passes every test and drifts in "
        "production under load.\n\n"
        "Have each task return its result and merge them in the calling thread "
        "(`for r in pool.map(work, items): ...`), or guard the shared object with a `threading.Lock`."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield unlocked writes to module-level state in the module's functions that other threads run."""
        targets = _thread_targets(index.nodes)
        if not targets:
            return
        shared = module_mutables(index.tree)
        for func in index.tree.body:
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) or func.name not in targets:
                continue
            nodes = index.own(func)
            if holds_lock(nodes):
                continue
            for node, _name in mutable_writes(nodes, shared):
                # list.append is atomic under the GIL: collecting results that way is common and safe.
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append":
                    continue
                yield span(node)


def _thread_targets(nodes: list[ast.AST]) -> set[str]:
    """Return the names of functions passed to executors, pools and `Thread(target=...)`."""
    names: set[str] = set()
    for node in nodes:
        if not isinstance(node, ast.Call):
            continue
        method = call_name(node).rsplit(".", 1)[-1]
        if method == "Thread":
            target = keyword(node, "target")
        elif method in _FIRST_ARG and (isinstance(node.func, ast.Attribute) or method == "to_thread"):
            # A bare `map(f, xs)` is the builtin and runs on this thread.
            target = node.args[0] if node.args else None
        elif method == "run_in_executor":
            target = node.args[1] if len(node.args) > 1 else None
        else:
            continue
        if isinstance(target, ast.Name):
            names.add(dotted(target))
    return names
