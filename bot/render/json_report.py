"""The version-1 JSON document described in the README (JSON output)."""

from __future__ import annotations

import json

from bot.review.models import ReviewResult


def render_json(result: ReviewResult) -> str:
    """Return the result as pretty-printed version-1 JSON."""
    return json.dumps(result.to_json(), indent=2, ensure_ascii=False)
