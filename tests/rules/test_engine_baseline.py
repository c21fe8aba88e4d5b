"""Only what the change introduced: renamed, reformatted and moved code is not new; a risky line beside it is."""

from __future__ import annotations

import difflib

import pytest

from bot.review.config import RepoConfig
from bot.review.diff import FileDiff, parse_diff
from bot.rules.engine import run_rules


def patch(path: str, before: str, after: str, *, old_path: str | None = None) -> str:
    """Return a git-format diff of one file from `before` to `after` ('' for a missing side)."""
    old = old_path or path
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{old}" if before else "/dev/null",
        tofile=f"b/{path}" if after else "/dev/null",
        n=1,
    )
    mode = "new file mode 100644\n" if not before else "deleted file mode 100644\n" if not after else ""
    return f"diff --git a/{old} b/{path}\n{mode}" + "".join(lines)


def found(diff_text: str, sources: dict[str, str] | None = None) -> list[tuple[str, int, str | None]]:
    files: list[FileDiff] = parse_diff(diff_text)
    result = run_rules(files, sources=sources or {}, config=RepoConfig(), custom_rules={})
    return sorted((f.path, f.line, f.rule) for f in result.findings)


JS_BEFORE = """\
async function load(id) {
  try {
    return await db.find(id);
  } catch (err) {
  }
}
"""


@pytest.mark.parametrize("whole", [True, False], ids=["whole file", "diff alone"])
def test_renaming_the_caught_error_introduces_nothing(whole):
    after = JS_BEFORE.replace("catch (err)", "catch (error)")
    assert found(patch("a.js", JS_BEFORE, after), {"a.js": after} if whole else None) == []


@pytest.mark.parametrize("whole", [True, False], ids=["whole file", "diff alone"])
def test_a_new_swallowing_catch_beside_a_renamed_one_is_found(whole):
    after = JS_BEFORE.replace("catch (err)", "catch (error)") + (
        "\nasync function save(row) {\n  try {\n    await db.put(row);\n  } catch (e) {\n  }\n}\n"
    )
    assert found(patch("a.js", JS_BEFORE, after), {"a.js": after} if whole else None) == [
        ("a.js", 11, "js-catch-swallows-error")
    ]


PY_BEFORE = """\
import requests


def fetch(url, headers):
    return requests.get(url, headers=headers)
"""


@pytest.mark.parametrize("whole", [True, False], ids=["whole file", "diff alone"])
def test_a_formatter_rewrapping_a_call_introduces_nothing(whole):
    after = PY_BEFORE.replace(
        "requests.get(url, headers=headers)", "requests.get(\n        url,\n        headers=headers,\n    )"
    )
    assert found(patch("a.py", PY_BEFORE, after), {"a.py": after} if whole else None) == []


def test_a_formatter_reindenting_a_block_introduces_nothing():
    before = "def f(url):\n  if url:\n    return requests.get(url)\n"
    after = "def f(url):\n    if url:\n        return requests.get(url)\n"
    assert found(patch("a.py", before, after), {"a.py": after}) == []


def test_a_copy_of_an_existing_risky_line_is_new():
    after = PY_BEFORE + "\n\ndef fetch_again(url, headers):\n    return requests.get(url, headers=headers)\n"
    assert found(patch("a.py", PY_BEFORE, after), {"a.py": after}) == [("a.py", 9, "py-requests-without-timeout")]


def test_a_function_moved_within_the_file_introduces_nothing():
    before = PY_BEFORE + "\n\ndef other():\n    return 1\n"
    after = "import requests\n\n\ndef other():\n    return 1\n\n\ndef fetch(url, headers):\n"
    after += "    return requests.get(url, headers=headers)\n"
    assert found(patch("a.py", before, after), {"a.py": after}) == []


def test_a_function_moved_to_another_file_introduces_nothing_but_a_new_call_there_is_found():
    target = "import requests\n\n\ndef fetch(url, headers):\n    return requests.get(url, headers=headers)\n"
    target += "\n\ndef ping(url):\n    return requests.head(url)\n"
    diff = patch("a.py", PY_BEFORE, "import requests\n") + patch("b.py", "", target)
    assert found(diff, {"b.py": target}) == [("b.py", 9, "py-requests-without-timeout")]


def test_a_function_moved_out_of_a_deleted_file_introduces_nothing():
    diff = patch("old.py", PY_BEFORE, "") + patch("new.py", "", PY_BEFORE)
    assert found(diff) == []


