"""Errors swallowed without a trace, and retry loops that hammer a failing dependency."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from bot.rules.model import Hit
from bot.rules.python_ast.base import PyRule, TreeIndex, call_name, dotted, keyword, own_nodes

_BROAD = frozenset({"Exception", "BaseException"})
# Errors of a dependency (network, database, payment provider): dropping one hides an outage. Lookup errors
# (KeyError, DoesNotExist, ImportError) and timeouts of a poll are left alone: catching those is control flow.
_DEPENDENCY_ERROR = re.compile(
    r"(?i)(request|http|url|connection|connect|socket|api|client|server|service|gateway|payment|"
    r"stripe|card|boto|aws|redis|kafka|amqp|smtp|grpc|rpc|database|operational|interface|sqlalchemy|psycopg|"
    r"pymongo|celery|broker|transport|protocol)\w*(error|exception)$"
)
_WAITS = ("sleep", "backoff", "wait", "delay")
# What a try does whose loss matters: a write, a send, a payment. A narrow handler around reads that fall back
# to "unknown" (a status page's database size, an optional catalogue) degrades; one around these hides a loss.
_EFFECT = re.compile(
    r"(?i)(^|_)(save|commit|send|post|put|patch|delete|remove|publish|charge|pay|refund|capture|create|update|"
    r"insert|upsert|write|upload|enqueue|notify|emit|deliver|dispatch|submit|transfer|apply_async|delay)"
)
_DJANGO_CHECK = re.compile(r"^(checks\.)?register\((Tags\.|checks\.Tags\.|\)|$)|^checks\.register$")
_DEBUG_FLAG = re.compile(r"^(settings\.)?DEBUG$")
_SQL_WRITE = re.compile(r"(?i)^\s*(insert|update|delete|merge|upsert)\b")


class SwallowedException(PyRule):
    """Flag `except:` / `except Exception:` blocks that drop the error without logging it."""

    id = "py-swallowed-exception"
    category = "observability"
    severity = "medium"
    title = "Error swallowed without logging"
    body = (
        "This handler catches every exception and throws it away: no log line, no metric, no re-raise. "
        "In production the failure becomes invisible (a payment that was never sent, a file that was "
        "never written) and nobody learns about it until a customer does. A bare `except:` also "
        "swallows `KeyboardInterrupt` and `SystemExit`.\n\n"
        "Catch the exceptions you expect, and log the rest with the traceback: "
        '`except Exception: logger.exception("syncing order %s failed", order_id)` (then re-raise or '
        "return an explicit error)."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield broad or dependency-error handlers whose body drops the error without a call or a raise."""
        exempt = _diagnostic_tries(index)
        for tried in index.nodes:
            if not isinstance(tried, ast.Try | ast.TryStar) or id(tried) in exempt:
                continue
            if _parses_or_defaults(tried):
                continue
            for node in tried.handlers:
                broad = _is_broad(node.type)
                # A default value in place of the result (`return None`, `items = []`) is reported only where the
                # guarded code writes, sends or pays: after a failed parse, scrape or lookup it is the fallback it
                # looks like (strict reviewers judged those false, across applications).
                fallback = not _is_silent(node.body, node.name, strict=True)
                if (broad and _is_silent(node.body, node.name) and (not fallback or _has_effect(tried.body))) or (
                    not broad
                    and _is_dependency_error(node.type)
                    and _is_silent(node.body, node.name, strict=True)
                    and _has_effect(tried.body)
                ):
                    end = node.body[-1].end_lineno or node.lineno
                    if not _explained(lines, node.lineno, end):
                        yield Hit(node.lineno, end, body=None if broad else _narrow_body(node.type))


def _narrow_body(kind: ast.expr | None) -> str:
    name = dotted(kind.elts[0] if isinstance(kind, ast.Tuple) and kind.elts else kind) if kind else "error"
    return (
        f"This handler drops a `{name}` with `pass` after a write, send or payment: no log line, no metric, no "
        "re-raise. When the dependency fails in production the change silently does not happen, and nobody "
        "learns about it until a customer does.\n\n"
        f'Log it with context (`except {name}: logger.exception("syncing order %s failed", order_id)`), then '
        "re-raise, retry, or return an explicit error; where dropping it is right, say why in a comment."
    )


