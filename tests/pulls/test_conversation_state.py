"""The conversation state hidden in the summary comment: round trip, bounds, and what is never trusted."""

from __future__ import annotations

import json

from bot.render.conversation import MAX_IGNORES, ConversationState, Ignore, read_state, with_state
from bot.render.summary import SUMMARY_MARKER, render_pending

FP = "0123456789abcdef"


def state() -> ConversationState:
    return ConversationState(
        ignores=(
            Ignore("rule", "py-requests-no-timeout", "alice", why="client default --> <b>bold</b>"),
            Ignore("finding", FP, "wanda", label="app.py:3: Hardcoded URL", via="reaction"),
        ),
        outcomes={FP: "minimized"},
        downvotes={FP: 2},
        cannot_resolve=True,
    )


def test_state_survives_the_summary_body():
    body = render_pending(state())
    assert read_state(body) == state()
    line = body.split("\n")[1]
    # One HTML comment: nothing a person typed can close it early or open markup.
    assert line.count("-->") == 1 and "<b>" not in line


def test_state_is_read_only_above_the_summary_heading():
    quoted = state().encode()
    body = f"{SUMMARY_MARKER}\n## prodready: pre-deployment checklist\n\n{quoted}"
    assert read_state(body) == ConversationState()


def test_malformed_entries_are_dropped_not_trusted():
    data = {
        "v": 1,
        "ignores": [
            {"kind": "finding", "target": "not-a-fingerprint", "by": "eve"},
            {"kind": "category", "target": "everything", "by": "eve"},
            {"kind": "rule", "target": "ok-rule", "by": "alice @everyone"},
            {"kind": "rule", "target": "ok-rule", "by": "alice"},
            "junk",
        ],
        "outcomes": {FP: 9, "zz": 0},
        "down": {FP: True},
    }
    body = f"{SUMMARY_MARKER}\n<!-- prodready:state={json.dumps(data)} -->\n## x"
    read = read_state(body)
    assert [(i.kind, i.target, i.by) for i in read.ignores] == [("rule", "ok-rule", "alice")]
    assert read.outcomes == {} and read.downvotes == {}


def test_with_state_rewrites_the_list_of_ignores_in_place():
    body = render_pending(ConversationState()) + "\n\n<sub>Static rules only: no LLM was used.</sub>"
    once = with_state(body, state())
    twice = with_state(once, state().with_ignore(Ignore("category", "security", "alice")))
    assert twice.count("### Ignored on this pull request") == 1
    assert twice.count("<!-- prodready:state=") == 1
    assert "category `security`" in twice and twice.endswith("</sub>")
    assert "&lt;b&gt;" in twice or "<b>" not in twice


def test_the_number_of_ignores_is_bounded():
    many = ConversationState()
    for n in range(MAX_IGNORES + 5):
        many = many.with_ignore(Ignore("rule", f"rule-{n}", "alice"))
    assert many.full
    assert len(read_state(render_pending(many)).ignores) == MAX_IGNORES
