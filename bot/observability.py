"""Structured JSON logs with delivery context, secret redaction, and Sentry: started by the app, not at import."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any, TextIO

from bot.settings import Settings

REDACTED = "[REDACTED]"

# Shapes of credentials that must never reach a log line or an error report, whoever produced them.
_PATTERNS = (
    re.compile(r"-----BEGIN [A-Z0-9 ]*-----.*?-----END [A-Z0-9 ]*-----", re.DOTALL),
    re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,})"),
    re.compile(r"\bsk-[A-Za-z0-9_-]{16,}"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+"),
    re.compile(r"(?i)(?<=\bbearer )[A-Za-z0-9._~+/=-]{16,}"),
    re.compile(r"\bsha(?:256|1)=[0-9a-f]{40,64}\b"),
)
# Keys whose values are credentials whatever they look like (headers, settings, request data).
_SECRET_KEY = re.compile(
    r"(?i)(authorization|cookie|token|secret|password|passwd|private[_-]?key|api[_-]?key|signature|dsn)"
)
# Known secrets shorter than this are not searched for: redacting "abc" everywhere would garble logs.
_MIN_KNOWN_SECRET = 6

_context: ContextVar[Mapping[str, Any] | None] = ContextVar("prodready_log_context", default=None)
_HANDLER_MARK = "_prodready_handler"
_sentry_started = False


class Redactor:
    """Replace credential-shaped text and the process's own known secrets with a marker."""

    def __init__(self, known_secrets: Iterable[str] = ()) -> None:
        values = {s for s in known_secrets if s and len(s) >= _MIN_KNOWN_SECRET}
        # Longest first so a secret containing another is removed whole.
        self._known = sorted(values, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """Return `text` with every secret replaced by the marker."""
        for secret in self._known:
            if secret in text:
                text = text.replace(secret, REDACTED)
        for pattern in _PATTERNS:
            text = pattern.sub(REDACTED, text)
        return text

    def scrub(self, value: Any, *, key: str = "") -> Any:
        """Return a copy of a JSON-like structure with secret keys masked and strings redacted."""
        if isinstance(value, str):
            # Only string values are masked by key: counts such as "prompt_tokens" stay readable.
            return REDACTED if value and key and _SECRET_KEY.search(key) else self.redact(value)
        if isinstance(value, Mapping):
            return {k: self.scrub(v, key=str(k)) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.scrub(v, key=key) for v in value]
        return value


def known_secrets(settings: Settings) -> list[str]:
    """Return the secret values configured for this process."""
    secrets = [
        settings.github.webhook_secret,
        settings.github.private_key,
        settings.llm.api_key,
        settings.redis_url,
        settings.sentry_dsn,
    ]
    values = [s.reveal() for s in secrets if s]
    if settings.github.private_key:
        # A PEM may be logged a line at a time (e.g. in a traceback); each long body line is secret too.
        values.extend(line for line in settings.github.private_key.reveal().splitlines() if len(line) >= 32)
    return values


@contextlib.contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Add fields (delivery_id, repo, pr, head_sha, ...) to every log line written inside the block."""
    merged = {**current_context(), **{k: v for k, v in fields.items() if v is not None}}
    token = _context.set(merged)
    try:
        yield
    finally:
        _context.reset(token)


def current_context() -> Mapping[str, Any]:
    """Return the log fields bound in the running task."""
    return _context.get() or {}


# Attributes every LogRecord has; anything else was passed through `extra=` and becomes a field.
_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object per line, with context fields, all strings redacted."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a redacted JSON line."""
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(current_context())
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD_ATTRS and k[0] != "_"})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        scrubbed = self._redactor.scrub(entry)
        return json.dumps(scrubbed, default=str, ensure_ascii=False)


def setup_logging(settings: Settings, *, level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """Send all logs as redacted JSON lines to `stream` (default stderr); calling again replaces the handler."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(Redactor(known_secrets(settings))))
    setattr(handler, _HANDLER_MARK, True)
    root.addHandler(handler)
    root.setLevel(level)
    # aiohttp's access log repeats what our own delivery lines say, one line per request.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


def sentry_before_send(redactor: Redactor) -> Any:
    """Return a Sentry before_send hook that scrubs secrets out of every event."""

    def before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any] | None:
        return redactor.scrub(event)  # type: ignore[no-any-return]

    return before_send


def init_sentry(settings: Settings) -> bool:
    """Start Sentry once when SENTRY_DSN is set; return whether it is running."""
    global _sentry_started
    if _sentry_started:
        return True
    if not settings.sentry_dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.aiohttp import AioHttpIntegration

    redactor = Redactor(known_secrets(settings))
    sentry_sdk.init(
        dsn=settings.sentry_dsn.reveal(),
        integrations=[AioHttpIntegration()],
        before_send=sentry_before_send(redactor),
        before_breadcrumb=lambda crumb, hint: redactor.scrub(crumb),
        send_default_pii=False,
        # Request bodies are webhook payloads: large, and they may hold private code.
        max_request_body_size="never",
    )
    _sentry_started = True
    return True
