"""The LLM reviewer: redact, batch within budget, ask the model concurrently, and turn answers into findings."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from bot import metrics
from bot.llm.batching import Batch, Piece, cut_pieces, plan_batches, split_batch
from bot.llm.client import (
    ChatClient,
    Completion,
    ContextExceeded,
    DeadlineExceeded,
    FormatRejected,
    LLMError,
    LLMUnavailable,
)
from bot.llm.diffview import longest_backtick_run
from bot.llm.outcome import (
    BatchOutcome,
    Status,
    batch_notes,
    budget_note,
    deadline_note,
    dismissed_note,
    unreviewed,
)
from bot.llm.output_mode import Mode, request_format, schema_in_prompt
from bot.llm.prompts import (
    PromptTemplates,
    enabled_categories,
    repair_prompt,
    schema_prompt,
    system_prompt,
    user_prompt,
)
from bot.llm.redact import Redacted, has_marker, redact_files
from bot.llm.schema import OutputError, parse_findings, parse_verdicts, response_format
from bot.llm.tokens import estimate_tokens
from bot.llm.triage import Verdict, candidate_ids, triage
from bot.review.anchoring import normalize_path
from bot.review.config import RepoConfig
from bot.review.diff import FileDiff
from bot.review.models import Category, Finding, LLMReview

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
# A batch too long for the model is halved at most this many times (at most 2**3 requests from one batch).
MAX_SPLIT_DEPTH = 3
# The servers that need a fallback mode are mostly local ones, where an answer without a cap runs until the
# context is full (llama-cpp-python keeps generating under its JSON grammar): their answers are capped, and a cut
# answer splits the batch. OpenAI's newer models refuse `max_tokens`, so json_schema requests go without it.
FALLBACK_ANSWER_TOKENS = 1_500
# Past the deadline, this long is left for calls to notice it themselves before they are cancelled.
_DEADLINE_GRACE = 0.5

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
        """Return the model's findings on `files`, with cost, notes and what went unreviewed.

        Everything runs inside the deadline (`LLMSettings.deadline_seconds`): at the deadline the batches that
        finished are kept and the rest are named in a note.
        """
        categories = enabled_categories(config)
        if not categories:
            return LLMReview()
        loop = asyncio.get_running_loop()
        seconds = self._client.settings.deadline_seconds
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
        candidates = candidate_ids(static_findings)
        run = _Run(
            system=system,
            config=config,
            redacted=redacted,
            static=static_findings,
            candidates=candidates,
            categories=categories,
            model=config.model or self._model,
            deadline=loop.time() + seconds,
        )
        done = 0

        async def tracked(batch: Batch) -> list[BatchOutcome]:
            nonlocal done
            outcomes = await self._run_batch(batch, run)
            done += 1
            if self._on_progress:
                self._on_progress(done, len(plan.batches))
            return outcomes

        if self._on_progress:
            self._on_progress(0, len(plan.batches))
        tasks = [asyncio.ensure_future(tracked(batch)) for batch in plan.batches]
        if tasks:
            # The calls stop themselves at the deadline; this catches anything else that would wait past it.
            await asyncio.wait(tasks, timeout=seconds + _DEADLINE_GRACE)
        outcomes: list[BatchOutcome] = []
        for batch, task in zip(plan.batches, tasks, strict=True):
            if task.done() and not task.cancelled() and task.exception() is None:
                outcomes.extend(task.result())
            else:
                task.cancel()
                outcomes.append(BatchOutcome(batch.paths, "deadline", reason="deadline"))
        await asyncio.gather(*tasks, return_exceptions=True)
        late = any(o.status == "deadline" for o in outcomes)
        if late:
            # The next pull requests skip the model at once instead of each waiting out its own deadline.
            self._client.breaker.trip()
            metrics.record_llm_deadline()
        verdicts = {v.id: v for o in outcomes for v in o.verdicts}
        decided = triage(static_findings, verdicts)
        calls = sum(o.calls for o in outcomes)
        return LLMReview(
            findings=tuple(f for o in outcomes for f in o.findings),
            calls=calls,
            prompt_tokens=sum(o.prompt_tokens for o in outcomes),
            completion_tokens=sum(o.completion_tokens for o in outcomes),
            notes=(
                *batch_notes(outcomes),
                *deadline_note(outcomes, seconds=seconds, paused_for=self._client.breaker.retry_in() if late else 0),
                *dismissed_note(len(decided.dismissed), len(candidates)),
                *budget_note(plan.left_out, config.budget.max_prompt_tokens),
            ),
            unreviewed=unreviewed(outcomes, plan.left_out),
            dismissed=tuple(f for f, _ in decided.dismissed),
            # Shown even when no answer came in time: which mode was negotiated explains what the server was asked.
            output_mode=self._client.modes.mode(self._client.endpoint, run.model) if calls else None,
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
        candidates: Mapping[str, Finding] | None = None,
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
            candidates=candidates,
        )
        # The lines are redacted already; this catches a credential quoted anywhere else (a finding's title).
        return redacted.scrub(text)

    async def _run_batch(self, batch: Batch, run: _Run, depth: int = 0) -> list[BatchOutcome]:
        """Return the outcome of one batch, or of its halves when it did not fit the model."""
        cost = _Cost()
        try:
            return [await self._ask_batch(batch, run, cost)]
        except _TooLong as exc:
            halves = split_batch(batch)
            if halves is None or depth >= MAX_SPLIT_DEPTH:
                log.warning("LLM batch still too long after %d splits (%s)", depth, exc)
                return [cost.outcome(batch, "failed", reason=f"{exc} even in smaller requests")]
            metrics.record_llm_split()
            log.info("LLM batch too long (%s); asking in two halves", exc)
            parts = await asyncio.gather(*(self._run_batch(h, run, depth + 1) for h in halves))
            out = [o for part in parts for o in part]
            # What the cut attempt cost is the first half's to carry.
            first = out[0]
            out[0] = replace(
                first,
                calls=first.calls + cost.calls,
                prompt_tokens=first.prompt_tokens + cost.prompt_tokens,
                completion_tokens=first.completion_tokens + cost.completion_tokens,
            )
            return out
        except DeadlineExceeded as exc:
            return [cost.outcome(batch, "deadline", reason=str(exc))]
        except LLMUnavailable as exc:
            return [cost.outcome(batch, "skipped", reason=str(exc))]
        except LLMError as exc:
            log.warning("LLM batch failed: %s", exc)
            return [cost.outcome(batch, "failed", reason=str(exc))]
        except Exception:
            # A fault of ours must cost this batch, not the review.
            log.exception("LLM batch failed unexpectedly")
            return [cost.outcome(batch, "failed", reason="internal error")]

    async def _ask_batch(self, batch: Batch, run: _Run, cost: _Cost) -> BatchOutcome:
        client, model = self._client, run.model
        modes = client.modes
        asked = {key: f for key, f in run.candidates.items() if f.path in batch.paths}
        schema_format = response_format(run.categories, verdicts=bool(asked))
        user = self._user(run.config, run.redacted, run.static, batch, asked)

        def messages(mode: Mode) -> Messages:
            system = run.system
            if schema_in_prompt(mode):
                system += "\n\n" + schema_prompt(self._templates, schema_format["json_schema"]["schema"])
            return [{"role": "system", "content": system}, {"role": "user", "content": user}]

        async def ask(mode: Mode, extra: Messages) -> tuple[str, Mode]:
            # A refused response_format moves down one mode and asks again (never the same request twice).
            while True:
                try:
                    completion = await client.complete(
                        model=model,
                        messages=[*messages(mode), *extra],
                        response_format=request_format(mode, schema_format),
                        deadline=run.deadline,
                        max_tokens=None if mode == "json_schema" else FALLBACK_ANSWER_TOKENS,
                    )
                except FormatRejected as refused:
                    cost.calls += 1
                    lower = modes.downgrade(
                        client.endpoint, model, failed=mode, skip_json_object=not refused.offers_json_object
                    )
                    if lower is None:
                        raise LLMError("the server refused every way of asking for JSON") from None
                    log.warning("the LLM server refused response_format %s; asking with %s", mode, lower)
                    mode = lower
                    continue
                except ContextExceeded as exc:
                    cost.calls += 1
                    raise _TooLong(str(exc)) from None
                cost.add(completion, [*messages(mode), *extra])
                if completion.finish_reason == "length":
                    raise _TooLong("the answer was cut by the length limit")
                return completion.text, mode

        async with modes.negotiating(client.endpoint, model):
            answer, mode = await ask(modes.mode(client.endpoint, model), [])
            try:
                found, verdicts = _parse(answer, batch, run.config, asked)
            except OutputError as exc:
                # Under json_schema an unusable answer means the server ignored the schema (Ollama Cloud does):
                # the repair, and later requests, carry the schema in the prompt instead.
                mode = modes.downgrade(client.endpoint, model, failed=mode) or mode
                log.info("LLM answer unusable (%s); asking once for a repair", exc)
                repair: Messages = [
                    {"role": "assistant", "content": answer[:MAX_ECHOED_ANSWER]},
                    {"role": "user", "content": repair_prompt(self._templates, str(exc))},
                ]
                answer, mode = await ask(mode, repair)
                try:
                    found, verdicts = _parse(answer, batch, run.config, asked)
                except OutputError as again:
                    log.warning("LLM answer still unusable after repair (%s); batch dropped", again)
                    return cost.outcome(batch, "invalid")
            modes.settle(client.endpoint, model, mode)
            return cost.outcome(batch, "ok", found, verdicts=verdicts)


@dataclass(frozen=True, slots=True)
class _Run:
    """What every batch of one review shares."""

    system: str
    config: RepoConfig
    redacted: Redacted
    static: Sequence[Finding]
    candidates: Mapping[str, Finding]
    categories: tuple[Category, ...]
    model: str
    deadline: float


@dataclass(slots=True)
class _Cost:
    """What one batch's requests cost so far."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add(self, completion: Completion, messages: Messages) -> None:
        self.calls += 1
        usage = [0, 0]
        _add_usage(usage, completion, messages)
        self.prompt_tokens += usage[0]
        self.completion_tokens += usage[1]

    def outcome(
        self,
        batch: Batch,
        status: Status,
        findings: Sequence[Finding] = (),
        reason: str = "",
        verdicts: Sequence[Verdict] = (),
    ) -> BatchOutcome:
        return BatchOutcome(
            batch.paths,
            status,
            tuple(findings),
            self.calls,
            self.prompt_tokens,
            self.completion_tokens,
            reason,
            tuple(verdicts),
        )


class _TooLong(Exception):
    """The batch did not fit: the context was exceeded or the answer was cut."""


def _parse(
    answer: str, batch: Batch, config: RepoConfig, asked: Mapping[str, Finding]
) -> tuple[list[Finding], list[Verdict]]:
    found = _findings(answer, batch, config)
    # Only this request's candidates can be judged by its answer.
    verdicts = [
        Verdict(v.id, v.verdict == "dismissed", v.reason[:300]) for v in parse_verdicts(answer) if v.id in asked
    ]
    return found, verdicts


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
