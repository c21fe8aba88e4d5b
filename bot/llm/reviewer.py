"""The LLM reviewer: redact, batch within budget, ask the model concurrently, and turn answers into findings."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from bot.llm.batching import Batch, Piece, cut_pieces, plan_batches
from bot.llm.client import ChatClient, Completion, LLMError, LLMUnavailable
from bot.llm.diffview import longest_backtick_run
from bot.llm.outcome import BatchOutcome, batch_notes, budget_note, unreviewed
from bot.llm.prompts import (
    PromptTemplates,
    enabled_categories,
    repair_prompt,
    system_prompt,
    user_prompt,
)
from bot.llm.redact import Redacted, has_marker, redact_files
from bot.llm.schema import OutputError, parse_findings, response_format
from bot.llm.tokens import estimate_tokens
from bot.review.anchoring import normalize_path
from bot.review.config import RepoConfig
from bot.review.diff import FileDiff
from bot.review.models import Finding, LLMReview

log = logging.getLogger(__name__)

# Tokens of one request, instructions included: small enough for the model's attention and a local
# model's context. A large change may grow requests up to the ceiling so that all of them run at once
# (the review then takes about as long as one call) rather than in a second wave.
DEFAULT_REQUEST_TOKENS = 24_000
MAX_REQUEST_TOKENS = 32_000
# Packing whole files into requests never fills them exactly; this much headroom avoids one extra request.
_PACKING_SLACK = 1.08
# A bad answer sent back for repair is cut here: a runaway answer must not make the repair costly.
MAX_ECHOED_ANSWER = 8_000

Messages = list[dict[str, str]]


class OpenAIReviewer:
    """Review diff files with any OpenAI-compatible Chat Completions endpoint."""

    def __init__(
        self,
        client: ChatClient,
        *,
        model: str,
        templates: PromptTemplates | None = None,
        request_tokens: int = DEFAULT_REQUEST_TOKENS,
        max_request_tokens: int = MAX_REQUEST_TOKENS,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self._client = client
        self._on_progress = on_progress
        self._model = model
        self._templates = templates or PromptTemplates.load()
        self._request_tokens = request_tokens
        self._max_request_tokens = max(request_tokens, max_request_tokens)

    @property
    def request_tokens(self) -> int:
        """Return the usual size of one request in tokens."""
        return self._request_tokens

    @property
    def max_request_tokens(self) -> int:
        """Return the largest size one request may grow to."""
        return self._max_request_tokens

    async def review(
        self, files: Sequence[FileDiff], *, config: RepoConfig, static_findings: Sequence[Finding]
    ) -> LLMReview:
        """Return the model's findings on `files`, with cost, notes and what went unreviewed."""
        categories = enabled_categories(config)
        if not categories:
            return LLMReview()
        redacted = redact_files(files)
        system = system_prompt(self._templates, categories)
        overhead = estimate_tokens(system) + estimate_tokens(self._user(config, Redacted((), frozenset()), []))
        pieces = cut_pieces(
            redacted.files,
            max_piece_tokens=max(1, self._request_tokens - overhead),
            static_findings=static_findings,
        )
        plan = plan_batches(
            pieces,
            request_tokens=self._request_size(pieces, overhead, config.budget.max_prompt_tokens),
            review_tokens=config.budget.max_prompt_tokens,
            overhead_tokens=overhead,
        )
        fmt = response_format(categories)
        model = config.model or self._model
        done = 0

        async def tracked(batch_run: Awaitable[BatchOutcome]) -> BatchOutcome:
            nonlocal done
            outcome = await batch_run
            done += 1
            if self._on_progress:
                self._on_progress(done, len(plan.batches))
            return outcome

        if self._on_progress:
            self._on_progress(0, len(plan.batches))
        outcomes = await asyncio.gather(
            *(
                tracked(
                    self._run_batch(
                        batch,
                        [
                            {"role": "system", "content": system},
                            {"role": "user", "content": self._user(config, redacted, static_findings, batch)},
                        ],
                        model=model,
                        fmt=fmt,
                        config=config,
                    )
                )
                for batch in plan.batches
            )
        )
        return LLMReview(
            findings=tuple(f for o in outcomes for f in o.findings),
            calls=sum(o.calls for o in outcomes),
            prompt_tokens=sum(o.prompt_tokens for o in outcomes),
            completion_tokens=sum(o.completion_tokens for o in outcomes),
            notes=(*batch_notes(outcomes), *budget_note(plan.left_out, config.budget.max_prompt_tokens)),
            unreviewed=unreviewed(outcomes, plan.left_out),
        )

    def _request_size(self, pieces: Sequence[Piece], overhead: int, budget: int) -> int:
        """Return the request size: the default, grown towards the ceiling to fit one concurrent wave."""
        content = min(sum(p.tokens for p in pieces), budget)
        wave = math.ceil(content * _PACKING_SLACK / self._client.settings.concurrency) + overhead
        return max(self._request_tokens, overhead + 1_000, min(wave, self._max_request_tokens))

    def _user(
        self,
        config: RepoConfig,
        redacted: Redacted,
        static_findings: Sequence[Finding],
        batch: Batch | None = None,
    ) -> str:
        diff = batch.render() if batch else ""
        texts = [ln.text for p in batch.pieces for ln in p.lines] if batch else []
        text = user_prompt(
            self._templates,
            config=config,
            paths=batch.paths if batch else [],
            diff=diff,
            fence="`" * max(3, longest_backtick_run(texts) + 1),
            static_findings=static_findings,
        )
        # The lines are redacted already; this catches a credential quoted anywhere else (a finding's title).
        return redacted.scrub(text)

    async def _run_batch(
        self, batch: Batch, messages: Messages, *, model: str, fmt: Mapping[str, Any], config: RepoConfig
    ) -> BatchOutcome:
        calls, usage = 0, [0, 0]

        async def ask(msgs: Messages) -> str:
            nonlocal calls
            completion = await self._client.complete(model=model, messages=msgs, response_format=fmt)
            calls += 1
            _add_usage(usage, completion, msgs)
            return completion.text

        def outcome(status: Any, findings: Sequence[Finding] = (), reason: str = "") -> BatchOutcome:
            return BatchOutcome(batch.paths, status, tuple(findings), calls, usage[0], usage[1], reason)

        try:
            answer = await ask(messages)
            try:
                return outcome("ok", _findings(answer, batch, config))
            except OutputError as exc:
                log.info("LLM answer unusable (%s); asking once for a repair", exc)
                repair = [
                    *messages,
                    {"role": "assistant", "content": answer[:MAX_ECHOED_ANSWER]},
                    {"role": "user", "content": repair_prompt(self._templates, str(exc))},
                ]
                answer = await ask(repair)
                try:
                    return outcome("ok", _findings(answer, batch, config))
                except OutputError as again:
                    log.warning("LLM answer still unusable after repair (%s); batch dropped", again)
                    return outcome("invalid")
        except LLMUnavailable as exc:
            return outcome("skipped", reason=str(exc))
        except LLMError as exc:
            log.warning("LLM batch failed: %s", exc)
            return outcome("failed", reason=str(exc))
        except Exception:
            # A fault of ours must cost this batch, not the review.
            log.exception("LLM batch failed unexpectedly")
            return outcome("failed", reason="internal error")


