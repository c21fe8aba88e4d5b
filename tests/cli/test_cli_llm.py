"""`prodready review` with an LLM: the real CLI process against the fake OpenAI-compatible server."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from tests.fakes.fake_llm import Compute, Fail, FakeLLM, llama_cpp_python

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "risky-checkout.diff"


async def run_cli(*args: str, env: dict[str, str]) -> tuple[int, bytes, bytes]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PRODREADY_"))}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env={**base, "PYTHONPATH": str(ROOT), **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    return proc.returncode or 0, out, err


def finding_on_first_added_line(body: dict) -> dict:
    """Answer with one finding on the first numbered line the request showed for web/cart.js."""
    user = body["messages"][-1]["content"]
    return {
        "findings": [
            {
                "path": "web/cart.js",
                "line": 9,
                "end_line": None,
                "category": "failure_handling",
                "severity": "high",
                "title": "Cart sync has no retry budget",
                "body": "A slow API stalls checkout. Add a timeout and a bounded retry.",
                "suggestion": None,
            }
        ]
        if "web/cart.js" in user
        else []
    }


async def test_llm_findings_join_static_ones_and_cost_is_reported(fake_llm: FakeLLM):
    fake_llm.default = Compute(finding_on_first_added_line)
    code, out, err = await run_cli(
        "review",
        "--diff",
        str(EXAMPLE),
        "--format",
        "json",
        env={"OPENAI_BASE_URL": fake_llm.base_url, "OPENAI_API_KEY": "sk-test-cli-secret", "PRODREADY_MODEL": "m"},
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    sources = {f["source"] for f in doc["findings"]}
    assert sources == {"static", "llm"}, doc["findings"]
    assert doc["stats"]["llm_calls"] >= 1 and doc["stats"]["prompt_tokens"] > 0
    assert b"no LLM was used" not in err
    assert fake_llm.requests and all(r.body["model"] == "m" for r in fake_llm.requests)
    # The example plants a Stripe test key: it must never reach the model.
    assert not any("sk_test_51HxQmKLy8d2xq0example" in r.text for r in fake_llm.requests)
    assert b"sk-test-cli-secret" not in out + err


async def test_offline_flag_never_calls_the_llm(fake_llm: FakeLLM):
    code, _out, err = await run_cli(
        "review", "--diff", str(EXAMPLE), "--offline", "--format", "json", env={"OPENAI_BASE_URL": fake_llm.base_url}
    )
    assert code in (0, 1) and fake_llm.requests == []
    assert b"offline" in err


async def test_an_llm_outage_still_gives_the_static_review(fake_llm: FakeLLM):
    fake_llm.default = Fail(503, "overloaded")
    code, out, err = await run_cli(
        "review",
        "--diff",
        str(EXAMPLE),
        "--format",
        "json",
        env={"OPENAI_BASE_URL": fake_llm.base_url, "PRODREADY_LLM_MAX_RETRIES": "1"},
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["findings"] and {f["source"] for f in doc["findings"]} == {"static"}
    assert b"Traceback" not in err


async def test_text_and_markdown_outputs_name_the_negotiated_output_mode(fake_llm: FakeLLM):
    fake_llm.profile = llama_cpp_python
    env = {"OPENAI_BASE_URL": fake_llm.base_url, "PRODREADY_MODEL": "m"}
    for fmt in ("text", "markdown"):
        fake_llm.requests.clear()
        code, out, err = await run_cli("review", "--diff", str(EXAMPLE), "--format", fmt, env=env)
        assert code in (0, 1), err
        # The CLI negotiates per run: one refusal of json_schema, then json_object.
        assert [r.body.get("response_format", {}).get("type") for r in fake_llm.requests][:2] == [
            "json_schema",
            "json_object",
        ]
        assert "answers as json_object (negotiated: the server did not honour json_schema)" in out.decode(), fmt