def _diagnostic_tries(index: TreeIndex) -> set[int]:
    """Return the try blocks whose failure costs only a diagnostic: in a Django system check (it adds a
    warning or does not), or under `if settings.DEBUG:` (a development convenience)."""
    scopes: list[ast.AST] = [
        func for func in index.functions if any(_DJANGO_CHECK.match(ast.unparse(d)) for d in func.decorator_list)
    ]
    scopes += [n for n in index.nodes if isinstance(n, ast.If) and _DEBUG_FLAG.search(ast.unparse(n.test))]
    return {id(n) for scope in scopes for n in ast.walk(scope) if isinstance(n, ast.Try | ast.TryStar)}


# Calls that read or check a value: when they fail, the input was not one (an id that is not a Payment's, a
# token that does not verify).
_PARSE_CALL = re.compile(r"(?i)(parse|decode|from_global_id|validat|verif|convert|loads?$|uuid|^int$|^float$)")


def _parses_or_defaults(tried: ast.Try | ast.TryStar) -> bool:
    """Tell whether the try reads one value and every handler answers with a constant: "not a valid X".

    `try: return from_global_id(v)[1] except Exception: return None` is how a filter says "no such id".
    """
    if not 1 <= len(tried.body) <= 2 or tried.orelse or tried.finalbody:
        return False
    first = tried.body[0]
    value = first.value if isinstance(first, ast.Return | ast.Assign | ast.Expr) else None
    calls = [n for n in ast.walk(value) if isinstance(n, ast.Call)] if value is not None else []
    if not calls or not all(_PARSE_CALL.search(call_name(c).rsplit(".", 1)[-1]) for c in calls):
        return False
    if len(tried.body) == 2 and not isinstance(tried.body[1], ast.Return):
        return False
    return all(
        len(h.body) == 1
        and isinstance(h.body[0], ast.Return)
        and (h.body[0].value is None or isinstance(h.body[0].value, ast.Constant))
        for h in tried.handlers
    )


def _has_effect(body: list[ast.stmt]) -> bool:
    """Tell whether the statements write, send or pay: by a call's name, or SQL that changes rows."""
    for stmt in body:
        for node in ast.walk(stmt):
            if not isinstance(node, ast.Call):
                continue
            if _EFFECT.search(call_name(node).rsplit(".", 1)[-1]):
                return True
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and _SQL_WRITE.match(first.value):
                return True
    return False


def _explained(lines: Sequence[str], start: int, end: int) -> bool:
    """Tell whether a comment inside the handler says why the error is dropped (the team decided, in writing)."""
    return any(line.lstrip().startswith("#") for line in lines[start:end])


def _is_broad(kind: ast.expr | None) -> bool:
    if kind is None:
        return True
    if isinstance(kind, ast.Tuple):
        return any(_is_broad(e) for e in kind.elts)
    return dotted(kind).rsplit(".", 1)[-1] in _BROAD


def _is_dependency_error(kind: ast.expr | None) -> bool:
    if isinstance(kind, ast.Tuple):
        return any(_is_dependency_error(e) for e in kind.elts)
    name = dotted(kind) if kind is not None else ""
    last = name.rsplit(".", 1)[-1]
    return bool(_DEPENDENCY_ERROR.search(last))


def _is_silent(body: list[ast.stmt], name: str | None, *, strict: bool = False) -> bool:
    """Tell whether a handler drops the error: no call, no raise, no use of the exception.

    A fallback value (`x = default`, `return None`) hides the failure as well as `pass` does; `strict`
    (for narrow handlers) accepts only `pass` and `continue`.
    """
    for stmt in body:
        if isinstance(stmt, ast.Pass | ast.Continue):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # a docstring-like comment or `...`
        if strict:
            return False  # `return False` after a narrow error is often the answer (`Response.ok`)
        if isinstance(stmt, ast.Return) and (stmt.value is None or _is_empty(stmt.value)):
            continue
        if _is_plain_fallback(stmt, name):
            continue
        return False
    return True


