"""Blocking calls inside coroutines, and background work started per request without a bound."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from bot.rules.model import Hit
from bot.rules.python_ast.base import PyRule, TreeIndex, call_name, is_handler, span

_BLOCKING = re.compile(
    r"^(time\.sleep|requests\.(get|post|put|patch|delete|head|options|request)|urllib\.request\.urlopen|urlopen"
    r"|subprocess\.(run|call|check_call|check_output)|os\.system)$"
)
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
    """Flag a thread or task started per request and forgotten."""

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
        """Yield fire-and-forget task or thread starts inside request handlers."""
        for func in index.functions:
            if not is_handler(func):
                continue
            for node in index.own(func):
                if isinstance(node, ast.Expr) and _SPAWN.search(call_name(node.value)):
                    yield span(node)
