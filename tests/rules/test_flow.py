"""The flow analysis: request data followed to a sink, with the path as evidence and severity from its origin."""

from __future__ import annotations

import pytest
from ast_grep_py import SgRoot

from bot.review.config import RepoConfig, RulesConfig
from bot.rules.catalog import all_rules
from bot.rules.flow import FLOW_LANGUAGES, FLOW_RULES, flow_hits
from bot.rules.flow.constants import evaluate, value_of
from bot.rules.flow.taint import sql_value_splice
from tests.rules.conftest import review, rule_lines

FLASK = """
from flask import request
from app import app, db

@app.route("/users")
def users():
    name = request.args.get("name", "")
    sql = f"SELECT id FROM users WHERE name = '{name}'"
    db.execute(sql)
    return "ok"
"""


def only(findings, rule):
    return [f for f in findings if f.rule == rule]


def test_a_finding_shows_the_path_from_the_source_to_the_sink():
    (found,) = only(review("app/users.py", FLASK), "py-sql-built-from-strings")
    assert found.line == 8 and found.severity == "high" and found.evidence == "strong"
    assert found.title == "SQL built from request data"
    assert "Evidence: `name` from `request.args` (line 6) → `sql` (line 7) → `db.execute` (line 8)." in found.body


def test_a_parameter_is_a_weak_low_lead_and_says_so():
    source = """
    def rows_for(kind):
        cursor.execute("SELECT * FROM audit WHERE kind = '%s'" % kind)
    """
    (found,) = only(review("app/audit.py", source), "py-sql-built-from-strings")
    assert found.severity == "low" and found.evidence == "weak"
    assert found.title == "SQL built from a parameter"
    assert "Whether callers pass request data is not visible" in found.body


def test_a_parameter_reaching_a_file_is_not_reported():
    # Every file helper takes a path: only request data makes that a finding.
    source = """
    def load(path):
        with open(path) as handle:
            return handle.read()
    """
    assert only(review("app/files.py", source), "py-path-from-request") == []


def test_a_clean_reassignment_clears_the_taint_but_one_in_a_branch_does_not():
    source = """
    from flask import request
    from app import app, db

    @app.route("/a")
    def a():
        q = request.args["q"]
        q = "fixed"
        db.execute(f"SELECT * FROM t WHERE a = '{q}'")
        return "ok"

    @app.route("/b")
    def b(flag):
        q = request.args["q"]
        if flag:
            q = "fixed"
        db.execute(f"SELECT * FROM t WHERE a = '{q}'")
        return "ok"
    """
    assert rule_lines(review("app/q.py", source), "py-sql-built-from-strings") == [16]


def test_conditions_fixed_by_literals_skip_their_dead_branch():
    source = """
    from flask import request
    from app import app, db

    @app.route("/a")
    def a():
        param = request.form["p"]
        num = 86
        if 7 * 42 - num > 200:
            bar = "constant"
        else:
            bar = param
        db.execute(f"SELECT * FROM t WHERE a = '{bar}'")
        other = "constant" if 7 * 18 + num > 200 else param
        db.execute(f"SELECT * FROM t WHERE b = '{other}'")
        live = param if num > 1 else "constant"
        db.execute(f"SELECT * FROM t WHERE c = '{live}'")
        return "ok"
    """
    assert rule_lines(review("app/q.py", source), "py-sql-built-from-strings") == [16]


def test_a_value_stored_under_a_literal_key_is_read_back_from_that_key():
    source = """
    from flask import request
    from app import app, db

    @app.route("/a")
    def a():
        box = {}
        box["safe"] = "constant"
        box["user"] = request.form["p"]
        db.execute(f"SELECT * FROM t WHERE a = '{box['safe']}'")
        db.execute(f"SELECT * FROM t WHERE b = '{box['user']}'")
        return "ok"
    """
    assert rule_lines(review("app/q.py", source), "py-sql-built-from-strings") == [10]


def test_a_nested_function_has_its_own_state():
    source = """
    from flask import request
    from app import app, db

    @app.route("/a")
    def a():
        q = request.args["q"]

        def inner(q="constant"):
            db.execute(f"SELECT * FROM t WHERE a = '{q}'")

        return inner()
    """
    # `inner`'s q is its own parameter with a default: a weak lead at most, never the request's q.
    found = only(review("app/q.py", source), "py-sql-built-from-strings")
    assert [(f.line, f.evidence) for f in found] == [(9, "weak")]


