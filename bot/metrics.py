"""Every Prometheus metric of the process, on one registry of our own, served at GET /metrics."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

# A registry of our own, not prometheus_client's global one: tests and several apps in one
# process then see exactly our metrics, and nothing a library registers leaks into /metrics.
REGISTRY = CollectorRegistry(auto_describe=True)

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4

DELIVERIES = Counter(
    "prodready_webhook_deliveries",
    "Webhook deliveries received, by GitHub event and what the server did with them.",
    ["event", "outcome"],
    registry=REGISTRY,
)
ACK_SECONDS = Histogram(
    "prodready_webhook_ack_seconds",
    "Time from receiving a webhook request to answering it.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0),
    registry=REGISTRY,
)
QUEUE_DEPTH = Gauge(
    "prodready_job_queue_depth",
    "Review jobs waiting or running.",
    registry=REGISTRY,
)
OLDEST_JOB_AGE = Gauge(
    "prodready_job_oldest_age_seconds",
    "Age of the oldest job not yet finished (0 when the queue is empty).",
    registry=REGISTRY,
)
JOBS = Counter(
    "prodready_jobs",
    "Review jobs finished, by reason and outcome.",
    ["reason", "outcome"],
    registry=REGISTRY,
)
JOB_SECONDS = Histogram(
    "prodready_job_seconds",
    "Time a review job took from start to finish.",
    buckets=(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
    registry=REGISTRY,
)
LLM_SECONDS = Histogram(
    "prodready_llm_request_seconds",
    "Latency of LLM Chat Completions calls, by outcome.",
    ["outcome"],
    buckets=(0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160),
    registry=REGISTRY,
)
LLM_TOKENS = Counter(
    "prodready_llm_tokens",
    "Tokens spent on LLM calls, by kind (prompt or completion).",
    ["kind"],
    registry=REGISTRY,
)
LLM_ERRORS = Counter(
    "prodready_llm_errors",
    "Failed LLM calls, by kind of failure (timeout, rate_limit, server, invalid_output, ...).",
    ["kind"],
    registry=REGISTRY,
)
LLM_OUTPUT_MODES = Counter(
    "prodready_llm_output_modes",
    "Structured-output modes settled with an LLM endpoint and model (json_schema, json_object, plain).",
    ["mode"],
    registry=REGISTRY,
)
LLM_SPLITS = Counter(
    "prodready_llm_batch_splits",
    "LLM batches split in two because the answer was cut by the length limit or the context was exceeded.",
    registry=REGISTRY,
)
LLM_DEADLINES = Counter(
    "prodready_llm_deadline_expiries",
    "Reviews whose LLM part ran out of time (PRODREADY_LLM_DEADLINE_SECONDS).",
    registry=REGISTRY,
)
GITHUB_CALLS = Counter(
    "prodready_github_api_calls",
    "GitHub API calls, by HTTP method and response status ('error' when no response came).",
    ["method", "status"],
    registry=REGISTRY,
)

GITHUB_ROUTE_CALLS = Counter(
    "prodready_github_api_route_calls",
    "GitHub API calls, by route template and response status ('error' when no response came).",
    ["route", "status"],
    registry=REGISTRY,
)
GITHUB_ERRORS = Counter(
    "prodready_github_api_errors",
    "GitHub API calls that failed for good (after any retries), by route template and kind of failure.",
    ["route", "kind"],
    registry=REGISTRY,
)
INLINE_COMMENTS = Counter(
    "prodready_inline_comments",
    "Inline review comments posted, by rule ('none' for LLM findings) and category.",
    ["rule", "category"],
    registry=REGISTRY,
)
COMMENT_OUTCOMES = Counter(
    "prodready_inline_comment_outcomes",
    "Inline comments whose code a later push of the same pull request changed (addressed) or that people "
    "ignored, each counted once, by rule and category; posted minus both is what was left as it was.",
    ["outcome", "rule", "category"],
    registry=REGISTRY,
)


def record_delivery(event: str, outcome: str, *, seconds: float | None = None) -> None:
    """Count one webhook delivery and, when given, how long answering it took."""
    DELIVERIES.labels(event=event or "unknown", outcome=outcome).inc()
    if seconds is not None:
        ACK_SECONDS.observe(seconds)


def set_queue_state(*, depth: int, oldest_age_seconds: float) -> None:
    """Publish how many jobs are outstanding and how old the oldest one is."""
    QUEUE_DEPTH.set(depth)
    OLDEST_JOB_AGE.set(max(0.0, oldest_age_seconds))


def record_job(*, reason: str, outcome: str, seconds: float | None = None) -> None:
    """Count one finished job (outcome e.g. reviewed, skipped, failed, retried)."""
    JOBS.labels(reason=reason, outcome=outcome).inc()
    if seconds is not None:
        JOB_SECONDS.observe(seconds)


def record_llm_call(
    *, seconds: float, prompt_tokens: int = 0, completion_tokens: int = 0, error: str | None = None
) -> None:
    """Record one LLM call: its latency, tokens spent, and the kind of error if it failed."""
    LLM_SECONDS.labels(outcome="error" if error else "ok").observe(seconds)
    if prompt_tokens:
        LLM_TOKENS.labels(kind="prompt").inc(prompt_tokens)
    if completion_tokens:
        LLM_TOKENS.labels(kind="completion").inc(completion_tokens)
    if error:
        LLM_ERRORS.labels(kind=error).inc()


def record_output_mode(mode: str) -> None:
    """Count one structured-output mode settled with an endpoint and model."""
    LLM_OUTPUT_MODES.labels(mode=mode).inc()


def record_llm_split() -> None:
    """Count one LLM batch split because it did not fit the model's context or answer length."""
    LLM_SPLITS.inc()


def record_llm_deadline() -> None:
    """Count one review whose LLM part hit its deadline."""
    LLM_DEADLINES.inc()


def record_github_call(*, method: str, status: int | None) -> None:
    """Count one GitHub API call by method and status; None means no response (timeout, connection)."""
    GITHUB_CALLS.labels(method=method.upper(), status=str(status) if status is not None else "error").inc()


def record_github_route(*, route: str, status: int | None) -> None:
    """Count one GitHub API call by route template (e.g. "GET /repos/{owner}/{repo}/pulls/{number}")."""
    GITHUB_ROUTE_CALLS.labels(route=route, status=str(status) if status is not None else "error").inc()


def record_github_error(*, route: str, kind: str) -> None:
    """Count one GitHub API call that failed for good, by route template and error kind (e.g. RateLimited)."""
    GITHUB_ERRORS.labels(route=route, kind=kind).inc()


def record_inline_comment(*, rule: str, category: str) -> None:
    """Count one posted inline comment."""
    INLINE_COMMENTS.labels(rule=rule, category=category).inc()


def record_comment_outcome(*, outcome: str, rule: str, category: str) -> None:
    """Count one inline comment that was addressed or ignored (once per comment)."""
    COMMENT_OUTCOMES.labels(outcome=outcome, rule=rule, category=category).inc()


def render() -> bytes:
    """Return every metric in the Prometheus text exposition format."""
    return generate_latest(REGISTRY)