def test_a_risky_line_that_only_changed_its_arguments_is_reported_again():
    after = PY_BEFORE.replace("headers=headers", "headers=headers, params={'page': 1}")
    assert found(patch("a.py", PY_BEFORE, after), {"a.py": after}) == [("a.py", 5, "py-requests-without-timeout")]


def test_a_re_indented_secret_was_already_exposed_but_a_new_one_is_found():
    key = "sk_live_" + "51HxQmVKdR2pLw7sT9bNcZa4"
    before = f'STRIPE = "{key}"\n'
    after = f'if True:\n    STRIPE = "{key}"\nOTHER = "{key[:-4]}Qz81"\n'
    assert [line for _, line, rule in found(patch("a.py", before, after)) if rule == "hardcoded-secret"] == [3]


GO_GUARDED = """\
package plugins

func (m *Manager) Remove(ids []uint) error {
\tfor _, id := range ids {
\t\tm.mutex.Lock()
\t\terr := m.stop(id)
\t\tm.mutex.Unlock()
\t\tif err != nil {
\t\t\treturn err
\t\t}
\t\tm.mutex.Lock()
\t\tdelete(m.instances, id)
\t\tm.mutex.Unlock()
\t}
\treturn nil
}
"""
GO_UNGUARDED = GO_GUARDED.replace("\t\tm.mutex.Lock()\n\t\tdelete", "\t\tdelete").replace(
    "delete(m.instances, id)\n\t\tm.mutex.Unlock()\n", "delete(m.instances, id)\n"
)


def test_removing_the_lock_around_an_unchanged_write_is_the_changes_finding():
    result = run_rules(
        parse_diff(patch("manager.go", GO_GUARDED, GO_UNGUARDED)),
        sources={"manager.go": GO_UNGUARDED},
        config=RepoConfig(),
        custom_rules={},
    )
    [finding] = result.findings
    assert (finding.line, finding.rule) == (11, "go-map-write-after-unlock")
    assert GO_UNGUARDED.splitlines()[10].strip() == "delete(m.instances, id)"
    assert finding.body.startswith("This line is unchanged; the change removed code next to it")


def test_without_the_whole_file_a_line_beside_a_removal_is_not_judged():
    # From the diff alone the old side is a fragment: nothing shows the line was clean before.
    assert found(patch("manager.go", GO_GUARDED, GO_UNGUARDED)) == []


def test_a_removal_beside_a_line_that_was_already_a_finding_adds_nothing():
    before = GO_UNGUARDED.replace("\t\tdelete(m.instances, id)\n", "\t\tm.seen++\n\t\tdelete(m.instances, id)\n")
    assert found(patch("manager.go", before, GO_UNGUARDED), {"manager.go": GO_UNGUARDED}) == []


def test_lines_beside_a_removal_are_the_two_before_and_the_two_after_it():
    # Five and six lines of context, so the window, not the hunk, sets the limit.
    hunk_text = (
        "".join(f" line {n}\n" for n in range(1, 6)) + "-line 6\n" + "".join(f" line {n}\n" for n in range(7, 13))
    )
    [diff] = parse_diff(f"diff --git a/n.txt b/n.txt\n--- a/n.txt\n+++ b/n.txt\n@@ -1,12 +1,11 @@\n{hunk_text}")
    assert diff.beside_removed == frozenset({4, 5, 6, 7})
    assert diff.added == {}


JAVA_VOLATILE = """\
public class Injector {
    private static volatile Registry registry;
    private static final Object LOCK = new Object();

    // Built on first use.
    static Registry registry() {
        if (registry == null) {
            synchronized (LOCK) {
                if (registry == null) {
                    registry = Registry.load();
                }
            }
        }
        return registry;
    }
}
"""
JAVA_PLAIN = JAVA_VOLATILE.replace("static volatile Registry", "static Registry")


def whole_file_review(path: str, before: str, after: str) -> list:
    """Return the findings of a change from `before` to `after`, with the whole new file at hand."""
    return list(
        run_rules(
            parse_diff(patch(path, before, after)), sources={path: after}, config=RepoConfig(), custom_rules={}
        ).findings
    )


def _java_review(before: str, after: str) -> list:
    return whole_file_review("src/main/java/Injector.java", before, after)


def _go_review(before: str, after: str) -> list:
    return whole_file_review("feeds/client.go", before, after)


def _py_review(before: str, after: str) -> list:
    return whole_file_review("app/views.py", before, after)


