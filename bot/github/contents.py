"""The contents resource: a file's text and a folder's entries at a ref."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from gidgethub.abc import GitHubAPI

from bot.github.client import repo_vars
from bot.github.errors import NotFound


def _vars(repo: str, path: str, ref: str) -> dict[str, Any]:
    return repo_vars(repo, path=path.strip("/"), ref=ref)


async def read_text(gh: GitHubAPI, repo: str, path: str, *, ref: str, max_bytes: int) -> str | None:
    """Return a file's text at `ref`; None when it is absent, a folder, binary or over `max_bytes`."""
    try:
        data = await gh.getitem("/repos/{owner}/{repo}/contents/{+path}{?ref}", _vars(repo, path, ref))
    except NotFound:
        return None
    if not isinstance(data, dict) or data.get("type") != "file":
        return None
    if data.get("encoding") != "base64" or int(data.get("size") or 0) > max_bytes:
        return None  # GitHub sends files over 1 MB without content ("encoding": "none")
    try:
        return base64.b64decode(str(data.get("content", ""))).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


async def list_folder(gh: GitHubAPI, repo: str, path: str, *, ref: str) -> list[dict[str, Any]]:
    """Return the entries of a folder at `ref`; [] when it is absent or a file."""
    try:
        data = await gh.getitem("/repos/{owner}/{repo}/contents/{+path}{?ref}", _vars(repo, path, ref))
    except NotFound:
        return []
    return [e for e in data if isinstance(e, dict)] if isinstance(data, list) else []