def _add_usage(usage: list[int], completion: Completion, messages: Messages) -> None:
    # What the API reports is the cost; servers that report no usage are counted by estimate.
    prompt = completion.prompt_tokens
    if prompt is None:
        prompt = sum(estimate_tokens(m["content"]) for m in messages)
    answer = completion.completion_tokens
    if answer is None:
        answer = estimate_tokens(completion.text)
    usage[0] += prompt
    usage[1] += answer


def _findings(answer: str, batch: Batch, config: RepoConfig) -> list[Finding]:
    parsed, malformed = parse_findings(answer)
    if malformed:
        log.info("%d malformed findings left out of an LLM answer", malformed)
    paths = set(batch.paths)
    seen: set[tuple[object, ...]] = set()
    out: list[Finding] = []
    for item in parsed:
        # A path outside the batch is one the model made up (or misspelt): there is nothing to anchor it to.
        path = normalize_path(item.path, paths)
        if path is None or not config.category_enabled(item.category):
            continue
        finding = replace(item.to_finding(), path=path)
        if finding.suggestion and has_marker(finding.suggestion):
            # Committed, it would put the marker where the real credential is.
            finding = replace(finding, suggestion=None)
        key = (finding.path, finding.line, finding.end_line, finding.category, finding.title.lower())
        if key not in seen:
            seen.add(key)
            out.append(finding)
    return out
