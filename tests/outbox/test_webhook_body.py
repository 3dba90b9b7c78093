"""What a JSON webhook's body says the message is: its template, and the incident's
severity and title when it was recorded, beside the text (a fresh user's review: a
receiver that routes on "resolved" had to parse the prose).

Real receivers on loopback, a real outbox in a SQLite file and in this worker's real
PostgreSQL cluster; a row queued by an older release (no such columns) still delivers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from msgspec.structs import replace

from incident import commands
from incident.comms.notifications import unqueued
from incident.comms.routing import MessageAbout, OutboxMessage, Target, message_key
from incident.core.clock import ManualClock
from incident.core.text import visible
from store.backends import OutboxRecord
from store.outbox import Outbox
from store.postgres_outbox import PostgresOutbox
from store.postgres_schema import SCHEMA_VERSION as POSTGRES_VERSION
from store.postgres_schema import writer_grants
from tests.conftest import T0
from tests.outbox.helpers import INCIDENT, deliverer, message
from tests.postgres_server import Cluster
from tests.test_autosend import declare, rule, runbook_with
from tests.webhook_receivers import WebhookReceiver

HOSTILE_TITLE = "Checkout \x1b[31mdown\x07 [bold]x[/bold] <b>y</b> \u202eevil\x00 回滚"
"""A title as a record may hold one: escape sequences, BEL, NUL, Rich and HTML markup."""

ORIGINAL_KEYS = ["incident", "text", "key", "created_at"]


@pytest.fixture(params=["sqlite", "postgres"])
def box(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OutboxRecord]:
    opened: OutboxRecord
    if request.param == "sqlite":
        opened = Outbox.open(tmp_path / "lastgood.db")
    else:
        opened = PostgresOutbox.open(request.getfixturevalue("pg_url"))
    with closing(opened):
        yield opened


def _with(base: OutboxMessage, template: str | None, title: str) -> OutboxMessage:
    """`base`, saying it was written from `template` while the incident was SEV2 `title`."""
    return replace(base, about=MessageAbout(template, "SEV2", title))


async def test_a_json_body_says_what_the_message_is_and_slack_keeps_its_shape(
    box: OutboxRecord, client: object, clock: ManualClock
) -> None:
    async with WebhookReceiver() as ops, WebhookReceiver() as team:
        targets = [Target("ops", "json", ops.url()), Target("team", "slack", team.url())]
        box.enqueue(
            _with(message(1, "ops", "Resolved: checkout is back."), "resolved", HOSTILE_TITLE)
        )
        box.enqueue(_with(message(2, "ops", "Looking at the cache too."), None, "Checkout 5xx"))
        box.enqueue(_with(message(1, "team", "Resolved: checkout is back."), "resolved", "t"))
        results = await deliverer(targets, box, client, clock).deliver_due()
        assert sorted((r.key, r.delivered) for r in results) == [
            ("INC-7:1:ops", True),
            ("INC-7:1:team", True),
            ("INC-7:2:ops", True),
        ]
    by_key = {request.key: request for request in ops.requests}
    templated = by_key["INC-7:1:ops"]
    assert templated.document == {
        "incident": INCIDENT,
        "text": "Resolved: checkout is back.",
        "key": "INC-7:1:ops",
        "created_at": T0.isoformat(),
        "template": "resolved",
        "severity": "SEV2",
        "title": visible(HOSTILE_TITLE),
    }
    # What went over the wire: no control character, raw or escaped by JSON (a receiver
    # decodes `\\u001b` to the byte): their pictures, as every face shows them.
    assert not any(byte < 0x20 or byte == 0x7F for byte in templated.body)
    for control in (b"\\u001b", b"\\u0007", b"\\u0000"):
        assert control not in templated.body
    for shown in (b"\\u241b[31m", b"\\u2407", b"\\u2400", b"<b>y</b>", b"[bold]"):
        assert shown in templated.body
    free_text = by_key["INC-7:2:ops"].document
    assert isinstance(free_text, dict)
    assert (free_text["template"], free_text["severity"], free_text["title"]) == (
        None,
        "SEV2",
        "Checkout 5xx",
    )
    assert list(free_text) == [*ORIGINAL_KEYS, "template", "severity", "title"]
    [to_slack] = team.requests
    assert to_slack.document == {"text": "Resolved: checkout is back."}


async def test_a_row_an_older_release_queued_in_a_file_is_delivered_with_what_it_holds(
    tmp_path: Path, client: object, clock: ManualClock
) -> None:
    """A version 5 file's pending message (the outbox had no columns for what it is):
    opening the file upgrades it, and the message goes with the keys it always had."""
    path = tmp_path / "lastgood.db"
    Outbox.open(path).close()
    with closing(sqlite3.connect(path, isolation_level=None)) as raw:
        for column in ("template", "severity", "title"):
            raw.execute(f"ALTER TABLE outbox DROP COLUMN {column}")
        raw.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
        raw.execute("PRAGMA user_version = 5")
        raw.execute(
            "INSERT INTO outbox (key, incident_id, target, text, created_at, status, "
            "attempts, last_error, next_attempt_at) VALUES (?, ?, 'ops', 'old news', ?, "
            "'pending', 0, '', ?)",
            (message_key(INCIDENT, 1, "ops"), INCIDENT, T0.isoformat(), T0.isoformat()),
        )
    async with WebhookReceiver() as ops:
        with closing(Outbox.open(path)) as box:
            worker = deliverer([Target("ops", "json", ops.url())], box, client, clock)
            [result] = await worker.deliver_due()
            assert result.delivered
    [old] = ops.requests
    assert old.document == {
        "incident": INCIDENT,
        "text": "old news",
        "key": "INC-7:1:ops",
        "created_at": T0.isoformat(),
    }


async def test_a_version_5_database_a_writer_cannot_upgrade_delivers_without_the_fields(
    pg_cluster: Cluster, pg_url: str, client: object, clock: ManualClock
) -> None:
    """A writer role on a PostgreSQL record the owner has not upgraded yet: its outbox
    has no columns for what a message is; messages are queued and delivered as before,
    and once the owner's opening upgrades the database, new ones say what they are."""
    PostgresOutbox.open(pg_url).close()  # the owner creates the schema
    database = pg_url.split("@/", 1)[1].split("?", 1)[0]
    pg_cluster.admin(
        "ALTER TABLE outbox DROP COLUMN template, DROP COLUMN severity, DROP COLUMN title; "
        "UPDATE meta SET value = '5' WHERE key = 'schema_version'",
        database,
    )
    pg_cluster.admin(
        "DO $$ BEGIN CREATE ROLE body_writer LOGIN; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    )
    for grant in writer_grants("body_writer"):
        pg_cluster.admin(grant, database)
    as_writer = pg_url.replace("lastgood_admin@", "body_writer@")
    async with WebhookReceiver() as ops:
        targets = [Target("ops", "json", ops.url())]
        with closing(PostgresOutbox.open(as_writer)) as box:
            assert box.enqueue(_with(message(1, "ops", "before"), "update", "t"))
            [result] = await deliverer(targets, box, client, clock).deliver_due()
            assert result.delivered
        with psycopg.connect(pg_url) as owner:
            version = owner.execute("SELECT value FROM meta WHERE key = 'schema_version'")
            assert version.fetchone() == ("5",)
        with closing(PostgresOutbox.open(pg_url)) as box:  # the owner's opening upgrades
            assert box.enqueue(_with(message(2, "ops", "after"), "update", "t"))
            [result] = await deliverer(targets, box, client, clock).deliver_due()
            assert result.delivered
    before, after = (request.document for request in ops.requests)
    assert isinstance(before, dict) and isinstance(after, dict)
    assert list(before) == ORIGINAL_KEYS
    assert (after["template"], after["severity"], after["title"]) == ("update", "SEV2", "t")
    with psycopg.connect(pg_url) as owner:
        version = owner.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        assert version.fetchone() == (str(POSTGRES_VERSION),)


def test_a_message_says_the_severity_it_was_recorded_under(clock: ManualClock) -> None:
    """The outbox is handed a message when a deliverer gets to it, perhaps after the
    severity changed (another terminal's message, a record moved by `lastgood migrate`):
    it says what the record said when the message was recorded."""
    session = declare(runbook_with(rule("initiating", None, to=("team",))), clock)
    session.run(
        lambda s: commands.send_communication(s, actor="cli", clock=clock, template="initiating")
    )
    session.run(
        lambda s: commands.change_severity(s, "SEV3", reason="contained", actor="ada", clock=clock)
    )
    session.run(
        lambda s: commands.send_communication(s, actor="cli", clock=clock, template="initiating")
    )
    first, second = unqueued(session.state)
    assert first.about == MessageAbout("initiating", "SEV1", "Checkout errors")
    assert second.about == MessageAbout("initiating", "SEV3", "Checkout errors")
