"""Python rules that need Python's own syntax tree: data flow, scopes and function kinds."""

from __future__ import annotations

from bot.rules.python_ast.base import PyRule
from bot.rules.python_ast.concurrency import BlockingCallInAsync, UnboundedBackgroundWork
from bot.rules.python_ast.enqueue_commit import EnqueueBeforeCommit
from bot.rules.python_ast.exceptions import RetryWithoutBackoff, SwallowedException
from bot.rules.python_ast.file_races import CheckThenUseFile
from bot.rules.python_ast.http_calls import RequestsIndirectWithoutTimeout
from bot.rules.python_ast.loops import QueryInLoop
from bot.rules.python_ast.mark_safe import MarkSafeInterpolated
from bot.rules.python_ast.route_auth import RouteWithoutSiblingAuth
from bot.rules.python_ast.row_updates import ReadModifyWrite
from bot.rules.python_ast.shared_state import GlobalStateInHandler, UnboundedModuleCache
from bot.rules.python_ast.thread_writes import ThreadSharedWrite
from bot.rules.python_ast.trust_boundary import SessionFromRequest
from bot.rules.python_ast.weak_hash import PasswordHashWithoutKdf, WeakHashSignature, WeakPasswordHash
from bot.rules.python_ast.weak_random import RandomForAccountSecret, RandomForSecret

PY_RULES: tuple[type[PyRule], ...] = (
    SwallowedException,
    RetryWithoutBackoff,
    ReadModifyWrite,
    GlobalStateInHandler,
    UnboundedModuleCache,
    BlockingCallInAsync,
    UnboundedBackgroundWork,
    QueryInLoop,
    RequestsIndirectWithoutTimeout,
    ThreadSharedWrite,
    RouteWithoutSiblingAuth,
    CheckThenUseFile,
    WeakPasswordHash,
    WeakHashSignature,
    PasswordHashWithoutKdf,
    RandomForAccountSecret,
    RandomForSecret,
    SessionFromRequest,
    MarkSafeInterpolated,
    EnqueueBeforeCommit,
)
