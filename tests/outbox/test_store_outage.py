"""Webhook deliveries outlive a record that cannot be reached for a while.

A TUI delivers for the length of an incident; its record may be a PostgreSQL
server that restarts, or a disk that fills. A failed round used to end the delivery
loop for the rest of the session, leaving every later message pending. Now each
round is tried again, the caller hears once that deliveries paused and once that
they resumed, and a delivery whose recording failed is recorded when the store is
back. Real webhook receivers on loopback; the outage is a real PostgreSQL server
stopped and started again, or one recording refused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from incident.comms.routing import Target, backoff_s
from store.errors import NotPermitted, StoreError
from store.outbox import Outbox
from store.postgres_outbox import PostgresOutbox
from tests.http_servers import LoopbackServer, raw_route
from tests.outbox.helpers import deliverer, message
from tests.postgres_server import SUPERUSER, Cluster
from tests.store_backends import postgres_backend
from tests.webhook_receivers import WebhookReceiver, always
from tui.net.delivery import CannotDeliver, DeliveryResult
from tui.net.outage import Outage

IDLE_S = 0.05
"""How often the loop looks again: short, so each test waits on its conditions only."""


def said_to(heard: list[StoreError | None]) -> Outage[StoreError]:
    """An outage that lists what it says: the error that began it, then None."""
    return Outage(heard.append, lambda _: heard.append(None))


async def until(done: Callable[[], bool], what: str) -> None:
    """Poll `done` on the loop the deliverer runs on, against a deadline."""
    try:
        async with asyncio.timeout(20):
            while not done():
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


async def test_a_delivery_whose_recording_failed_is_recorded_once_the_store_is_back(
    outbox: Outbox, client, clock
):
    recorded: list[DeliveryResult] = []
    refusals = [StoreError("lastgood.db", "database is locked")]

    def record(result: DeliveryResult) -> None:
        if refusals:
            raise refusals.pop()
        recorded.append(result)

    heard: list[StoreError | None] = []
    async with WebhookReceiver(always(200)) as hook:
        worker = deliverer([Target("team", "slack", hook.url())], outbox, client, clock)
        stop = asyncio.Event()
        running = asyncio.create_task(worker.run(stop, record, IDLE_S, store_outage=said_to(heard)))
        outbox.enqueue(message(1, "team"))
        worker.wake()
        await until(lambda: len(recorded) == 1, "the delivery recorded")
        stop.set()
        await running
        assert hook.accepted_keys() == ["INC-7:1:team"]  # sent once, not again for the retry
    assert [(r.key, r.delivered) for r in recorded] == [("INC-7:1:team", True)]
    assert [str(e) if e else None for e in heard] == ["lastgood.db: database is locked", None]


async def test_deliveries_pause_while_postgresql_is_down_and_resume_after(
    pg_cluster: Cluster, pg_url: str, client, clock
):
    box = PostgresOutbox.open(pg_url)
    recorded: list[DeliveryResult] = []
    heard: list[StoreError | None] = []
    try:
        async with WebhookReceiver(always(200)) as hook:
            worker = deliverer([Target("team", "slack", hook.url())], box, client, clock)
            stop = asyncio.Event()
            running = asyncio.create_task(
                worker.run(stop, recorded.append, IDLE_S, store_outage=said_to(heard))
            )
            box.enqueue(message(1, "team"))
            worker.wake()
            await until(lambda: len(recorded) == 1, "the first delivery")

            await asyncio.to_thread(pg_cluster.stop)
            try:
                await until(lambda: len(heard) == 1, "deliveries to pause")
            finally:
                await asyncio.to_thread(pg_cluster.start)
            box.enqueue(message(2, "team"))
            worker.wake()
            await until(lambda: len(recorded) == 2, "the delivery after the restart")
            stop.set()
            await running
            assert hook.accepted_keys() == ["INC-7:1:team", "INC-7:2:team"]
    finally:
        box.close()
    paused, resumed = heard
    assert paused is not None and "\n" not in str(paused), paused
    assert str(paused).startswith(f"{box.path}: "), paused
    assert resumed is None


# --- what one message's receiver said, or one row's refusal, costs the others --------


async def test_a_nul_in_a_receivers_refusal_is_recorded_shown_and_the_attempt_counted(
    pg_url: str, client, clock
):
    """PostgreSQL refuses NUL in text: recording "bad\\0thing" failed, the attempt was
    never counted and the message was sent again at every lease's end, for good."""
    said = b"bad\x00thing happened"
    async with LoopbackServer({"/hook": raw_route(said, 500)}) as hook:
        with PostgresOutbox.open(pg_url) as box:
            box.enqueue(message(1, "ops"))
            worker = deliverer([Target("ops", "json", hook.url("/hook"))], box, client, clock)
            [first] = await worker.deliver_due()
            assert (first.delivered, first.final, first.attempts) == (False, False, 1)
            assert first.error == "HTTP 500 (expected 2xx): bad\u2400thing happened"
            assert box.status("INC-7:1:ops") == ("pending", 1, first.error)
            assert await worker.deliver_due() == []  # backed off, not re-sent
            clock.advance(backoff_s(1))
            [second] = await worker.deliver_due()
            assert second.attempts == 2
        assert len(hook.requests) == 2


