"""The outbox's pure parts (backoff, bodies, targets) and its store: a real SQLite file."""

from __future__ import annotations

import sqlite3
from dataclasses import FrozenInstanceError
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from incident.comms.routing import (
    NotifyConfigError,
    OutboxMessage,
    Target,
    backoff_s,
    body_for,
)
from store.errors import StoreError
from store.outbox import Outbox, OutboxRow
from store.sqlite_log import SqliteEventLog
from tests.conftest import T0
from tests.outbox.helpers import INCIDENT, message

# --- pure parts ------------------------------------------------------------------------


def test_backoff_doubles_to_a_cap_and_is_deterministic():
    assert [backoff_s(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert backoff_s(1000) == 60
    with pytest.raises(ValueError):
        backoff_s(0)


def test_bodies_slack_and_json():
    m = message(3, "team")
    assert body_for(Target("team", "slack", "https://x"), m) == {"text": "update 3"}
    assert body_for(Target("team", "json", "https://x"), m) == {
        "incident": INCIDENT,
        "text": "update 3",
        "key": "INC-7:3:team",
        "created_at": T0.isoformat(),
    }


def test_target_is_checked():
    with pytest.raises(NotifyConfigError, match="kind"):
        Target("t", "teams", "https://x")  # type: ignore[arg-type]
    with pytest.raises(NotifyConfigError, match="url"):
        Target("t", "slack", "ftp://x")


# --- the store -------------------------------------------------------------------------


def test_enqueue_twice_is_a_no_op_and_survives_reopening(tmp_path: Path):
    path = tmp_path / "lastgood.db"
    with Outbox.open(path) as box:
        assert box.enqueue(message(1, "team")) is True
        assert box.enqueue(message(1, "team", text="something else")) is False
        assert box.pending_count() == 1
    assert path.stat().st_mode & 0o777 == 0o600
    with Outbox.open(path) as box:
        [again] = box.due(T0)
        assert again == message(1, "team")
        assert box.status(again.key) == ("pending", 0, "")
        assert box.due(T0 - timedelta(seconds=1)) == []


def test_outbox_shares_the_file_with_the_event_log(tmp_path: Path):
    path = tmp_path / "lastgood.db"
    # Outbox first on an empty file, then the log; and the other way round.
    with Outbox.open(path) as box:
        box.enqueue(message(1, "team"))
    with SqliteEventLog.open(path) as log:
        assert log.incident_ids() == []
    with Outbox.open(path) as box:
        assert box.pending_count() == 1
    other = tmp_path / "other.db"
    with SqliteEventLog.open(other), Outbox.open(other) as box:
        assert box.pending_count() == 0


def test_requeue_gives_a_failed_message_fresh_attempts(outbox: Outbox):
    outbox.enqueue(message(1, "team"))
    outbox.mark_attempt_failed("INC-7:1:team", "HTTP 500", T0 + timedelta(seconds=1))
    outbox.mark_attempt_failed("INC-7:1:team", "refused:\n connection refused", None)
    assert outbox.status("INC-7:1:team") == ("failed", 2, "refused: connection refused")
    later = T0 + timedelta(hours=1)

    assert outbox.requeue("INC-7:1:team", later) is True

    assert outbox.status("INC-7:1:team") == ("pending", 0, "refused: connection refused")
    assert outbox.due(later - timedelta(microseconds=1)) == []
    assert outbox.due(later) == [message(1, "team")]
    assert outbox.requeue("INC-7:1:team", later) is False  # pending now: not again
    assert outbox.mark_attempt_failed("INC-7:1:team", "HTTP 502", later) == 1
    assert outbox.status("INC-7:1:team") == ("pending", 1, "HTTP 502")


def test_requeue_leaves_pending_delivered_and_unknown_messages_alone(outbox: Outbox):
    outbox.enqueue(message(1, "pending"))
    outbox.mark_attempt_failed("INC-7:1:pending", "timeout", T0 + timedelta(minutes=5))
    outbox.enqueue(message(1, "done"))
    outbox.mark_delivered("INC-7:1:done", T0)
    before = outbox.messages(INCIDENT)

    later = T0 + timedelta(hours=1)
    for key in ("INC-7:1:pending", "INC-7:1:done", "INC-7:1:nobody"):
        assert outbox.requeue(key, later) is False

    assert outbox.messages(INCIDENT) == before
    assert outbox.status("INC-7:1:nobody") is None


def test_requeue_refuses_naive_times(outbox: Outbox):
    with pytest.raises(ValueError, match="timezone"):
        outbox.requeue("INC-7:1:team", T0.replace(tzinfo=None))


def test_messages_lists_one_incident_oldest_first_with_where_each_stands(outbox: Outbox):
    def at(minutes: float) -> datetime:
        return T0 + timedelta(minutes=minutes)

    for key, target, created in (
        ("INC-7:2:team", "team", at(5)),
        ("INC-7:1:team", "team", at(0)),
        ("INC-7:1:ops", "ops", at(0)),  # same time as the one before: insertion order
        ("INC-7:3:team", "team", at(10)),
    ):
        outbox.enqueue(OutboxMessage(key, INCIDENT, target, f"text {key}", created))
    outbox.enqueue(OutboxMessage("INC-8:1:team", "INC-8", "team", "elsewhere", at(1)))
    outbox.mark_delivered("INC-7:1:team", at(0.5))
    outbox.mark_attempt_failed("INC-7:1:ops", "HTTP 500", at(1))
    outbox.mark_attempt_failed("INC-7:2:team", "timeout", None)

    assert outbox.messages(INCIDENT) == [
        OutboxRow("INC-7:1:team", "team", "delivered", 1, "", at(0), at(0.5), None),
        OutboxRow("INC-7:1:ops", "ops", "pending", 1, "HTTP 500", at(0), None, at(1)),
        OutboxRow("INC-7:2:team", "team", "failed", 1, "timeout", at(5), None, None),
        OutboxRow("INC-7:3:team", "team", "pending", 0, "", at(10), None, at(10)),
    ]
    assert [row.key for row in outbox.messages("INC-8")] == ["INC-8:1:team"]
    assert outbox.messages("INC-9") == []
    with pytest.raises(FrozenInstanceError):
        outbox.messages("INC-8")[0].status = "failed"  # type: ignore[misc]


def test_closed_outbox_refuses_calls_naming_the_file(tmp_path: Path):
    box = Outbox.open(tmp_path / "lastgood.db")
    box.close()
    box.close()
    with pytest.raises(StoreError, match="the outbox is closed") as caught:
        box.messages(INCIDENT)
    assert str(caught.value).startswith(f"{tmp_path / 'lastgood.db'}: ")


@pytest.mark.parametrize(
    ("column", "stored", "read", "said"),
    [
        ("created_at", "zz", lambda box: box.due(T0 + timedelta(hours=1)), "created_at 'zz'"),
        ("created_at", "zz", lambda box: box.messages(INCIDENT), "created_at 'zz', not a time"),
        ("delivered_at", "soon", lambda box: box.messages(INCIDENT), "delivered_at 'soon'"),
        ("attempts", "many", lambda box: box.messages(INCIDENT), "attempts 'many', not a count"),
        ("attempts", "many", lambda box: box.status("INC-7:1:team"), "attempts 'many'"),
    ],
)
def test_a_row_edited_by_hand_is_a_one_line_error_naming_the_file_and_message(
    tmp_path: Path, column: str, stored: str, read, said: str
):
    """The outbox is outside the hash chain, so its rows are read as they are found:
    `created_at = 'zz'` ended `lastgood deliver` in a ValueError traceback."""
    path = tmp_path / "lastgood.db"
    box = Outbox.open(path)
    try:
        box.enqueue(OutboxMessage("INC-7:1:team", INCIDENT, "team", "text", T0))
        with sqlite3.connect(path) as raw:
            raw.execute(f"UPDATE outbox SET {column} = ?", (stored,))
        raw.close()
        with pytest.raises(StoreError) as caught:
            read(box)
    finally:
        box.close()
    assert str(caught.value) == f"{path}: message INC-7:1:team has {column} {stored!r}, " + (
        "not a count" if column == "attempts" else "not a time"
    )
    assert said in str(caught.value)
