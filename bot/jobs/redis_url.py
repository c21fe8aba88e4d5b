"""Reading REDIS_URL: where it points, for logs and errors, without the credentials it carries."""

from __future__ import annotations

from urllib.parse import urlsplit


def redis_location(url: str) -> str:
    """Return where `url` points (scheme, host, port, database) without user name or password."""
    try:
        parts = urlsplit(url)
        if parts.scheme == "unix":
            return f"unix://{parts.path}"
        host = parts.hostname or "localhost"
        return f"{parts.scheme}://{host}:{parts.port or 6379}{parts.path or '/0'}"
    except ValueError:
        return "the Redis in REDIS_URL"


def check_database(url: str) -> None:
    """Raise ValueError when a redis:// URL names a database that is not a number."""
    # redis-py quietly uses database 0 for a path it cannot read; jobs would land where nobody looks.
    parts = urlsplit(url)
    database = parts.path.strip("/")
    if parts.scheme in ("redis", "rediss") and database and not database.isdigit():
        raise ValueError(f"the database must be a number, got {database!r}")


def url_password(url: str) -> str | None:
    """Return the password in `url`, or None."""
    try:
        return urlsplit(url).password
    except ValueError:
        return None