@pytest.mark.parametrize(
    ("path", "source", "rule", "lines"),
    [
        (
            "src/routes.ts",
            "import { exec } from 'child_process';\n"
            "export function run(req: any, res: any) {\n"
            "  const name = req.query.name as string;\n"
            "  exec(`convert ${name} out.png`);\n"
            "  const m = /x/.exec(name);\n"
            "  res.json(m);\n"
            "}\n",
            "ts-child-process-dynamic-command",
            [4],
        ),
        (
            "web/App.tsx",
            "export async function load(req: any) {\n  return fetch(req.query.url as string);\n}\n",
            "ts-ssrf-from-request",
            [2],
        ),
        (
            "src/util.js",
            "export function first(req) {\n  const m = /a/.exec(req.query.q);\n  return m;\n}\n",
            "js-child-process-dynamic-command",
            [],
        ),
        (
            "internal/api/files.go",
            'package api\n\nimport (\n\t"net/http"\n\t"os"\n)\n\n'
            "func Get(w http.ResponseWriter, r *http.Request) {\n"
            '\tdata, _ := os.ReadFile("/srv/" + r.URL.Query().Get("name"))\n'
            "\tw.Write(data)\n}\n",
            "go-path-from-request",
            [9],
        ),
        (
            "src/main/java/A.java",
            "class A {\n  void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {\n"
            '    response.sendRedirect(request.getParameter("next"));\n'
            '    response.sendRedirect("/orders/" + request.getParameter("id"));\n  }\n}\n',
            "java-open-redirect",
            [3],
        ),
        (
            "src/routes/files.js",
            "function get(req, res) {\n"
            "  res.sendFile(req.params.name, { root: UPLOADS });\n"
            "  res.attachment(`${req.params.name}.csv`);\n"
            "  res.sendFile(path.join(UPLOADS, req.params.name));\n"
            "  res.download(req.params.name, { root });\n}\n",
            "js-path-from-request",
            [4],
        ),
    ],
    ids=[
        "ts-exec-import-gated",
        "tsx",
        "regexp-exec-is-not-a-command",
        "go-request-param",
        "java-redirect",
        "js-send-file-with-root",
    ],
)
def test_each_language_follows_request_data(path, source, rule, lines):
    assert rule_lines(review(path, source), rule) == lines


def test_rules_can_be_disabled_by_id():
    config = RepoConfig(rules=RulesConfig(disable=("py-sql-built-from-strings",)))
    assert only(review("app/users.py", FLASK, config=config), "py-sql-built-from-strings") == []


def test_test_files_are_not_judged_by_the_flow_rules():
    assert only(review("tests/test_users.py", FLASK), "py-sql-built-from-strings") == []


def test_a_finding_the_base_already_had_is_not_reported_again():
    # Only the return line changes; the injection was there before the change.
    assert only(review("app/users.py", FLASK, added={9}), "py-sql-built-from-strings") == []


def test_diff_hunks_alone_still_give_the_finding():
    found = review("app/users.py", FLASK, with_source=False)
    assert rule_lines(found, "py-sql-built-from-strings") == [8]


def test_python_3_12_syntax_is_read_whatever_python_runs_prodready():
    # A quote of the same kind inside an f-string's braces is Python 3.12 syntax (PEP 701).
    source = """
    from flask import request
    from app import app, db

    @app.route("/a")
    def a():
        db.execute(f"SELECT * FROM t WHERE a = '{request.args["q"]}'")
        return "ok"
    """
    assert rule_lines(review("app/q.py", source), "py-sql-built-from-strings") == [6]


@pytest.mark.parametrize("language", sorted(FLOW_LANGUAGES))
def test_hostile_input_does_not_break_the_analysis(language):
    deep = "f(" * 3000 + "x" + ")" * 3000
    garbage = "def def ((( {{{ ]]] \x00 ``` ${ \\" * 200
    for text in (deep, garbage, "", "\n" * 10_000):
        root = SgRoot(text, language).root()
        assert list(flow_hits(root, language, text, set(FLOW_RULES))) == []


def test_every_flow_rule_is_in_the_catalog_with_its_language():
    catalog = {r.id: r for r in all_rules()}
    for rule in FLOW_RULES.values():
        assert catalog[rule.id].languages == (rule.language,)
        assert catalog[rule.id].category == "security"


def test_constant_evaluation_knows_only_what_literals_fix():
    assert evaluate("7 * 42 - num > 200", {"num": 86}) is True
    assert evaluate("7 * 42 - num > 200", {"num": 106}) is False
    assert evaluate("'should' in bar", {"bar": "This should never happen"}) is True
    assert evaluate("x > 1", {}) is None
    assert evaluate("open('f')", {}) is None
    assert evaluate("10 ** 10 ** 10", {}) is None  # no power: it could take forever
    assert value_of("possible[1]", {"possible": "ABC"}) == "B"


def test_a_release_script_s_parameters_are_its_maintainers_input():
    source = """
    const childProcess = require("child_process");
    function changelog(previousVersion) {
      return childProcess.execSync(`git log ${previousVersion}..HEAD`).toString();
    }
    """
    assert only(review("scripts/release/changelog.js", source), "js-child-process-dynamic-command") == []
    assert rule_lines(review("src/changelog.js", source), "js-child-process-dynamic-command") == [3]


