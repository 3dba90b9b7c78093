"""The notification outbox against real webhook receivers on loopback.

Every test sends real HTTP to `tests.webhook_receivers` servers and keeps messages
in a real SQLite file. Time for backoff is a `ManualClock`; deadlines are real.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tracemalloc
from datetime import timedelta
from pathlib import Path

import pytest

from incident.comms.routing import (
    MAX_ATTEMPTS,
    Target,
    backoff_s,
)
from store.outbox import Outbox
from tests.conftest import T0
from tests.http_servers import LoopbackServer, Received, Reply, gzip_bomb
from tests.outbox.helpers import INCIDENT, ROOT, deliverer, message
from tests.webhook_receivers import (
    WebhookReceiver,
    always,
    fail_first,
    hang_forever,
    unused_port,
)
from tui.net.delivery import RESPONSE_PEEK_BYTES, DeliveryResult

# --- delivery --------------------------------------------------------------------------


async def test_a_working_receiver_gets_each_message_once(outbox, client, clock):
    async with WebhookReceiver(always(200)) as slack, WebhookReceiver(always(204)) as generic:
        targets = [Target("team", "slack", slack.url()), Target("ops", "json", generic.url())]
        outbox.enqueue(message(1, "team", "Initiating rollback due to 5xx. ETA 15 min."))
        outbox.enqueue(message(1, "ops", "Initiating rollback due to 5xx. ETA 15 min."))
        results = await deliverer(targets, outbox, client, clock).deliver_due()
        assert sorted((r.target, r.delivered, r.attempts, r.final) for r in results) == [
            ("ops", True, 1, True),
            ("team", True, 1, True),
        ]
        [to_slack] = slack.requests
        assert to_slack.document == {"text": "Initiating rollback due to 5xx. ETA 15 min."}
        assert to_slack.key == "INC-7:1:team"
        assert to_slack.headers["content-type"] == "application/json"
        [to_ops] = generic.requests
        assert to_ops.document["key"] == "INC-7:1:ops"  # type: ignore[index]
        assert to_ops.document["incident"] == INCIDENT  # type: ignore[index]
        assert outbox.status("INC-7:1:team") == ("delivered", 1, "")
        clock.advance(3600)
        assert await deliverer(targets, outbox, client, clock).deliver_due() == []
        assert len(slack.requests) == len(generic.requests) == 1


async def test_failing_then_recovering_receiver_gets_it_exactly_once(outbox, client, clock):
    async with WebhookReceiver(fail_first(2, 500)) as hook:
        worker = deliverer([Target("team", "slack", hook.url())], outbox, client, clock)
        outbox.enqueue(message(1, "team"))

        [first] = await worker.deliver_due()
        assert (first.delivered, first.attempts, first.final) == (False, 1, False)
        assert first.error.startswith("HTTP 500 (expected 2xx)")
        assert first.next_attempt_at == T0 + timedelta(seconds=backoff_s(1))
        assert await worker.deliver_due() == []  # not due before the backoff
        assert len(hook.requests) == 1

        clock.advance(backoff_s(1))
        [second] = await worker.deliver_due()
        assert (second.delivered, second.attempts) == (False, 2)
        clock.advance(backoff_s(2) - 0.001)
        assert await worker.deliver_due() == []
        clock.advance(0.001)
        [third] = await worker.deliver_due()
        assert (third.delivered, third.attempts, third.final, third.error) == (True, 3, True, "")

        for _ in range(3):
            clock.advance(120)
            assert await worker.deliver_due() == []
    assert [r.answered for r in hook.requests] == [500, 500, 200]
    assert {r.key for r in hook.requests} == {"INC-7:1:team"}
    assert len(set(hook.accepted_keys())) == len(hook.accepted_keys()) == 1
    assert outbox.status("INC-7:1:team") == ("delivered", 3, "")


async def test_a_hanging_receiver_blocks_nothing(outbox, client, clock):
    timeout_s = 0.6
    async with WebhookReceiver(hang_forever) as stuck, WebhookReceiver(always(200)) as fine:
        targets = [Target("stuck", "json", stuck.url()), Target("team", "slack", fine.url())]
        worker = deliverer(targets, outbox, client, clock, timeout_s=timeout_s)
        outbox.enqueue(message(1, "stuck"))
        outbox.enqueue(message(1, "team"))

        ticks = 0

        async def ui() -> None:  # stands in for the TUI redrawing its clocks
            nonlocal ticks
            while True:
                await asyncio.sleep(0.02)
                ticks += 1

        drawing = asyncio.create_task(ui())
        # The 30 s bound only keeps a broken timeout from hanging the suite; the
        # stuck target's error says its own deadline ended its wait.
        results = {r.target: r for r in await asyncio.wait_for(worker.deliver_due(), 30)}
        drawing.cancel()

        assert results["team"].delivered and fine.accepted_keys() == ["INC-7:1:team"]
        assert not results["stuck"].delivered and not results["stuck"].final
        assert results["stuck"].error == f"TIMEOUT no answer within {timeout_s} s"
        assert ticks >= int(timeout_s / 0.02) // 3  # the loop kept running meanwhile
        assert outbox.status("INC-7:1:stuck") == ("pending", 1, results["stuck"].error)


async def test_a_receiver_down_for_good_fails_after_max_attempts(outbox, client, clock):
    port = unused_port()
    worker = deliverer(
        [Target("team", "slack", f"http://127.0.0.1:{port}/hook")], outbox, client, clock
    )
    outbox.enqueue(message(1, "team"))
    seen: list[DeliveryResult] = []
    for _ in range(MAX_ATTEMPTS + 3):
        seen += await worker.deliver_due()
        clock.advance(61)
    assert [r.attempts for r in seen] == list(range(1, MAX_ATTEMPTS + 1))
    assert [r.final for r in seen] == [False] * (MAX_ATTEMPTS - 1) + [True]
    assert seen[-1].error == "REFUSED connection refused"
    assert seen[-1].next_attempt_at is None
    assert outbox.status("INC-7:1:team") == ("failed", MAX_ATTEMPTS, seen[-1].error)
    assert outbox.pending_count() == 0


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://does-not-exist.invalid/hook", "DNS cannot resolve host does-not-exist.invalid"),
        ("https://127.0.0.1:{port}/hook", "TLS handshake failed: "),
    ],
    ids=["dns", "tls"],
)
async def test_a_network_failure_is_named_as_a_probe_names_it(url, said, outbox, client, clock):
    """Delivery and probing read the cause from one place (`tui.net.failures`)."""
    async with LoopbackServer({}) as plain_http:
        target = Target("team", "slack", url.format(port=plain_http.port))
        worker = deliverer([target], outbox, client, clock)
        outbox.enqueue(message(1, "team"))
        [result] = await worker.deliver_due()
    assert not result.delivered
    assert result.error.startswith(said), result.error


CHILD = """
import os, sys, time
from datetime import UTC, datetime
from incident.comms.routing import OutboxMessage
from store.outbox import Outbox
box = Outbox.open(sys.argv[1])
for n in (1, 2, 3):
    box.enqueue(OutboxMessage(f"INC-7:{n}:team", "INC-7", "team", f"update {n}",
                              datetime(2026, 11, 28, 9, tzinfo=UTC)))