def test_dropping_volatile_makes_the_unchanged_lazy_init_the_changes_finding():
    [finding] = _java_review(JAVA_VOLATILE, JAVA_PLAIN)
    # Reported on the declaration the change made, which is where the fix goes.
    assert (finding.line, finding.rule) == (2, "java-double-checked-locking")
    assert finding.body.startswith("The code this is about is on line 7, which the change left as it was")


def test_adding_volatile_reports_nothing():
    assert _java_review(JAVA_PLAIN, JAVA_VOLATILE) == []


def test_a_change_elsewhere_in_the_class_does_not_report_the_old_lazy_init():
    after = JAVA_PLAIN.replace("// Built on first use.", "// Built on first use, once.")
    assert _java_review(JAVA_PLAIN, after) == []


def test_a_new_lazy_init_is_reported_on_its_check_once():
    [finding] = _java_review("public class Injector {\n}\n", JAVA_PLAIN)
    assert (finding.line, finding.rule) == (7, "java-double-checked-locking")
    assert not finding.body.startswith("The code this is about")


def test_also_at_must_name_a_captured_metavariable():
    from bot.rules.loader import RuleProblem, parse_rules

    rule = (
        "id: team-x\nlanguage: java\nmessage: m\nrule:\n  pattern: foo($A)\n"
        "metadata: { category: concurrency, severity: low, also_at: B }\n"
    )
    with pytest.raises(RuleProblem, match=r"metadata\.also_at must name a metavariable the rule captures"):
        list(parse_rules(rule, origin="custom", builtin=False))
    (ok,) = parse_rules(rule.replace("also_at: B", "also_at: $A"), origin="custom", builtin=False)
    assert ok.also_at == "A"


GO_CLOSED = """\
package feeds

func (c *Client) fetch(req *http.Request) (*Result, error) {
\tresp, err := c.http.Do(req)
\tif err != nil {
\t\treturn nil, err
\t}
\tdefer resp.Body.Close()

\tbody, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
\tif err != nil {
\t\treturn nil, err
\t}
\treturn &Result{Body: body, Status: resp.StatusCode}, nil
}
"""
GO_LEAKING = GO_CLOSED.replace("\tdefer resp.Body.Close()\n", "")


def test_dropping_the_close_after_the_error_check_is_the_changes_finding():
    [finding] = _go_review(GO_CLOSED, GO_LEAKING)
    assert finding.rule == "go-response-body-not-closed"
    # Beside the removal, inside the check the close belonged after; the call itself is outside the hunk.
    assert 5 <= finding.line <= 7
    assert finding.body.startswith("The code this is about is on line 4, which the change left as it was; the change")


def test_adding_the_close_reports_nothing():
    assert _go_review(GO_LEAKING, GO_CLOSED) == []


def test_a_removal_beside_a_leak_that_was_there_before_adds_nothing():
    before = GO_LEAKING.replace("\treturn &Result", "\t// done\n\treturn &Result")
    assert _go_review(before, GO_LEAKING) == []


PY_SAFE_NEXT = """\
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_to_next(request):
    redirect_url = request.GET.get("next", "/")

    if redirect_url and url_has_allowed_host_and_scheme(redirect_url, allowed_hosts=None):
        pass
    else:
        redirect_url = "/"

    return HttpResponseRedirect(redirect_url)
"""
PY_WEAK_NEXT = PY_SAFE_NEXT.replace(
    "url_has_allowed_host_and_scheme(redirect_url, allowed_hosts=None)", "redirect_url.startswith('/')"
)


def test_weakening_the_check_on_a_redirect_target_is_reported_on_the_check():
    [finding] = _py_review(PY_SAFE_NEXT, PY_WEAK_NEXT)
    # The redirect (line 13) is unchanged and outside the hunk; the weakened check on line 8 is the change.
    assert (finding.line, finding.rule) == (8, "py-open-redirect")
    assert finding.body.startswith("The code this is about is on line 13, which the change left as it was")
    assert "which tests it but does not make it safe" in finding.body


def test_restoring_the_check_reports_nothing():
    assert _py_review(PY_WEAK_NEXT, PY_SAFE_NEXT) == []


def test_a_presence_test_is_not_shown_as_a_check_on_the_path():
    after = PY_WEAK_NEXT.replace("if redirect_url and redirect_url.startswith('/'):", "if redirect_url:")
    [finding] = _py_review(PY_SAFE_NEXT, after)
    assert finding.line == 8
    assert "does not make it safe" not in finding.body
