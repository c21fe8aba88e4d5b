"""Installation events are logged with the account and repositories, and enqueue nothing."""

from __future__ import annotations

import json
import logging

from gidgethub import sansio

from bot.events import router
from tests.fakes.recording_queue import RecordingQueue


async def test_installation_created_is_logged_with_account_and_repositories(shared_dir, caplog):
    data = json.loads((shared_dir / "github/webhooks/installation.created.json").read_text())
    queue = RecordingQueue()
    with caplog.at_level(logging.INFO, logger="bot.events.installation"):
        await router.dispatch(sansio.Event(data, event="installation", delivery_id="i-1"), queue=queue)
    [record] = [r for r in caplog.records if r.name == "bot.events.installation"]
    assert record.getMessage() == "installation created"
    assert record.account == data["installation"]["account"]["login"]
    assert record.repositories == [r["full_name"] for r in data["repositories"]]
    assert queue.requests == []


async def test_installation_repositories_added_lists_them(shared_dir, caplog):
    data = json.loads((shared_dir / "github/webhooks/installation_repositories.added.json").read_text())
    with caplog.at_level(logging.INFO, logger="bot.events.installation"):
        await router.dispatch(
            sansio.Event(data, event="installation_repositories", delivery_id="i-2"), queue=RecordingQueue()
        )
    [record] = [r for r in caplog.records if r.name == "bot.events.installation"]
    assert record.added == [r["full_name"] for r in data["repositories_added"]]


async def test_installation_event_with_junk_fields_is_still_just_logged(caplog):
    data = {"action": "suspend", "installation": "not an object", "repositories": [1, None, {"x": 1}]}
    with caplog.at_level(logging.INFO, logger="bot.events.installation"):
        await router.dispatch(sansio.Event(data, event="installation", delivery_id="i-3"), queue=RecordingQueue())
    [record] = [r for r in caplog.records if r.name == "bot.events.installation"]
    assert record.repositories == []
    assert record.installation_id is None
