"""action.yml keeps to the contract: its inputs, how it installs prodready, and that it runs `prodready action`."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
CONTRACT_INPUTS = {"github-token", "openai-api-key", "openai-base-url", "model", "sarif"}


def _steps() -> list[dict]:
    return ACTION["runs"]["steps"]


def test_inputs_are_exactly_the_contracts():
    assert set(ACTION["inputs"]) == CONTRACT_INPUTS
    assert ACTION["inputs"]["github-token"]["default"] == "${{ github.token }}"
    assert all(not spec.get("required", False) for spec in ACTION["inputs"].values())
    assert all(spec.get("description") for spec in ACTION["inputs"].values())


def test_a_composite_action_on_python_311():
    assert ACTION["runs"]["using"] == "composite"
    [setup] = [s for s in _steps() if str(s.get("uses", "")).startswith("actions/setup-python@")]
    assert setup["with"]["python-version"] == "3.11"
    assert all(s.get("shell") == "bash" for s in _steps() if "run" in s)


def test_prodready_is_installed_from_the_actions_own_checkout_through_the_lock():
    install = "\n".join(s["run"] for s in _steps() if "run" in s)
    assert 'install --quiet --require-hashes -r "$GITHUB_ACTION_PATH/requirements/runtime.lock"' in install
    assert '--no-deps --no-build-isolation "$GITHUB_ACTION_PATH"' in install


def test_every_input_reaches_the_run_as_env():
    [review] = [s for s in _steps() if 'prodready" action' in s.get("run", "")]
    env = review["env"]
    used = {m for value in env.values() for m in re.findall(r"inputs\.([\w-]+)", str(value))}
    assert used == CONTRACT_INPUTS
    assert env["GITHUB_TOKEN"] == "${{ inputs.github-token }}"


def test_nothing_from_the_workspace_is_installed_or_run():
    # pull_request_target runs with a write token: the pull request's code must never run (README).
    text = (ROOT / "action.yml").read_text()
    steps = "\n".join(str(s) for s in _steps())
    assert "github.workspace" not in steps and "GITHUB_WORKSPACE" not in steps
    assert all(s.get("working-directory") == "${{ runner.temp }}" for s in _steps() if "run" in s)
    [review] = [s for s in _steps() if 'prodready" action' in s.get("run", "")]
    assert review["run"].startswith('"$RUNNER_TEMP/prodready-venv/bin/python" -I ')
    assert "pip install ." not in text and "python -m" not in steps.replace("python -m venv", "")
