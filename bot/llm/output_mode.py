"""How an endpoint and model are asked for JSON: negotiated once per process, then reused by every review.

The modes, best first:
- `json_schema`: the `review` schema as `response_format` (OpenAI, Azure from api-version 2024-08-01-preview,
  vLLM's guided decoding, Ollama >= 0.5, LM Studio, llama.cpp's llama-server);
- `json_object`: JSON mode, the schema in the prompt and also as `schema`, which llama-cpp-python's server turns
  into a grammar (its 0.3.x server accepts only `text` and `json_object` and answers 500 to `json_schema`, naming
  both); tried only when the refusal of json_schema names json_object, so a negotiation costs one extra request;
- `plain`: no `response_format`, the schema in the prompt (LM Studio refuses `json_object` with 400,
  lmstudio-ai/lmstudio-bug-tracker#189; llama-server may answer free text to it, ggml-org/llama.cpp#24096).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from bot import metrics

Mode = Literal["json_schema", "json_object", "plain"]
MODES: tuple[Mode, ...] = ("json_schema", "json_object", "plain")


def request_format(mode: Mode, schema_format: Mapping[str, Any]) -> dict[str, Any] | None:
    """Return the `response_format` to send in `mode`, given the json_schema one (None: send none)."""
    if mode == "json_schema":
        return dict(schema_format)
    if mode == "json_object":
        return {"type": "json_object", "schema": schema_format["json_schema"]["schema"]}
    return None


def schema_in_prompt(mode: Mode) -> bool:
    """Tell whether the schema must travel in the prompt (the server does not enforce it)."""
    return mode != "json_schema"


@dataclass
class _Entry:
    mode: Mode = "json_schema"
    settled: bool = False
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class ModeCache:
    """The negotiated mode per (endpoint, model); one per process, shared by its reviewers (the CLI: per run)."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], _Entry] = {}

    def _entry(self, endpoint: str, model: str) -> _Entry:
        return self._entries.setdefault((endpoint, model), _Entry())

    def mode(self, endpoint: str, model: str) -> Mode:
        """Return the mode to ask in now."""
        return self._entry(endpoint, model).mode

    def settled(self, endpoint: str, model: str) -> bool:
        """Tell whether the mode is decided (an answer in it was usable)."""
        return self._entry(endpoint, model).settled

    def settle(self, endpoint: str, model: str, mode: Mode) -> None:
        """Keep `mode` for the life of the process: an answer in it was usable."""
        entry = self._entry(endpoint, model)
        if not entry.settled and entry.mode == mode:
            entry.settled = True
            metrics.record_output_mode(mode)

    def downgrade(self, endpoint: str, model: str, *, failed: Mode, skip_json_object: bool = False) -> Mode | None:
        """Move below `failed` unless the mode is settled; return the mode to use now (None: nothing below).

        `skip_json_object` goes from json_schema straight to plain: a server that refused json_schema without
        naming json_object as something it takes would most likely refuse it too, and a second refusal would be a
        second extra request in the review.
        """
        entry = self._entry(endpoint, model)
        if entry.settled or entry.mode != failed:
            # Decided already, or another request moved it on meanwhile.
            return entry.mode
        below = MODES.index(failed) + 1
        if below < len(MODES) and skip_json_object and MODES[below] == "json_object":
            below += 1
        if below >= len(MODES):
            return None
        entry.mode = MODES[below]
        return entry.mode

    @asynccontextmanager
    async def negotiating(self, endpoint: str, model: str) -> AsyncIterator[None]:
        """Let one request at a time through until the mode is settled, so a refusal is paid once."""
        entry = self._entry(endpoint, model)
        if entry.settled:
            yield
            return
        await entry.lock.acquire()
        if entry.settled:
            # Decided while this request waited: it runs alongside the others.
            entry.lock.release()
            yield
            return
        try:
            yield
        finally:
            entry.lock.release()