print("enqueued", flush=True)
time.sleep(60)
"""


async def test_messages_pending_when_the_app_is_killed_are_delivered_once(
    tmp_path: Path, client, clock
):
    path = tmp_path / "lastgood.db"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "enqueued"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL

    async with WebhookReceiver(always(200)) as hook:
        with Outbox.open(path) as box:
            assert box.pending_count() == 3
            worker = deliverer([Target("team", "slack", hook.url())], box, client, clock)
            assert all(r.delivered for r in await worker.deliver_due())
            clock.advance(3600)
            assert await worker.deliver_due() == []
        with Outbox.open(path) as box:  # and after another restart, still nothing to send
            worker = deliverer([Target("team", "slack", hook.url())], box, client, clock)
            assert await worker.deliver_due() == []
    assert sorted(r.key for r in hook.requests) == [f"INC-7:{n}:team" for n in (1, 2, 3)]
    assert sorted(hook.accepted_keys()) == [f"INC-7:{n}:team" for n in (1, 2, 3)]


async def test_two_deliverers_on_one_file_do_not_send_twice(tmp_path: Path, client, clock):
    path = tmp_path / "lastgood.db"
    async with WebhookReceiver(always(200)) as hook:
        with Outbox.open(path) as a, Outbox.open(path) as b:
            for n in range(1, 21):
                a.enqueue(message(n, "team"))
            target = [Target("team", "slack", hook.url())]
            first, second = await asyncio.gather(
                deliverer(target, a, client, clock, batch=7).deliver_due(),
                deliverer(target, b, client, clock, batch=7).deliver_due(),
            )
            rest = await deliverer(target, a, client, clock).deliver_due()
            assert len(first) + len(second) + len(rest) == 20
    keys = [r.key for r in hook.requests]
    assert len(keys) == len(set(keys)) == 20


async def test_secrets_reach_the_receiver_but_are_stored_and_shown_nowhere(
    tmp_path: Path, client, clock
):
    path = tmp_path / "lastgood.db"
    token = "xoxb-TOKEN-not-for-the-record-1234"
    hook_secret = "T000-B000-hook-path-secret-5678"
    results: list[DeliveryResult] = []
    async with WebhookReceiver(fail_first(1, 500)) as hook:
        env = {"HOOK_URL": hook.url(f"/services/{hook_secret}"), "TOKEN": token}
        target = Target("team", "slack", "${HOOK_URL}", (("Authorization", "Bearer ${TOKEN}"),))
        broken = Target("broken", "json", "${NOT_SET}/x", (("X-Token", "${TOKEN}"),))
        garbled = Target("garbled", "json", "${BAD_URL}")
        env["BAD_URL"] = f"https//{hook_secret}"
        box = Outbox.open(path)
        for name in ("team", "broken", "garbled"):
            box.enqueue(message(1, name))
        worker = deliverer([target, broken, garbled], box, client, clock, env=env)
        results += await worker.deliver_due()
        clock.advance(60)
        results += await worker.deliver_due()
        statuses = [box.status(f"INC-7:1:{n}") for n in ("team", "broken", "garbled")]
        db_bytes = b"".join(
            p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("lastgood.db")
        )
        box.close()
    assert [r.headers["authorization"] for r in hook.requests] == [f"Bearer {token}"] * 2
    assert [r.path for r in hook.requests] == [f"/services/{hook_secret}"] * 2
    assert hook.accepted_keys() == ["INC-7:1:team"]
    errors = {r.target: r.error for r in results if r.error}
    assert errors["broken"] == "ERROR environment variable NOT_SET is not set"
    assert errors["garbled"] == "ERROR the URL is not an http or https URL"
    shown = repr(results) + repr(statuses)
    db_bytes += path.read_bytes()
    for secret in (token, hook_secret, "TOKEN-not", "hook-path"):
        assert secret not in shown
        assert secret.encode() not in db_bytes


@pytest.mark.parametrize("kept", [1, 6, 7])
async def test_a_token_cut_by_the_read_limit_is_dropped_not_kept_in_part(
    outbox, client, clock, kept: int
):
    token = "xoxb-T0KEN-only-in-the-env"
    body = b" " * (RESPONSE_PEEK_BYTES - kept) + token.encode() + b" and more"

    async def answer(request: Received, reply: Reply) -> None:
        await reply.full(500, body)

    async with LoopbackServer({"/hook": answer}) as receiver:
        target = Target("team", "json", receiver.url("/hook"), (("X-Token", "${TOKEN}"),))
        worker = deliverer([target], outbox, client, clock, env={"TOKEN": token})
        outbox.enqueue(message(1, "team"))
        (result,) = await worker.deliver_due()
    # not "...: xoxb-T", which no redactor knows
    assert result.error == "HTTP 500 (expected 2xx)"
    assert outbox.status("INC-7:1:team") == ("pending", 1, "HTTP 500 (expected 2xx)")


async def test_run_delivers_in_the_background_until_stopped(outbox, client, clock):
    async with WebhookReceiver(always(200)) as hook:
        worker = deliverer([Target("team", "slack", hook.url())], outbox, client, clock)
        stop = asyncio.Event()
        seen: list[DeliveryResult] = []

        async def record(result: DeliveryResult) -> None:
            seen.append(result)

        running = asyncio.create_task(worker.run(stop, record, idle_s=30))
        await asyncio.sleep(0.05)
        outbox.enqueue(message(1, "team"))
        worker.wake()  # no 30 s wait: enqueueing wakes the deliverer
        async with asyncio.timeout(5):
            while not seen:
                await asyncio.sleep(0.01)
        stop.set()
        async with asyncio.timeout(5):
            await running
    assert [(r.key, r.delivered) for r in seen] == [("INC-7:1:team", True)]


async def test_a_2xx_whose_body_trickles_is_delivered_once(outbox, client, clock):
    """The body of a 2xx was read inside the request's deadline: a receiver that
    answered 200 and trickled the rest was recorded as a timeout and posted to again
    (six times in a hostile review), its idempotency key ignored by Slack."""
    never = asyncio.Event()

    async def answer(request: Received, reply: Reply) -> None:
        await reply.head(200, {"Content-Type": "application/json", "Content-Length": "100"})
        await reply.send(b"{")
        await never.wait()

    async with LoopbackServer({"/hook": answer}) as receiver:
        target = Target("team", "slack", receiver.url("/hook"))
        worker = deliverer([target], outbox, client, clock, timeout_s=0.5)
        outbox.enqueue(message(1, "team"))
        (result,) = await worker.deliver_due()
        assert (result.delivered, result.attempts) == (True, 1)
        assert len(receiver.requests) == 1


async def test_a_refusal_in_a_gzip_bomb_is_read_only_as_far_as_its_words(outbox, client, clock):
    """A receiver's refusal is peeked at for the error line; inflated whole, a bomb's
    took the coordinator's own process to 2 GB (a hostile review)."""
    bomb = gzip_bomb(64)

    async def answer(request: Received, reply: Reply) -> None:
        await reply.head(500, {"Content-Encoding": "gzip", "Content-Length": str(len(bomb))})
        await reply.send(bomb)

    async with LoopbackServer({"/hook": answer}) as receiver:
        worker = deliverer([Target("team", "json", receiver.url("/hook"))], outbox, client, clock)
        outbox.enqueue(message(1, "team"))
        tracemalloc.start()
        try:
            (result,) = await worker.deliver_due()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert (result.delivered, result.error) == (False, "HTTP 500 (expected 2xx)")  # zeros: no words
    assert peak < 8 << 20, f"{peak / (1 << 20):.1f} MiB held for a 4 KiB peek"
