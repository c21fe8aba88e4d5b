"""The output formats of `prodready review --format`, by name."""

from __future__ import annotations

from collections.abc import Callable

from bot.render.json_report import render_json
from bot.render.markdown import render_markdown
from bot.render.sarif import render_sarif
from bot.render.text import render_text
from bot.review.models import ReviewResult

RENDERERS: dict[str, Callable[[ReviewResult], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": render_json,
    "sarif": render_sarif,
}
