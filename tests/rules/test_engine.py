"""The engine: added lines only, sources vs hunks, disable, custom rules and faults in rules or code."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.review.config import RepoConfig, RulesConfig
from bot.rules.engine import run_rules
from bot.rules.loader import builtin_problems, builtin_rules
from tests.rules.conftest import file_diff, review, rule_lines

CUSTOM = """
id: no-legacy-client
language: python
severity: error
message: legacy_client is being retired
note: Use `billing.Client` instead.
rule:
  pattern: legacy_client.$M($$$)
"""


def test_only_added_lines_are_reported() -> None:
    source = "import requests\na = requests.get(u)\nb = requests.get(u)\n"
    findings = review("app.py", source, added=[3])
    assert rule_lines(findings, "py-requests-without-timeout") == [3]


def test_match_spanning_context_and_added_lines_lands_on_the_added_line_without_suggestion() -> None:
    source = "r = requests.post(\n    url,\n    json=body,\n)\n"
    (finding,) = review("app.py", source, added=[3])
    assert finding.line == 3 and finding.suggestion is None


def test_rules_run_on_hunks_when_no_source_is_given() -> None:
    source = "def f(u):\n    return requests.get(u)\n"
    findings = review("app.py", source, with_source=False)
    assert rule_lines(findings, "py-requests-without-timeout") == [2]


def test_stale_source_is_ignored_in_favour_of_the_hunks() -> None:
    diff = file_diff("app.py", "x = 1\nr = requests.get(u)\n")
    stale = "r = requests.get(u)\nx = 1\n"  # lines swapped: would put the finding on the wrong line
    result = run_rules([diff], sources={"app.py": stale}, config=RepoConfig(), custom_rules={})
    assert [f.line for f in result.findings] == [2]


def test_python_ast_rules_fall_back_to_each_hunk_when_the_file_does_not_parse() -> None:
    source = "    try:\n        sync()\n    except Exception:\n        pass\n"
    findings = review("app.py", source, with_source=False)
    assert rule_lines(findings, "py-swallowed-exception") == [3]


@pytest.mark.parametrize(
    "source",
    ["def f(:\n    requests.get(u)\n", "\x00\x01garbage ))) (((\n", "", "@@@\n" * 50, "x = '" + "\\" * 3000 + "\n"],
)
def test_broken_user_code_never_crashes_the_engine(source: str) -> None:
    review("app.py", source)
    review("app.ts", source)
    review("app.go", source)


def test_syntax_error_elsewhere_still_lets_pattern_rules_report() -> None:
    source = "def broken(:\n    pass\nr = requests.get(u)\n"
    assert rule_lines(review("app.py", source), "py-requests-without-timeout") == [3]


def test_disabled_rules_do_not_run() -> None:
    config = RepoConfig(rules=RulesConfig(disable=("py-requests-without-timeout", "hardcoded-secret")))
    source = "r = requests.get(u)\nT = 'ghp_" + "R2d2C3p0" * 4 + "abcd'\n"
    assert review("app.py", source, config=config) == []
    assert {f.rule for f in review("app.py", source)} == {"py-requests-without-timeout", "hardcoded-secret"}


def test_test_files_skip_rules_by_default() -> None:
    source = "import requests\nr = requests.get(u)\n"
    for path in ("tests/test_api.py", "app/tests/helpers.py", "test_api.py", "api_test.py", "conftest.py"):
        assert review(path, source) == [], path
    assert review("app/api.py", source)


def test_unknown_extensions_get_only_the_secret_scan() -> None:
    assert review("notes.txt", "requests.get(u)\n") == []


def test_binary_and_deleted_files_are_skipped() -> None:
    diff = file_diff("app.py", "requests.get(u)\n")
    for changed in (replace(diff, is_binary=True), replace(diff, status="deleted")):
        assert run_rules([changed], sources={}, config=RepoConfig(), custom_rules={}).findings == ()


def test_custom_rule_runs_like_a_builtin_one() -> None:
    findings = review("billing.py", "legacy_client.charge(1)\nother.charge(1)\n", custom={"legacy.yml": CUSTOM})
    (finding,) = findings
    assert (finding.rule, finding.line, finding.severity) == ("no-legacy-client", 1, "high")
    assert finding.category == "failure_handling" and finding.body == "Use `billing.Client` instead."


def test_custom_rule_metadata_sets_category_and_severity() -> None:
    text = CUSTOM + "metadata:\n  category: security\n  severity: critical\n  title: Retired client\n"
    (finding,) = review("billing.py", "legacy_client.charge(1)\n", custom={"legacy.yml": text})
    assert (finding.category, finding.severity, finding.title) == ("security", "critical", "Retired client")


@pytest.mark.parametrize(("ast_grep", "ours"), [("warning", "medium"), ("info", "low"), ("hint", "low")])
def test_custom_rule_severity_maps_from_ast_grep(ast_grep: str, ours: str) -> None:
    text = CUSTOM.replace("severity: error", f"severity: {ast_grep}")
    (finding,) = review("billing.py", "legacy_client.charge(1)\n", custom={"legacy.yml": text})
    assert finding.severity == ours


def test_custom_rule_with_severity_off_does_not_run() -> None:
    text = CUSTOM.replace("severity: error", "severity: off")
    assert review("billing.py", "legacy_client.charge(1)\n", custom={"legacy.yml": text}) == []


def test_custom_file_may_hold_several_rules() -> None:
    second = CUSTOM.replace("no-legacy-client", "no-old-client").replace("legacy_client", "old_client")
    findings = review("b.py", "legacy_client.a()\nold_client.b()\n", custom={"r.yml": CUSTOM + "---\n" + second})
    assert sorted(f.rule or "" for f in findings) == ["no-legacy-client", "no-old-client"]


def test_custom_rules_can_be_disabled() -> None:
    config = RepoConfig(rules=RulesConfig(disable=("no-legacy-client",)))
    assert review("b.py", "legacy_client.a()\n", custom={"r.yml": CUSTOM}, config=config) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("id: x\nlanguage: python\nrule: [unclosed\n", "not valid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
        # YAML keeps the last of two equal keys: the rule would silently lose its first condition.
        (CUSTOM + "metadata:\n  severity: low\n  severity: high\n", "the key 'severity' is given twice"),
        (CUSTOM.replace("pattern:", "patern:"), "unknown field `patern`"),
        (CUSTOM.replace("legacy_client.$M($$$)", "legacy_client.charge("), "is not valid python"),
        (CUSTOM.replace("language: python", "language: cobol"), "unknown or missing `language`"),
        (CUSTOM.replace("rule:\n  pattern: legacy_client.$M($$$)", "rule:\n  kind: no_such_kind"), "kind"),
        (CUSTOM + "constraints:\n  M: { regex: '(' }\n", "regex"),
        (CUSTOM + "metadata:\n  category: speed\n", "metadata.category"),
        (CUSTOM + "metadata:\n  severity: urgent\n", "metadata.severity"),
        (CUSTOM + "metadata:\n  requires: '(unclosed'\n", "metadata.requires"),
        (CUSTOM + "colour: red\n", "unknown key 'colour'"),
        (CUSTOM.replace("id: no-legacy-client", "id: 'bad id!'"), "`id`"),
        ("", "holds no rule"),
        (CUSTOM.replace("id: no-legacy-client", "id: py-requests-without-timeout"), "already taken"),
    ],
)
def test_invalid_custom_rule_is_a_note_and_other_rules_still_run(text: str, problem: str) -> None:
    good = CUSTOM.replace("no-legacy-client", "good-rule")
    diff = file_diff("b.py", "legacy_client.a()\nrequests.get(u)\n")
    result = run_rules([diff], sources={}, config=RepoConfig(), custom_rules={"bad.yml": text, "good.yml": good})
    (note,) = [n for n in result.notes if "bad.yml" in n]
    assert "bad.yml" in note and problem in note
    assert "Stack backtrace" not in note
    assert {f.rule for f in result.findings} == {"good-rule", "py-requests-without-timeout"}


def test_requires_skips_the_tree_search_only_where_its_text_is_absent() -> None:
    text = CUSTOM + "metadata:\n  requires: 'legacy_client'\n"
    assert [f.line for f in review("b.py", "x = 1\nlegacy_client.a()\n", custom={"r.yml": text})] == [2]
    # A wrong `requires` silences the rule: that is what the README warns about.
    wrong = CUSTOM + "metadata:\n  requires: 'never_there'\n"
    assert review("b.py", "legacy_client.a()\n", custom={"r.yml": wrong}) == []


def test_custom_rule_files_and_ignores_globs() -> None:
    text = CUSTOM + "files: ['billing/*']\nignores: ['billing/legacy/*']\n"
    custom = {"r.yml": text}
    assert review("billing/api.py", "legacy_client.a()\n", custom=custom)
    assert not review("billing/legacy/api.py", "legacy_client.a()\n", custom=custom)
    assert not review("shop/api.py", "legacy_client.a()\n", custom=custom)


def test_custom_rule_fix_becomes_a_suggestion() -> None:
    text = CUSTOM.replace("$$$)", "$$$ARGS)") + "fix: billing.Client().$M($$$ARGS)\n"
    (finding,) = review("b.py", "x = legacy_client.charge(1, 2)\n", custom={"r.yml": text})
    assert finding.suggestion == "x = billing.Client().charge(1, 2)"


def test_typescript_rules_also_run_on_tsx() -> None:
    text = CUSTOM.replace("language: python", "language: typescript").replace("$$$)", "$$$ARGS)")
    assert review("ui/App.tsx", "legacy_client.go(1);\n", custom={"r.yml": text})


def test_builtin_rules_load_and_every_one_has_metadata() -> None:
    assert builtin_problems() == ()
    rules = builtin_rules()
    assert len({r.id for r in rules}) == len(rules)
    for rule in rules:
        assert rule.body and rule.title and rule.category and rule.severity, rule.id


def test_findings_lie_on_added_lines_of_a_big_mixed_file() -> None:
    source = "\n".join(["import requests, subprocess", *[f"r{i} = requests.get(u{i})" for i in range(200)], "eval(x)"])
    added = set(range(1, 203, 3))
    findings = review("app.py", source + "\n", added=added)
    assert findings and all(f.line in added for f in findings)


def test_a_suggestion_keeps_every_argument_of_a_multiline_call_even_after_unseen_lines() -> None:
    # The file starts with lines the diff does not show, so the parsed text does not start at the tree's root.
    source = "\n\nimport requests\n\ncharge = requests.post(\n    PAYMENTS_URL,\n    json=body,\n)\n"
    diff = file_diff("pay.py", source, added=range(5, 9))
    result = run_rules([diff], sources={}, config=RepoConfig(), custom_rules={})
    (finding,) = [f for f in result.findings if f.rule == "py-requests-without-timeout"]
    assert finding.suggestion is not None
    assert "PAYMENTS_URL" in finding.suggestion and "json=body" in finding.suggestion
    assert ",," not in finding.suggestion.replace(" ", "").replace("\n", "")
    fixed = source.splitlines()
    fixed[finding.line - 1 : (finding.end_line or finding.line)] = finding.suggestion.splitlines()
    compile("\n".join(fixed), "pay.py", "exec")  # the suggested change is valid code


def test_no_suggestion_when_the_fix_would_drop_captured_code() -> None:
    code = "async function sync(cart) {\n  return fetch(url, { method: 'PUT', body: cart });\n}\n"
    (finding,) = [f for f in review("cart.js", code) if f.rule == "js-fetch-without-timeout"]
    assert finding.suggestion is None
    (bare,) = [f for f in review("cart.js", "fetch(url);\n") if f.rule == "js-fetch-without-timeout"]
    assert bare.suggestion == "fetch(url, { signal: AbortSignal.timeout(10_000) });"


def test_full_source_with_a_form_feed_or_line_separator_is_still_used():
    # Tree-sitter and git count lines by "\n" alone; str.splitlines() would also split on "\f" and "\u2028".
    from bot.review.diff import parse_diff
    from bot.rules.sources import file_text

    source = 'import os\n\x0c\nNOTE = "a\u2028b"\n\ndef f():\n    return requests.get(url)\n'
    diff = parse_diff(
        "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -5,1 +5,2 @@\n def f():\n+    return requests.get(url)\n"
    )
    text = file_text(diff[0], source)
    assert text.complete and text.lines[5] == "    return requests.get(url)"


@pytest.mark.parametrize("disable", [(), ("hardcoded-secret",)])
def test_a_suggestion_never_repeats_a_credential_from_the_line(disable):
    # The comment outlives the commit: a force-push removes the key from the branch, not from the review.
    url = "https://deploy:Zx81kLq2vPw7@api.payments.example.com/v1"
    findings = review(
        "pay.py",
        f"""
        import requests
        requests.get("{url}")
        """,
        config=RepoConfig(rules=RulesConfig(disable=disable)),
    )
    (timeout,) = [f for f in findings if f.rule == "py-requests-without-timeout"]
    assert timeout.line == 2 and timeout.suggestion is None
    assert not any("Zx81kLq2vPw7" in f"{f.title} {f.body} {f.suggestion}" for f in findings)


def test_a_suggestion_without_credentials_is_kept():
    findings = review("pay.py", 'import requests\nrequests.get("https://api.example.com/v1")\n')
    (timeout,) = [f for f in findings if f.rule == "py-requests-without-timeout"]
    assert timeout.suggestion == 'requests.get("https://api.example.com/v1", timeout=10)'


class PanicException(BaseException):
    """Stands in for pyo3's PanicException: what a Rust panic inside ast-grep raises."""


def test_a_file_the_analysers_crash_on_is_skipped_with_a_note(monkeypatch) -> None:
    import bot.rules.file_review as engine

    real_parse = engine.parse

    def parse(text: str, language: str):
        if "boom" in text:
            raise PanicException("index out of bounds")
        return real_parse(text, language)

    monkeypatch.setattr(engine, "parse", parse)
    bad = file_diff("bad.py", "boom = requests.get(u)\n")
    good = file_diff("good.py", "r = requests.get(u)\n")
    result = run_rules([bad, good], sources={}, config=RepoConfig(), custom_rules={})
    assert {f.path for f in result.findings} == {"good.py"}
    assert any("bad.py" in n and "PanicException" in n for n in result.notes)


def test_interrupts_are_not_swallowed(monkeypatch) -> None:
    import bot.rules.file_review as engine

    def parse(text: str, language: str):
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "parse", parse)
    with pytest.raises(KeyboardInterrupt):
        run_rules([file_diff("a.py", "requests.get(u)\n")], sources={}, config=RepoConfig(), custom_rules={})