def _is_plain_fallback(stmt: ast.stmt, name: str | None) -> bool:
    """Tell whether `stmt` only sets or returns a constant-like value, without calling or using the error."""
    if isinstance(stmt, ast.Assign | ast.AnnAssign):
        value = stmt.value
    elif isinstance(stmt, ast.Return | ast.Break):
        value = getattr(stmt, "value", None)
    else:
        return False
    if value is None:
        return True
    for node in ast.walk(value):
        if isinstance(node, ast.Call | ast.Await | ast.Lambda | ast.NamedExpr):
            return False
        if isinstance(node, ast.Name) and node.id == name:
            return False
    return True


def _is_empty(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in (None, False, "", 0)
    return isinstance(node, ast.List | ast.Dict | ast.Tuple) and not getattr(node, "elts", getattr(node, "keys", []))


class RetryWithoutBackoff(PyRule):
    """Flag retry loops that try again at once, and tenacity retries without a wait."""

    id = "py-retry-without-backoff"
    category = "failure_handling"
    severity = "medium"
    title = "Retry without backoff"
    body = (
        "This loop retries immediately after a failure. When the dependency is overloaded or down, every "
        "caller retries in a tight loop at the same moment, multiplying its load exactly when it can least "
        "take it (a retry storm), and the retries are spent before it can recover.\n\n"
        "Wait between attempts with exponential backoff and jitter, and cap the attempts: "
        "`time.sleep(min(30, 0.5 * 2 ** attempt) * random.uniform(0.5, 1.5))`, or tenacity's "
        "`@retry(wait=wait_random_exponential(max=30), stop=stop_after_attempt(5))`."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield loops that retry a try-block on failure without sleeping, and bare @retry decorators."""
        for node in index.nodes:
            if isinstance(node, ast.For | ast.AsyncFor | ast.While) and _is_retry_loop(node):
                yield Hit(node.lineno, node.lineno)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for deco in node.decorator_list:
                    if _is_tenacity_without_wait(deco):
                        yield Hit(deco.lineno, deco.end_lineno or deco.lineno)


def _is_retry_loop(loop: ast.For | ast.AsyncFor | ast.While) -> bool:
    if isinstance(loop, ast.For | ast.AsyncFor) and not call_name(loop.iter).endswith("range"):
        return False  # iterating over items is not retrying
    tries = [n for n in own_nodes(loop) if isinstance(n, ast.Try)]
    retrying = [
        t
        for t in tries
        if _leaves_on_success(t) and any(_tries_again(h) and not _is_conflict(h.type) for h in t.handlers)
    ]
    if not retrying:
        return False
    return not any(any(w in call_name(n).lower() for w in _WAITS) for n in own_nodes(loop))


# A unique-value or serialisation conflict: the loop tries again with a new slug or counter, or re-runs a
# transaction the database aborted; no dependency is failing, so there is nothing to back off from.
_CONFLICT = re.compile(r"(IntegrityError|UniqueViolation|UniqueViolationError|SerializationFailure|DeadlockDetected)$")


def _is_conflict(kind: ast.expr | None) -> bool:
    if isinstance(kind, ast.Tuple):
        return bool(kind.elts) and all(_is_conflict(e) for e in kind.elts)
    return kind is not None and _CONFLICT.search(dotted(kind)) is not None


def _leaves_on_success(node: ast.Try) -> bool:
    return any(isinstance(n, ast.Return | ast.Break) for stmt in [*node.body, *node.orelse] for n in ast.walk(stmt))


def _tries_again(handler: ast.ExceptHandler) -> bool:
    return not any(isinstance(n, ast.Raise | ast.Return | ast.Break) for s in handler.body for n in ast.walk(s))


def _is_tenacity_without_wait(deco: ast.expr) -> bool:
    if isinstance(deco, ast.Call):
        return dotted(deco.func).rsplit(".", 1)[-1] == "retry" and keyword(deco, "wait") is None and bool(deco.keywords)
    return False
