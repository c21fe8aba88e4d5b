"""The pre-deployment checklist derived from findings and what the diff touches."""

from __future__ import annotations

from bot.review.checklist import build_checklist, checklist_id_for
from bot.review.config import parse_config
from bot.review.diff import parse_diff
from bot.review.models import CHECKLIST_IDS, Finding

HTTP_DIFF = """\
diff --git a/pay.py b/pay.py
new file mode 100644
index 0000000..2222222
--- /dev/null
+++ b/pay.py
@@ -0,0 +1,3 @@
+import requests
+def pay(amount):
+    return requests.post("https://pay.example.com", json={"a": amount}, timeout=5)
"""

DOCS_DIFF = """\
diff --git a/notes.txt b/notes.txt
index 1111111..2222222 100644
--- a/notes.txt
+++ b/notes.txt
@@ -1 +1,2 @@
 hello
+
"""


def make(category, severity="high", title="t") -> Finding:
    return Finding(path="pay.py", line=3, category=category, severity=severity, title=title, body="b", source="static")


def statuses(findings, diff=HTTP_DIFF, cfg_text=""):
    cfg, _ = parse_config(cfg_text)
    items = build_checklist(findings, files=parse_diff(diff), config=cfg, llm_used=False)
    assert [i.id for i in items] == list(CHECKLIST_IDS)
    return {i.id: i.status for i in items}, {i.id: i.summary for i in items}


def test_every_row_present_and_clean_http_code_passes():
    status, summary = statuses([])
    assert status["failure_handling"] == "pass"
    assert "no LLM" in summary["failure_handling"]


def test_high_fails_and_medium_warns():
    status, summary = statuses([make("failure_handling"), make("security", "medium")])
    assert status["failure_handling"] == "fail" and status["security"] == "warn"
    assert "pay.py:3" in summary["failure_handling"]


def test_observability_splits_into_logging_and_monitoring():
    assert checklist_id_for(make("observability", title="Exception swallowed without a log line")) == "logging"
    assert checklist_id_for(make("observability", title="Payment path has no metrics")) == "monitoring"
    status, _ = statuses([make("observability", "medium", "No metric on the charge path")])
    assert status["monitoring"] == "warn" and status["logging"] != "warn"


def test_nothing_relevant_is_not_applicable():
    status, _ = statuses([], diff=DOCS_DIFF)
    assert set(status.values()) == {"not_applicable"}


def test_disabled_category_is_not_applicable_even_with_findings_elsewhere():
    status, summary = statuses([], cfg_text="categories: {concurrency: false}")
    assert status["concurrency"] == "not_applicable"
    assert "off in the config" in summary["concurrency"]


def test_monitoring_is_not_claimed_as_passed_without_the_llm():
    status, summary = statuses([])
    assert status["monitoring"] == "not_applicable" and "LLM" in summary["monitoring"]
    cfg, _ = parse_config(None)
    items = build_checklist([], files=parse_diff(HTTP_DIFF), config=cfg, llm_used=True)
    assert {i.id: i.status for i in items}["monitoring"] == "pass"


def test_a_stack_trace_printed_is_a_logging_problem_not_monitoring():
    assert checklist_id_for(make("observability", title="printStackTrace instead of a logger")) == "logging"


YAML_DIFF = """\
diff --git a/deploy/values.yaml b/deploy/values.yaml
index 1111111..2222222 100644
--- a/deploy/values.yaml
+++ b/deploy/values.yaml
@@ -1 +1,2 @@
 replicas: 2
+apiUrl: https://pay.example.com/request
"""

TEST_ONLY_DIFF = """\
diff --git a/tests/test_pay.py b/tests/test_pay.py
new file mode 100644
index 0000000..2222222
--- /dev/null
+++ b/tests/test_pay.py
@@ -0,0 +1,2 @@
+def test_pay(client):
+    assert client.post("/pay", json={"a": 1}).status_code == 200
"""


def test_offline_rows_touched_only_outside_the_rules_reach_are_not_checked():
    for diff in (YAML_DIFF, TEST_ONLY_DIFF):
        status, summary = statuses([], diff=diff)
        assert "pass" not in status.values(), diff
        assert summary["failure_handling"].startswith("Not checked: ")


def test_offline_pass_says_what_the_static_rules_looked_for():
    status, summary = statuses([])
    assert status["failure_handling"] == "pass"
    assert "timeouts" in summary["failure_handling"] and "static rules only" in summary["failure_handling"]
