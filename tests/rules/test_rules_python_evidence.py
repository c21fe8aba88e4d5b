"""The Python rules whose severity follows the evidence: a request handler or task is stronger than a function."""

from __future__ import annotations

from bot.review.models import Finding
from tests.rules.conftest import review

RMW = "    p = Product.objects.get(pk=pk)\n    p.stock -= 1\n    p.save()\n"
N_PLUS_ONE = "    for o in Order.objects.filter(paid=True):\n        send(o.customer.email)\n"


def found(code: str, rule: str) -> list[Finding]:
    return [f for f in review("app/views.py", code) if f.rule == rule]


def test_read_modify_write_in_a_view_is_high_and_in_a_helper_medium() -> None:
    (view,) = found("def buy(request, pk):\n" + RMW, "py-read-modify-write")
    (helper,) = found("def buy(pk):\n" + RMW, "py-read-modify-write")
    assert (view.severity, helper.severity) == ("high", "medium")
    assert "`p.stock`" in view.title


def test_read_modify_write_in_a_celery_task_is_high() -> None:
    (task,) = found("@shared_task\ndef buy(pk):\n" + RMW, "py-read-modify-write")
    assert task.severity == "high"


def test_lazy_relation_per_row_is_medium_in_a_view_and_low_elsewhere() -> None:
    (view,) = found("def emails(request):\n" + N_PLUS_ONE, "py-query-in-loop")
    (job,) = found("def emails():\n" + N_PLUS_ONE, "py-query-in-loop")
    assert (view.severity, job.severity) == ("medium", "low")
    assert view.title.startswith("`o.customer` is loaded")


def test_removing_a_checked_file_is_medium_and_reading_it_low() -> None:
    remove = "@app.post('/x')\ndef f():\n    if os.path.exists(p):\n        os.remove(p)\n"
    read = "@app.get('/x')\ndef f():\n    if os.path.isfile(p):\n        return open(p).read()\n"
    (removed,) = found(remove, "py-file-check-then-use")
    (opened,) = found(read, "py-file-check-then-use")
    assert (removed.severity, opened.severity) == ("medium", "low")


def test_a_pool_scoped_to_the_request_is_low_and_a_leaked_one_medium() -> None:
    scoped = "@app.get('/x')\ndef f():\n    with ThreadPoolExecutor(4) as ex:\n        return list(ex.map(g, xs))\n"
    leaked = "@app.get('/x')\ndef f():\n    ex = ThreadPoolExecutor(4)\n    ex.submit(g)\n"
    (low,) = found(scoped, "py-unbounded-background-work")
    (medium,) = found(leaked, "py-unbounded-background-work")
    assert (low.severity, medium.severity) == ("low", "medium")


def test_missing_auth_names_the_siblings_decorator_and_asks_for_confirmation() -> None:
    code = (
        "@bp.get('/a')\n@login_required\ndef a():\n    pass\n@bp.get('/b')\n@login_required\ndef b():\n    pass\n"
        "@bp.get('/c')\ndef c():\n    pass\n"
    )
    (finding,) = found(code, "py-route-missing-auth")
    assert finding.line == 9
    assert "`@login_required` its 2 sibling routes have" in finding.title
    assert finding.evidence == "weak"
    assert finding.severity == "medium"


def test_missing_auth_is_not_reported_when_only_a_sibling_is_added() -> None:
    code = (
        "@bp.get('/a')\n@login_required\ndef a():\n    pass\n@bp.get('/b')\n@login_required\ndef b():\n    pass\n"
        "@bp.get('/c')\ndef c():\n    pass\n"
    )
    # The unprotected route was there before; the change adds the second protected one.
    assert not found_with(code, added={5, 6, 7, 8})


def found_with(code: str, *, added: set[int]) -> list[Finding]:
    return [f for f in review("app/views.py", code, added=added) if f.rule == "py-route-missing-auth"]


def test_rules_about_the_whole_module_stay_silent_on_a_diff_without_the_file() -> None:
    routes = (
        "@bp.get('/a')\n@login_required\ndef a():\n    pass\n@bp.get('/b')\n@login_required\ndef b():\n    pass\n"
        "@bp.get('/c')\ndef c():\n    pass\n"
    )
    grows = "SEEN = []\n@app.post('/hit')\ndef hit():\n    SEEN.append(request.remote_addr)\n"
    for code, rule in ((routes, "py-route-missing-auth"), (grows, "py-unbounded-module-cache")):
        whole = [f for f in review("app/views.py", code, added={3, 4, 9, 10, 11}) if f.rule == rule]
        hunks = [f for f in review("app/views.py", code, added={3, 4, 9, 10, 11}, with_source=False) if f.rule == rule]
        assert whole, rule
        assert not hunks, rule


def test_a_query_per_item_needs_many_items() -> None:
    # Rows of a query, a list the request sends, a list the caller passes: as many items as the data.
    rows = "def f():\n    for u in User.objects.filter(active=True):\n        Order.objects.filter(user=u).count()\n"
    posted = (
        "def f(request):\n    ids = request.POST.getlist('id')\n    for i in ids:\n        User.objects.get(pk=i)\n"
    )
    passed = "def f(ids):\n    for i in ids:\n        User.objects.get(pk=i)\n"
    for code in (rows, posted, passed):
        assert found(code, "py-query-in-loop"), code
    # A literal list, a model's own attribute, a memoised lookup, one count per model class: a handful.
    literal = "def f():\n    for family in (4, 6):\n        Prefix.objects.filter(family=family).count()\n"
    attribute = "def f(self):\n    for m in self.prerequisite_models:\n        m.objects.exists()\n"
    memoised = (
        "def f(events):\n    cache = {}\n    for e in events:\n        if e.kind not in cache:\n"
        "            cache[e.kind] = Rule.objects.filter(kind=e.kind)\n"
    )
    per_model = (
        "def f():\n    for ot in ObjectType.objects.all():\n        model = ot.model_class()\n"
        "        counts[ot] = model.objects.count()\n"
    )
    for code in (literal, attribute, memoised, per_model):
        assert not found(code, "py-query-in-loop"), code
