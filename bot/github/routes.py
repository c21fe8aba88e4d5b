"""Name GitHub calls by route template, for metrics and error messages: never an id, a path or a token."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from gidgethub import sansio

_QUERY_TEMPLATE = re.compile(r"\{\?[^}]*\}")
# Paths whose template is remembered for the pagination links GitHub returns as full URLs.
MAX_REMEMBERED_PATHS = 512


class RouteNames:
    """Turn the URLs a client calls into "METHOD /template" names."""

    def __init__(self, base_url: str) -> None:
        self._base_path = urlsplit(base_url).path.rstrip("/")
        self._base_url = base_url
        self._templates: dict[str, str] = {}

    def name(self, method: str, url: str, url_vars: Any) -> str:
        """Return the call's name; a pagination link maps back to the template that began it."""
        if url.startswith(("http://", "https://")):
            path = urlsplit(url).path
            template = self._templates.get(path) or generic_template(path[len(self._base_path) :])
        else:
            template = generic_template(_QUERY_TEMPLATE.sub("", url).partition("?")[0])
            filled = urlsplit(sansio.format_url(url, url_vars or {}, base_url=self._base_url)).path
            if len(self._templates) >= MAX_REMEMBERED_PATHS:
                self._templates.clear()
            self._templates[filled] = template
        return f"{method} {template}"


def generic_template(path: str) -> str:
    """Return `path` with owner, repository, numbers and file paths replaced by placeholders.

    Calls name their template already; this keeps a literal path from putting ids into metric labels.
    """
    if "{" in path:
        return path
    parts = path.split("/")
    out: list[str] = []
    for i, part in enumerate(parts):
        before = parts[i - 1] if i else ""
        if before in {"contents", "compare"}:
            out.append("{+path}" if before == "contents" else "{basehead}")
            break
        if i >= 2 and parts[1] == "repos" and i <= 3:
            out.append("{owner}" if i == 2 else "{repo}")
        elif part.isdigit() or before in {"collaborators", "users"}:
            out.append("{id}")
        else:
            out.append(part)
    return "/".join(out)
