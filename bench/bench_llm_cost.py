"""LLM review cost: wall time against one call, and prompt tokens against the changed lines themselves.

Run from the repository root: `.venv/bin/python -m bench.bench_llm_cost [--files 50 --lines 100 --latency 2]`.
The fake OpenAI-compatible server answers every call after `--latency` seconds and reports usage as one token
per four characters; the changed lines are counted the same way, so the ratio compares like with like.
Targets: wall time <= 1.5 x one call; prompt tokens <= 2.0 x the changed lines' tokens (default settings).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time

from bot.llm.tokens import estimate_tokens
from bot.review.config import RepoConfig
from bot.review.diff import parse_diff
from bot.settings import LLMSettings
from bot.wiring import Tuning, build_chat, build_reviewer
from tests.fakes.fake_llm import FakeLLM, fake_token_count

_STATEMENTS = (
    "    result = session.query(Order).filter(Order.customer_id == customer_id).all()",
    '    response = requests.get(f"{base_url}/items/{item_id}", headers=headers)',
    '    if not payload.get("items"):',
    '        raise ValueError("an order needs at least one item")',
    "    total = sum(line.price * line.quantity for line in order.lines)",
    '    logger.info("order %s placed by %s", order.id, user.id)',
    "    cache[key] = value",
    "    with lock:",
    "        counter += 1",
    '    return {"id": order.id, "total": str(total), "status": order.status}',
    "def handle_refund(request, order_id):",
    "    except Exception:",
    "        pass",
    "    for item in items:",
    '        db.execute("UPDATE stock SET count = count - 1 WHERE id = ?", (item.id,))',
)


def synthetic_diff(files: int, lines: int, *, hunks: int = 4, seed: int = 7) -> str:
    """Return a git diff of `files` Python files, each adding and removing `lines` lines over `hunks` hunks."""
    rng = random.Random(seed)
    out = []
    for f in range(files):
        path = f"service/module_{f}.py"
        out += [f"diff --git a/{path} b/{path}", "index 1111111..2222222 100644", f"--- a/{path}", f"+++ b/{path}"]
        old = new = 10
        per_hunk = lines // hunks
        for h in range(hunks):
            removed = per_hunk // 5
            added = per_hunk - removed
            body = [f" {rng.choice(_STATEMENTS)}" for _ in range(3)]
            body += [f"-{rng.choice(_STATEMENTS)}" for _ in range(removed)]
            body += [f"+{rng.choice(_STATEMENTS)}" for _ in range(added)]
            body += [f" {rng.choice(_STATEMENTS)}" for _ in range(3)]
            out.append(f"@@ -{old},{6 + removed} +{new},{6 + added} @@ def function_{h}(request):")
            out += body
            old += 6 + removed + 40
            new += 6 + added + 40
    return "\n".join(out) + "\n"


async def run(files_count: int, lines: int, latency: float) -> None:
    """Print the figures for one synthetic review."""
    fake = FakeLLM(latency=latency)
    await fake.start()
    settings = LLMSettings(api_key=None, base_url=fake.base_url, model="bench")
    client = build_chat(settings, Tuning())
    try:
        started = time.perf_counter()
        await client.complete(model="bench", messages=[{"role": "user", "content": "ping"}])
        one_call = time.perf_counter() - started
        fake.requests.clear()

        files = parse_diff(synthetic_diff(files_count, lines))
        changed = [ln.text for f in files for h in f.hunks for ln in h.lines if ln.kind != "context"]
        context = [ln.text for f in files for h in f.hunks for ln in h.lines if ln.kind == "context"]
        reviewer = build_reviewer(client)
        started = time.perf_counter()
        review = await reviewer.review(files, config=RepoConfig(), static_findings=[])
        wall = time.perf_counter() - started
    finally:
        await client.close()
        await fake.stop()

    changed_tokens = sum(fake_token_count(t) for t in changed)
    context_tokens = sum(fake_token_count(t) for t in context)
    system_tokens = fake_token_count(fake.requests[0].messages[0]["content"]) if fake.requests else 0
    print(f"diff: {len(files)} files, {len(changed)} changed lines, {len(context)} context lines")
    print(f"LLM calls: {review.calls} (concurrency {settings.concurrency}), notes: {list(review.notes) or 'none'}")
    print(f"one call: {one_call:.2f} s   review: {wall:.2f} s   ratio: {wall / one_call:.2f} (target <= 1.5)")
    print(
        f"prompt tokens (reported): {review.prompt_tokens:,}   changed-line tokens: {changed_tokens:,}   "
        f"ratio: {review.prompt_tokens / changed_tokens:.2f} (target <= 2.0)"
    )
    print(f"prompt tokens per changed line: {review.prompt_tokens / len(changed):.1f}")
    print(
        f"of which: system prompt {system_tokens:,} per call, context lines {context_tokens:,} "
        f"({context_tokens / review.prompt_tokens:.0%} of the prompt)"
    )
    estimated = sum(
        estimate_tokens(r.messages[0]["content"]) + estimate_tokens(r.messages[1]["content"]) for r in fake.requests
    )
    print(f"our estimate of the same prompts: {estimated:,} tokens (chars/3.5; reported uses chars/4)")


def main() -> None:
    """Parse arguments and run the bench."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--lines", type=int, default=100, help="changed lines per file")
    parser.add_argument("--latency", type=float, default=2.0, help="seconds the fake takes per call")
    args = parser.parse_args()
    asyncio.run(run(args.files, args.lines, args.latency))


if __name__ == "__main__":
    main()
