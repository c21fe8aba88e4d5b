"""Blocking calls inside coroutines, and background work started per request without a bound."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from bot.rules.model import Hit
from bot.rules.python_ast.base import (
    PyRule,
    TreeIndex,
    call_name,
    decorator_names,
    dotted,
    is_handler,
    serves_requests,
    span,
)

_BLOCKING = re.compile(
    r"^(time\.sleep|requests\.(get|post|put|patch|delete|head|options|request)|urllib\.request\.urlopen|urlopen"
    r"|subprocess\.(run|call|check_call|check_output)|os\.system)$"
)
_POOLS = frozenset({"ThreadPoolExecutor", "ProcessPoolExecutor", "Pool", "ThreadPool"})
_POOL_MODULES = frozenset({"concurrent", "futures", "multiprocessing", "threading", "mp", "pool"})
_SPAWN = re.compile(r"(^|\.)(create_task|ensure_future)$|^(threading\.)?Thread\(\)\.start$")


class BlockingCallInAsync(PyRule):
    """Flag time.sleep, requests and subprocess calls made directly inside `async def`."""

    id = "py-blocking-call-in-async"
    category = "concurrency"
    severity = "high"
    title = "Blocking call inside async code"
    body = (
        "This call blocks the thread, and inside `async def` that thread is the event loop: while it "
        "waits, every other request, health check and timer of the process waits too. One slow upstream "
        "or a `sleep` freezes the whole service.\n\n"
        "Use the async form (`await asyncio.sleep(...)`, `httpx.AsyncClient`, aiohttp, "
        "`asyncio.create_subprocess_exec`) or move the blocking call off the loop with "
        "`await asyncio.to_thread(func, ...)`."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield blocking calls in the own body of each coroutine."""
        for func in index.functions:
            if not isinstance(func, ast.AsyncFunctionDef):
                continue
            for node in index.own(func):
                name = call_name(node)
                if name and _BLOCKING.match(name):
                    yield _with_fix(node, name, lines)


def _with_fix(node: ast.AST, name: str, lines: Sequence[str]) -> Hit:
    hit = span(node)
    line = hit.line
    if name == "time.sleep" and hit.end_line == line and 0 < line <= len(lines):
        text = lines[line - 1]
        if text.strip().startswith("time.sleep(") and "await" not in text:
            return Hit(line, line, suggestion=text.replace("time.sleep(", "await asyncio.sleep(", 1))
    return hit


class UnboundedBackgroundWork(PyRule):
    """Flag a thread, process, task or pool started per request and forgotten."""

    id = "py-unbounded-background-work"
    category = "concurrency"
    severity = "medium"
    title = "Unbounded background work per request"
    body = (
        "Each request starts a new thread or task and nobody keeps or limits it. A traffic spike starts "
        "thousands of them at once (memory, file descriptors and the downstream all run out); a task "
        "whose reference is dropped can be garbage-collected mid-flight; its errors are never seen; and "
        "a deploy kills whatever is still running.\n\n"
        "Bound the concurrency with a worker pool (`concurrent.futures.ThreadPoolExecutor(max_workers=8)` "
        "created once, an `asyncio.Semaphore`, a `TaskGroup`) and keep references, or hand the work to "
        "a job queue (Celery, RQ, arq)."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield fire-and-forget tasks and threads, and threads, processes and pools created, inside handlers."""
        for func in index.functions:
            serving = serves_requests(func)
            if not serving and (not is_handler(func) or _runs_once_at_start(func)):
                continue
            nodes = index.own(func)
            reported: set[int] = set()
            for node in nodes:
                if isinstance(node, ast.Expr) and _SPAWN.search(call_name(node.value)):
                    reported.add(id(node.value))
                    yield span(node)
            if serving:
                yield from _workers_per_request(nodes, reported)


# Coroutines that run once when the process starts (a lifespan hook, a scheduler's start, `main`): a task they
# create is one task, not one per request.
_START_NAME = re.compile(r"(?i)^(_?start\w*|\w*startup\w*|\w*lifespan\w*|main|_?main|run_forever|serve)$")
_START_DECORATORS = frozenset({"on_event", "repeat_every", "asynccontextmanager", "on_startup", "before_serving"})


def _runs_once_at_start(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    if _START_NAME.match(func.name):
        return True
    return any(name.rsplit(".", 1)[-1] in _START_DECORATORS for name in decorator_names(func))


def _workers_per_request(nodes: list[ast.AST], reported: set[int]) -> Iterator[Hit]:
    """Yield threads or processes started and not joined, and pools created, in one request handler's body."""
    joined = {
        dotted(n.func.value)
        for n in nodes
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in ("join", "shutdown")
    }
    scoped = {id(i.context_expr) for n in nodes if isinstance(n, ast.With) for i in n.items}
    bound: dict[str, ast.expr] = {}
    for node in nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            bound[dotted(node.targets[0])] = node.value
    for node in nodes:
        if not isinstance(node, ast.Call) or id(node) in reported:
            continue
        name = call_name(node)
        last = name.rsplit(".", 1)[-1]
        if last in _POOLS and (name == last or name.split(".", 1)[0] in _POOL_MODULES):
            owner = next((k for k, v in bound.items() if v is node), "")
            yield _pool_hit(node, last, scoped=id(node) in scoped or owner in joined)
        elif last == "start" and isinstance(node.func, ast.Attribute):
            # t = Thread(...); t.start() without t.join(), or Process(...).start()
            target = node.func.value
            owner = "" if isinstance(target, ast.Call) else dotted(target)
            started = target if isinstance(target, ast.Call) else bound.get(owner)
            if started is not None and _is_worker(started) and owner not in joined:
                yield span(node)


def _is_worker(node: ast.expr) -> bool:
    """Tell whether `node` creates a thread or a process: `threading.Thread(...)`, `Process(...)`."""
    name = call_name(node)
    last = name.rsplit(".", 1)[-1]
    return last in ("Thread", "Process", "Timer") and (name == last or name.split(".", 1)[0] in _POOL_MODULES)


def _pool_hit(node: ast.Call, kind: str, *, scoped: bool) -> Hit:
    hit = span(node)
    if scoped:
        # Joined when the block ends: bounded per request, but every request still starts its own threads.
        return Hit(hit.line, hit.end_line, title=f"A new `{kind}` is started for every request", severity="low")
    return Hit(hit.line, hit.end_line, title=f"A new `{kind}` is started for every request and never shut down")
