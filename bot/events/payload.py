"""Read typed values out of webhook payloads, failing with the path of what is missing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T")


class PayloadError(ValueError):
    """A signed delivery whose payload lacks a field the handler needs."""


def field(data: Any, path: str, kind: type[T]) -> T:
    """Return the value at dotted `path` of `data`, which must be a `kind`; raise PayloadError otherwise."""
    value = data
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise PayloadError(f"payload has no {path}")
        value = value[part]
    # bool is an int in Python, but never a valid id or number in a payload.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise PayloadError(f"payload {path} must be {kind.__name__}, got {type(value).__name__}")
    return value


def optional(data: Any, path: str, kind: type[T]) -> T | None:
    """Return the value at dotted `path` of `data` if it is there and a `kind`, else None."""
    try:
        return field(data, path, kind)
    except PayloadError:
        return None


def installation_id(data: Any) -> int | None:
    """Return the App installation the delivery is for, or None (a repository webhook, not the App's)."""
    return optional(data, "installation.id", int)


def is_bot(user: Any) -> bool:
    """Tell whether a payload user is a bot: GitHub Apps have type "Bot" and logins ending in "[bot]"."""
    if not isinstance(user, Mapping):
        return False
    login = user.get("login")
    return user.get("type") == "Bot" or (isinstance(login, str) and login.lower().endswith("[bot]"))