async def test_a_round_the_outbox_took_in_part_hands_on_what_it_took(
    pg_cluster: Cluster, pg_url: str, client, clock
):
    """One row the database refuses to update (here a CHECK its owner added) fails that
    message's outcome alone: the receiver that answered 200 is recorded as delivered,
    and not sent the message again."""
    recorded: list[DeliveryResult] = []
    heard: list[StoreError | None] = []
    routes = {"/ops": raw_route(b"ok", 200), "/team": raw_route(b"no", 500)}
    async with LoopbackServer(routes) as hook:
        with PostgresOutbox.open(pg_url) as box:
            postgres_backend(pg_cluster, pg_url).owner_sql(
                "ALTER TABLE outbox ADD CONSTRAINT team_stays "
                "CHECK (key <> 'INC-7:1:team' OR attempts = 0)"
            )
            box.enqueue(message(1, "ops"))
            box.enqueue(message(1, "team"))
            targets = [
                Target("ops", "json", hook.url("/ops")),
                Target("team", "json", hook.url("/team")),
            ]
            worker = deliverer(targets, box, client, clock)
            stop = asyncio.Event()
            running = asyncio.create_task(
                worker.run(stop, recorded.append, IDLE_S, store_outage=said_to(heard))
            )
            await until(lambda: bool(recorded), "the delivery to ops recorded")
            stop.set()
            await running
            assert box.status("INC-7:1:ops") == ("delivered", 1, "")
    assert [(r.key, r.delivered) for r in recorded] == [("INC-7:1:ops", True)]
    [refused] = heard
    assert refused is not None and "cannot update message INC-7:1:team" in str(refused)
    assert sorted(request.path for request in hook.requests) == ["/ops", "/team"]


def as_reader(pg_cluster: Cluster, pg_url: str, role: str) -> str:
    """`pg_url` as `role`, a role that may read every table of the record and write none."""
    pg_cluster.admin(
        f"DO $$ BEGIN CREATE ROLE {role} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    )
    backend = postgres_backend(pg_cluster, pg_url)
    backend.owner_sql(f"GRANT USAGE ON SCHEMA public TO {role}")
    backend.owner_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    return pg_url.replace(f"{SUPERUSER}@", f"{role}@")


async def test_a_role_that_cannot_write_the_outbox_is_said_once_and_ends_the_run(
    pg_cluster: Cluster, pg_url: str, client, clock
):
    """It tried again every `idle_s` for as long as it ran, calling a permanent refusal
    ("permission denied for table outbox") a passing outage."""
    PostgresOutbox.open(pg_url).close()  # the owner makes the schema
    heard: list[StoreError | None] = []
    with PostgresOutbox.open(as_reader(pg_cluster, pg_url, "test_outbox_reader")) as box:
        worker = deliverer([Target("team", "slack", "http://127.0.0.1:9/hook")], box, client, clock)
        stop = asyncio.Event()
        async with asyncio.timeout(30):  # it used to run until stopped
            await worker.run(stop, None, IDLE_S, store_outage=said_to(heard))
    [refused] = heard
    assert isinstance(refused, CannotDeliver)  # the screen says "stopped", not "retrying"
    assert "cannot deliver: this role cannot write the outbox" in str(refused)
    assert "permission denied" in str(refused)


class LockedOutbox:
    """An outbox whose claims fail as `fails` says: the one thing `refusal` asks."""

    def __init__(self, fails: StoreError) -> None:
        self.fails = fails

    def claim(self, *args: object) -> list[object]:
        raise self.fails


@pytest.mark.parametrize(
    ("fails", "for_good"),
    [
        (StoreError("x.db", "claim: database is locked (waited 10 s)"), False),
        (StoreError("pg", "claim: canceling statement due to lock timeout"), False),
        (NotPermitted("pg", "claim: permission denied for table outbox"), True),
        (NotPermitted("x.db", "claim: attempt to write a readonly database"), True),
    ],
)
async def test_only_a_refusal_for_good_ends_deliveries(client, clock, fails, for_good):
    """A lock held past its wait at start-up was taken for a role that may not write,
    and deliveries stopped for the whole session (a review)."""
    worker = deliverer([], LockedOutbox(fails), client, clock)  # type: ignore[arg-type]
    refused = await worker.refusal()
    assert isinstance(refused, CannotDeliver) is for_good
    assert (refused is None) is not for_good
