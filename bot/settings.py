"""Process settings, built once from the environment at start-up and passed down; secrets never print."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


class SettingsError(ValueError):
    """The environment does not describe a runnable configuration."""


@dataclass(frozen=True, slots=True)
class Secret:
    """A value that must never appear in logs, errors or reprs."""

    _value: str = field(repr=False)

    def reveal(self) -> str:
        """Return the secret itself: call only where it is sent to its one destination."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True, slots=True)
class LLMSettings:
    """How to reach an OpenAI-compatible Chat Completions endpoint."""

    api_key: Secret | None
    base_url: str | None
    model: str
    concurrency: int = 4
    timeout_seconds: float = 120.0
    max_retries: int = 3
    # Local models often have small context windows (Ollama defaults to a few thousand tokens).
    max_request_tokens: int = 32_000
    # The whole LLM part of one review: past it the review goes out with what the model answered so far.
    deadline_seconds: float = 120.0

    @property
    def configured(self) -> bool:
        """Tell whether an LLM endpoint is set up (a key, or a base URL for keyless local servers)."""
        return bool(self.api_key) or bool(self.base_url)


@dataclass(frozen=True, slots=True)
class GitHubSettings:
    """How the App authenticates and where GitHub's API is."""

    app_id: str | None
    private_key: Secret | None
    webhook_secret: Secret | None
    api_url: str = "https://api.github.com"


@dataclass(frozen=True, slots=True)
class JobSettings:
    """How the background worker runs review jobs."""

    concurrency: int = 4
    max_attempts: int = 4
    # Cost control: reviews one installation may start per hour; further ones are skipped and reported.
    reviews_per_hour: int = 60


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the process reads from the environment."""

    llm: LLMSettings
    github: GitHubSettings
    port: int = 8080
    data_dir: Path = Path(".prodready")
    redis_url: Secret | None = None
    # Several deployments (or test runs) can share one Redis, each under its own key prefix.
    redis_prefix: str = "prodready:"
    sentry_dsn: Secret | None = None
    jobs: JobSettings = JobSettings()


DEFAULT_MODEL = "gpt-4o-mini"


def _secret(env: Mapping[str, str], name: str) -> Secret | None:
    value = env.get(name, "").strip()
    return Secret(value) if value else None


def _int(env: Mapping[str, str], name: str, default: int, *, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be positive, got {raw!r}")
    return value


def _private_key(env: Mapping[str, str]) -> Secret | None:
    text = env.get("GITHUB_PRIVATE_KEY", "").strip()
    path = env.get("GITHUB_PRIVATE_KEY_PATH", "").strip()
    if text:
        # Platforms that take one-line variables often store the PEM with literal "\n".
        return Secret(text.replace("\\n", "\n"))
    if path:
        try:
            return Secret(Path(path).read_text())
        except OSError as exc:
            raise SettingsError(f"GITHUB_PRIVATE_KEY_PATH: cannot read {path}: {exc.strerror}") from None
    return None


def llm_settings_from_env(env: Mapping[str, str]) -> LLMSettings:
    """Build the LLM settings from `env` (the CLI needs only these)."""
    return LLMSettings(
        api_key=_secret(env, "OPENAI_API_KEY"),
        base_url=env.get("OPENAI_BASE_URL", "").strip() or None,
        model=env.get("PRODREADY_MODEL", "").strip() or DEFAULT_MODEL,
        concurrency=_int(env, "PRODREADY_LLM_CONCURRENCY", 4, low=1, high=64),
        timeout_seconds=_float(env, "PRODREADY_LLM_TIMEOUT", 120.0),
        max_retries=_int(env, "PRODREADY_LLM_MAX_RETRIES", 3, low=0, high=10),
        max_request_tokens=_int(env, "PRODREADY_LLM_MAX_REQUEST_TOKENS", 32_000, low=4_000, high=2_000_000),
        deadline_seconds=_float(env, "PRODREADY_LLM_DEADLINE_SECONDS", 120.0),
    )


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    """Build all settings from `env` (default: os.environ); raise SettingsError naming the bad variable."""
    env = os.environ if env is None else env
    return Settings(
        llm=llm_settings_from_env(env),
        github=GitHubSettings(
            app_id=env.get("GITHUB_APP_ID", "").strip() or None,
            private_key=_private_key(env),
            webhook_secret=_secret(env, "GITHUB_WEBHOOK_SECRET"),
            api_url=(env.get("GITHUB_API_URL", "").strip() or "https://api.github.com").rstrip("/"),
        ),
        port=_int(env, "PORT", 8080, low=1, high=65535),
        data_dir=Path(env.get("PRODREADY_DATA_DIR", "").strip() or ".prodready"),
        redis_url=_secret(env, "REDIS_URL"),
        redis_prefix=env.get("PRODREADY_REDIS_PREFIX", "").strip() or "prodready:",
        sentry_dsn=_secret(env, "SENTRY_DSN"),
        jobs=JobSettings(
            concurrency=_int(env, "PRODREADY_JOB_CONCURRENCY", 4, low=1, high=64),
            max_attempts=_int(env, "PRODREADY_JOB_MAX_ATTEMPTS", 4, low=1, high=20),
            reviews_per_hour=_int(env, "PRODREADY_MAX_REVIEWS_PER_HOUR", 60, low=1, high=100_000),
        ),
    )
