"""A background job handed a row that the same function just saved, before the transaction commits."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from bot.rules.model import Hit
from bot.rules.python_ast.base import PyRule, TreeIndex, call_name, decorator_names, dotted

# RQ's queue methods and Celery's task calls.
_QUEUE_METHODS = frozenset({"enqueue", "enqueue_at", "enqueue_in", "enqueue_call"})
_TASK_METHODS = frozenset({"delay", "apply_async"})
_CREATE_METHODS = frozenset({"create", "get_or_create", "update_or_create"})


class EnqueueBeforeCommit(PyRule):
    """Flag a job enqueued in a transaction with a row saved earlier in it, not deferred with `on_commit`."""

    id = "py-enqueue-before-commit"
    category = "concurrency"
    severity = "medium"
    title = "Job enqueued before the row it needs is committed"
    body = (
        "This function saves a row inside a transaction it opens and hands the row to a background worker "
        "before that transaction ends. The row is not committed yet: a fast worker looks it up and finds "
        "nothing, fails or skips the job, and if the transaction rolls back the job runs for a row that "
        "never existed. It passes in tests, where the worker is slower than the commit or runs eagerly.\n\n"
        "Enqueue once the commit has happened: `transaction.on_commit(partial(queue.enqueue, func, "
        "job_id=...))` (Celery: `transaction.on_commit(lambda: task.delay(obj.pk))`, or "
        "`task.delay_on_commit(...)`)."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield each enqueue that passes a row the function saved before it, when nothing waits for the commit."""
        for func in index.functions:
            nodes = index.own(func)
            calls = [n for n in nodes if isinstance(n, ast.Call)]
            if any(call_name(c).rsplit(".", 1)[-1] == "on_commit" for c in calls):
                continue
            saved = _saved_rows(nodes)
            if not saved:
                continue
            # Outside a transaction of its own, whether one is open depends on the callers and the settings
            # (autocommit commits each save at once), which this file does not show.
            spans = _transactions(func, nodes)
            if not spans:
                continue
            for call in calls:
                if not _enqueues(call) or not any(start <= call.lineno <= end for start, end in spans):
                    continue
                used = {n.id for n in ast.walk(call) if isinstance(n, ast.Name)}
                rows = sorted(name for name, line in saved.items() if name in used and line < call.lineno)
                if not rows:
                    continue
                yield Hit(
                    call.lineno,
                    call.end_lineno or call.lineno,
                    title=f"Job enqueued with `{rows[0]}` before the transaction that saved it commits",
                )


def _saved_rows(nodes: list[ast.AST]) -> dict[str, int]:
    """Return the local names of rows saved or created here, with the line of the (first) write."""
    found: dict[str, int] = {}
    for node in nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "save":
            if isinstance(node.func.value, ast.Name):
                found.setdefault(node.func.value.id, node.lineno)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Call):
            parts = call_name(node.value).split(".")
            target = node.targets[0]
            if isinstance(target, ast.Tuple) and target.elts:
                target = target.elts[0]
            if parts[-1] in _CREATE_METHODS and "objects" in parts and isinstance(target, ast.Name):
                found.setdefault(target.id, node.lineno)
    return found


def _enqueues(call: ast.Call) -> bool:
    """Tell whether `call` puts work on a job queue: an RQ queue's enqueue, a Celery task's delay."""
    if not isinstance(call.func, ast.Attribute):
        return False
    method = call.func.attr
    if method in _TASK_METHODS:
        return True
    owner = dotted(call.func.value) or call_name(call.func.value)
    # `queue.enqueue`, `django_rq.enqueue`, `get_queue("default").enqueue`; a class's own `Job.enqueue` wrapper
    # may well defer to the commit itself.
    return method in _QUEUE_METHODS and ("queue" in owner.lower() or owner in ("django_rq", "rq"))


def _transactions(func: ast.FunctionDef | ast.AsyncFunctionDef, nodes: list[ast.AST]) -> list[tuple[int, int]]:
    """Return the line spans the function runs in a transaction of its own (decorator, `with atomic()`)."""
    if any(name.rsplit(".", 1)[-1] == "atomic" for name in decorator_names(func)):
        return [(func.lineno, func.end_lineno or func.lineno)]
    return [
        (n.lineno, n.end_lineno or n.lineno)
        for n in nodes
        if isinstance(n, ast.With | ast.AsyncWith)
        and any(call_name(item.context_expr).rsplit(".", 1)[-1] == "atomic" for item in n.items)
    ]
