"""A message's own text reaches the PostgreSQL outbox whole, NUL included, and its webhook
as every face shows it (the NUL as ␀: `routing.body_for`).

lastgood refuses a NUL in what people type now, but a record may hold a message with
one: recorded before that rule (a SQLite file then moved by `lastgood migrate`), or by
another writer. The events table keeps it (its payload is JSON, the NUL escaped);
PostgreSQL refuses a NUL in a text column, so enqueueing it failed ("cannot enqueue
message …"), every time a deliverer looked, and neither it nor the messages after it
were handed to the outbox. Here a real cluster and a real webhook receiver on loopback.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incident.core.events import NewEvent, truncate_to_millis
from incident.core.payloads import CommunicationSent
from store.backends import open_event_log
from store.postgres_outbox import PostgresOutbox
from tests.cli_helpers import Cli
from tests.conftest import T0
from tests.outbox.helpers import message
from tests.postgres_server import Cluster
from tests.store_backends import postgres_backend
from tests.test_cli_messages import declare, events, run
from tests.webhook_receivers import WebhookReceiver

RUNBOOK = """\
runbook: nul-message
title: A message with a NUL
templates:
  announce: "Rolling back {title} now."
notify:
  targets:
    - {name: ops, kind: json, url: "${HOOK}"}
  send:
    announce: {to: [ops], on: "step:decide"}
phases:
  - id: decide
    title: Decide
    steps:
      - {id: decide, title: Decide, kind: approval, approver: incident-commander}
      - {id: announce, title: Announce, kind: communication, template: announce}
"""

QUOTED = "Checkout answered: 500 internal\x00error (NUL in its body), then 200 OK"


async def test_a_message_holding_a_nul_is_enqueued_delivered_and_kept(
    tmp_path: Path, pg_url: str, pg_cluster: Cluster
) -> None:
    async with WebhookReceiver() as hook:
        runbook = tmp_path / "runbook.yaml"
        runbook.write_text(RUNBOOK)
        cli = Cli(pg_url, actor="ada")  # type: ignore[arg-type]  # LASTGOOD_DB holds the URL
        cli.env["HOOK"] = hook.url()
        declared = await declare(cli, str(runbook))
        assert declared.code == 0, declared.err
        incident_id = declared.out.splitlines()[0]
        with open_event_log(pg_url) as log:  # as a record written before NUL was refused
            sent = CommunicationSent(QUOTED, "announce", "", "ada")
            at = truncate_to_millis(datetime.now(UTC))
            log.append([NewEvent(incident_id, "ada", at, 0, sent)])
        delivered = await run(cli, "deliver", incident_id, "--wait", "10")
        assert delivered.code == 0, delivered.err
        again = await run(cli, "deliver", incident_id, "--wait", "10")
        assert again.code == 0, again.err
    received = [request.document["text"] for request in hook.requests]  # type: ignore[index]
    assert received == [QUOTED.replace("\x00", "\u2400")]
    recorded = events(cli, incident_id)
    texts = [e["payload"]["text"] for e in recorded if e["kind"] == "communication.sent"]  # type: ignore[index]
    assert texts == [QUOTED]
    outcomes = [e["kind"] for e in recorded if str(e["kind"]).startswith("notification.")]
    assert outcomes == ["notification.queued", "notification.delivered"]
    assert "ok," in cli.ok("verify", incident_id)
    backend = postgres_backend(pg_cluster, pg_url)
    assert backend.owner_sql("SELECT status || ' ' || attempts FROM outbox") == "delivered 1"


KEYS = itertools.count(1)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40))
def test_what_the_outbox_is_given_it_gives_back(pg_url: str, text: str) -> None:
    """Any text: a NUL, a noncharacter, JSON, what the outbox stores for another text."""
    queued = message(next(KEYS), "team", text)
    with PostgresOutbox.open(pg_url) as box:
        assert box.enqueue(queued)
        claimed = {m.key: m for m in box.claim(T0, T0 + timedelta(days=1), limit=1000)}
    assert claimed[queued.key].text == text


def test_a_row_an_earlier_release_wrote_is_read_as_it_is(pg_cluster: Cluster, pg_url: str) -> None:
    """A text without a NUL is stored as before, so a row the release before this one
    wrote (which could hold none) is read back unchanged."""
    written = 'a "quoted" update, a \\u0000 spelled out, ␀ and \\ \\'
    with PostgresOutbox.open(pg_url):
        pass  # the schema
    postgres_backend(pg_cluster, pg_url).owner_sql(
        "INSERT INTO outbox (key, incident_id, target, text, created_at, status, attempts, "
        "last_error, next_attempt_at) VALUES ('INC-7:1:team', 'INC-7', 'team', "
        f"$${written}$$, '{T0.isoformat()}', 'pending', 0, '', '{T0.isoformat()}')"
    )
    with PostgresOutbox.open(pg_url) as box:
        [claimed] = box.claim(T0, T0 + timedelta(seconds=30))
        assert box.enqueue(message(2, "team", written))
        stored = postgres_backend(pg_cluster, pg_url).owner_sql(
            "SELECT text FROM outbox WHERE key = 'INC-7:2:team'"
        )
    assert claimed.text == written
    assert stored == written
