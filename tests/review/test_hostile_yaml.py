"""Hostile `.github/prodready.yml` and custom rule files: bounded work, a clear problem, never a crash."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from bot.review.config import parse_config
from bot.rules.loader import load_custom_rules


def _laughs(levels: int = 12) -> str:
    """Return YAML whose aliases expand to 4**levels scalars: tiny text, a huge value once walked."""
    lines = ["l0: &l0 [lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _in_child(code: str) -> subprocess.CompletedProcess[str]:
    # A C stack overflow kills the process outright, so that case is only observable from outside.
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.timeout(10)
def test_config_with_an_alias_bomb_is_refused_plainly() -> None:
    text = "x: &a0 [x, x]\n" + "".join(
        f"x{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n" for i in range(1, 13)
    )
    config, problems = parse_config(text + "fail_on: *a12\n")
    assert config.fail_on == "high"
    assert len(problems) == 1 and "alias" in str(problems[0])
    assert len(str(problems[0])) < 200


def test_config_with_a_plain_anchor_still_loads() -> None:
    config, problems = parse_config("fail_on: &sev medium\nmin_severity: low\n")
    assert problems == () and config.fail_on == "medium"


@pytest.mark.timeout(10)
def test_deeply_nested_config_is_a_problem_not_a_recursion_error() -> None:
    config, problems = parse_config("fail_on: " + "[" * 5000 + "]" * 5000 + "\n")
    assert config.fail_on == "high"
    assert problems and "nested" in str(problems[0])


def test_deeply_nested_block_config_is_a_problem() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n"
    _, problems = parse_config(text)
    assert problems and "nested" in str(problems[0])


def test_oversized_config_from_disk_is_a_problem() -> None:
    text = "instructions: " + "x" * 2_000_000 + "\n"
    config, problems = parse_config(text)
    assert config.instructions == "" and problems and "too large" in str(problems[0])


def test_config_with_very_many_values_is_refused_and_reports_few_problems() -> None:
    text = "paths:\n  include: [" + ", ".join(["[1]"] * 40_000) + "]\n"
    _, problems = parse_config(text)
    assert 1 <= len(problems) <= 3


@pytest.mark.timeout(10)
def test_custom_rule_with_an_alias_bomb_is_a_note() -> None:
    text = "id: r1\nlanguage: python\nmessage: m\nconstraints:\n  A: &a0 {regex: x}\n"
    text += "".join(f"  B{i}: &a{i} {{any: [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]}}\n" for i in range(1, 13))
    text += "rule:\n  pattern: foo($A)\n"
    rules, notes = load_custom_rules({"bomb.yml": text}, set())
    assert rules == [] and len(notes) == 1 and "alias" in notes[0]


@pytest.mark.timeout(10)
def test_custom_rule_that_names_an_alias_bomb_language_is_a_note() -> None:
    rules, notes = load_custom_rules({"bomb.yml": _laughs() + "id: r\nlanguage: *l11\n"}, set())
    assert rules == [] and "alias" in notes[0] and len(notes[0]) < 300


def test_deeply_nested_custom_rule_does_not_crash_the_process() -> None:
    done = _in_child(
        """
        from bot.rules.loader import load_custom_rules
        text = "id: x\\nlanguage: python\\nrule: " + "[" * 60000 + "]" * 60000 + "\\n"
        rules, notes = load_custom_rules({"deep.yml": text}, set())
        print(rules, notes)
        """
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert "[] ['Custom rule file deep.yml was not used:" in done.stdout and "nested" in done.stdout


def test_too_many_rules_in_one_file_is_a_note() -> None:
    one = "id: r{n}\nlanguage: python\nmessage: m\nrule:\n  pattern: legacy_{n}()\n"
    text = "---\n".join(one.format(n=n) for n in range(500))
    rules, notes = load_custom_rules({"many.yml": text}, set())
    assert rules == [] and notes and "rules" in notes[0]


def test_many_invalid_values_give_a_bounded_list_of_problems() -> None:
    _, problems = parse_config("paths:\n  include: [" + ", ".join(["1"] * 5_000) + "]\n")
    assert 1 < len(problems) <= 11
    assert "more" in str(problems[-1])


def test_a_long_wrong_value_is_quoted_shortly() -> None:
    _, problems = parse_config("fail_on: " + "x" * 50_000 + "\n")
    assert len(problems) == 1 and "fail_on" in str(problems[0]) and len(str(problems[0])) < 200


def _parser_must_not_run(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("the YAML parser was reached: our limit must refuse the text first")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("fail_on: " + "[" * 2000 + "]" * 2000 + "\n", id="flow"),
        # Indentation alone cannot reach a parser's limit within MAX_CHARS; as deep as the size allows.
        pytest.param("".join(" " * i + "k:\n" for i in range(600)) + " " * 600 + "v\n", id="block"),
        pytest.param("- " * 1500 + "x\n", id="compact-sequence"),
        pytest.param('hide: "' + "]" * 300 + '"\nthen: ' + "[" * 1500 + "\n", id="brackets-in-a-quote"),
        pytest.param("plain: it's\nthen: " + "{" * 1500 + "\n", id="apostrophe-in-a-plain-scalar"),
    ],
)
def test_nesting_past_any_parser_limit_is_refused_before_the_parser_runs(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PyYAML 6.0.4 stops near 1,000 levels with an error of its own; whatever a version does, ours comes first.
    import bot.review.yaml_limits as limits

    monkeypatch.setattr(limits.yaml, "parse", _parser_must_not_run)
    monkeypatch.setattr(limits.yaml, "load_all", _parser_must_not_run)
    with pytest.raises(limits.YamlRefused, match=r"^line \d+: values are nested more than 32 levels deep$"):
        limits.load_documents(text, limits.yaml.SafeLoader)


def test_the_text_scan_lets_real_files_through() -> None:
    # Block scalars full of code, brackets in quotes and plain scalars, comments: all normal, none refused.
    from bot.review.yaml_limits import check_text_nesting

    text = textwrap.dedent(
        """\
        id: r1  # a comment with [[[[ brackets
        message: "don't [ open ] things"
        note: it's a[0] and {x
        fix: |
          def f(x):
              if x:
                  return [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
        rule:
          all:
            - pattern: foo($A)
            - inside:
                kind: function_definition
                has: {kind: call, regex: '^requests\\.(get|post)\\['}
        """
    )
    check_text_nesting(text)
    check_text_nesting(text.replace("\n", "\r\n"))
