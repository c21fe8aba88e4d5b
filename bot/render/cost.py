"""The one line that says what the LLM part of a review cost and how the server was asked for JSON."""

from __future__ import annotations

from bot.review.models import ReviewResult


def cost_line(result: ReviewResult) -> str:
    """Return the cost line: calls, tokens and the structured-output mode negotiated with the server."""
    s = result.stats
    if not result.llm_used:
        return "Static rules only: no LLM was used."
    cost = f"Cost: {s.llm_calls} LLM call(s), {s.prompt_tokens:,} prompt + {s.completion_tokens:,} completion tokens"
    if s.llm_output_mode is None:
        return cost + "."
    # Which structured output the server took: json_schema, or a fallback negotiated with it.
    mode = s.llm_output_mode
    how = mode if mode == "json_schema" else f"{mode} (negotiated: the server did not honour json_schema)"
    return f"{cost}; answers as {how}."