def test_an_allow_list_check_reads_names_with_regex_characters():
    # `$q` is a legal JavaScript name; the checks escape it rather than read `$` as an anchor.
    source = (
        "const ALLOWED = ['a', 'b'];\n"
        "export async function h(req, res) {\n"
        "  const $q = req.query.q;\n"
        "  if (!ALLOWED.includes($q)) { return res.sendStatus(400); }\n"
        "  await db.query(`SELECT * FROM t WHERE k = '${$q}'`);\n"
        "  const $r = req.query.r;\n"
        "  await db.query(`SELECT * FROM t WHERE k = '${$r}'`);\n"
        "}\n"
    )
    assert rule_lines(review("src/h.js", source), "js-sql-built-from-strings") == [7]


@pytest.mark.parametrize(
    ("path", "source", "rule", "lines"),
    [
        (
            "app/views.py",
            "from flask import request, redirect\n\n"
            "def go():\n"
            '    target = request.args.get("to", "")\n'
            '    if target == "https://example.org/" and request.method == "GET":\n'
            "        return redirect(target)\n"
            "    return redirect(target)\n",
            "py-open-redirect",
            [7],
        ),
        (
            "src/main/java/A.java",
            "class A {\n  void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {\n"
            '    String next = request.getParameter("next");\n'
            '    if ("https://example.org/".equals(next)) {\n'
            "      response.sendRedirect(next);\n    }\n"
            "    response.sendRedirect(next);\n  }\n}\n",
            "java-open-redirect",
            [7],
        ),
    ],
    ids=["python", "java-equals"],
)
def test_a_value_compared_equal_to_a_literal_is_that_literal_in_its_branch(path, source, rule, lines):
    assert rule_lines(review(path, source), rule) == lines


@pytest.mark.parametrize(
    "text",
    [
        '"SELECT id FROM users WHERE name LIKE \'%" + name + "%\'"',
        '"WHERE c.name = \'" + name + "\'"',
        "'DELETE FROM t WHERE name = \\'' + name + '\\''",
        "`SELECT data FROM objects WHERE key = '${name}'`",
        'f"SELECT a FROM t WHERE id = {name}"',
        '"UPDATE t SET a = 1 WHERE id = " + name',
        "'SELECT a FROM t WHERE id = %s' % name",
        "'SELECT a FROM t WHERE b IN ({})'.format(name)",
        "fmt.Sprintf(\"SELECT a FROM t WHERE b = '%s'\", name)",
    ],
)
def test_a_name_spliced_where_sql_expects_a_value_is_seen(text: str) -> None:
    assert sql_value_splice("name").search(text)


@pytest.mark.parametrize(
    "text",
    [
        # Identifiers, keywords and fragments the code builds: a table, a column, a sort order, a WHERE clause.
        '"SELECT * FROM " + name + " WHERE id = ?"',
        "`ORDER BY z.score ${name}`",
        '"WHERE " + name',
        'name + " = ?"',
        "`SELECT ${name} FROM t WHERE id = $1`",
        # Another name in the value position; a longer name that starts with this one.
        '"WHERE a = \'" + other + "\' AND " + name',
        '"WHERE a = \'" + names + "\'"',
    ],
)
def test_a_name_spliced_as_an_identifier_or_fragment_is_not(text: str) -> None:
    assert not sql_value_splice("name").search(text)


SAFE_NEXT = """from flask import request, redirect
from app.utils import validators


def login():
    if request.args.get("next") and validators.is_safe_url(
        request.args.get({checked})
    ):
        return redirect(request.args.get("next"))
    return redirect("/")
"""


def test_a_redirect_target_read_again_after_a_safe_url_check_of_the_same_read_is_clean() -> None:
    assert rule_lines(review("app/auth.py", SAFE_NEXT.format(checked='"next"')), "py-open-redirect") == []


def test_a_safe_url_check_of_another_key_does_not_clean_the_target() -> None:
    found = review("app/auth.py", SAFE_NEXT.format(checked='"back"'))
    assert rule_lines(found, "py-open-redirect") == [9]


GO_STATIC = """package web

import (
\t"net/http"
\t"os"
\t"path/filepath"
)

func Static(w http.ResponseWriter, r *http.Request) {
\tp := filepath.Join(brandingDir, r.URL.Path)
\thttp.ServeFile(w, r, p)
}

func Download(w http.ResponseWriter, r *http.Request) {
\tp := filepath.Join(brandingDir, r.URL.Query().Get("f"))
\thttp.ServeFile(w, r, p)
}

func Open(w http.ResponseWriter, r *http.Request) {
\tf, _ := os.Open(filepath.Join(brandingDir, r.URL.Path))
\tdefer f.Close()
}
"""


def test_go_serve_file_checks_the_url_path_itself_but_not_a_query_value():
    # http.ServeFile refuses a request whose URL.Path has a `..` element; os.Open has no such check.
    assert rule_lines(review("internal/web/static.go", GO_STATIC), "go-path-from-request") == [16, 20]
    (opened,) = [f for f in review("internal/web/static.go", GO_STATIC) if f.line == 20]
    assert "Evidence: `r.URL.Path` (line 20) → `os.Open` (line 20)." in opened.body
