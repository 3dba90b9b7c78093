"""A failed delivery is said in the words a failed probe is: its class by name
(`REFUSED`, `TIMEOUT`, `HTTP 500`), then what happened beyond it.

Delivery had words of its own (`refused: connection refused by 127.0.0.1`,
`timeout: no answer within 0.3 s`, `HTTP 500: …`, `protocol: …`, `error: ReadError`),
so one receiver down read two ways on one screen. Each case polls a probe at the same
real loopback receiver and holds the two side by side.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager, nullcontext

import pytest

from incident.comms.routing import Target
from incident.core.clock import SystemClock
from incident.health.failure_words import failure_text
from runbooks.model import Probe, ProbeKind
from tests.http_servers import LoopbackServer, Received, Reply
from tests.outbox.helpers import deliverer, message
from tests.webhook_receivers import WebhookReceiver, always, hang_forever, unused_port
from tui.net.probing import poll_probe

TIMEOUT_S = 0.3
"""The deliverer's and the probe's deadline: the hanging receiver is given up on then."""


class _Closed:
    """No receiver at all: a port nothing listens on, so connections are refused."""

    def __init__(self) -> None:
        self.port = unused_port()

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"


def _receiver(case: str) -> AbstractAsyncContextManager[WebhookReceiver | _Closed]:
    if case == "refused":
        return nullcontext(_Closed())
    if case == "timeout":  # accepts the request and never answers
        return WebhookReceiver(hang_forever, prefix="")
    return WebhookReceiver(always(500), prefix="")


@pytest.mark.parametrize(
    ("case", "delivery_says", "probe_says"),
    [
        ("refused", "REFUSED connection refused", "REFUSED connection refused"),
        ("timeout", f"TIMEOUT no answer within {TIMEOUT_S} s", None),
        ("500", 'HTTP 500 (expected 2xx): {"ok": false}', "HTTP 500 (expected 200)"),
    ],
)
async def test_a_failed_delivery_is_said_as_a_probe_of_its_receiver_is(
    case: str, delivery_says: str, probe_says: str | None, outbox, client, clock
) -> None:
    async with _receiver(case) as receiver:
        worker = deliverer(
            [Target("team", "json", receiver.url())], outbox, client, clock, timeout_s=TIMEOUT_S
        )
        outbox.enqueue(message(1, "team"))
        [result] = await worker.deliver_due()
        probe = Probe(name="hook", kind=ProbeKind.HTTP, url=receiver.url(), timeout_s=TIMEOUT_S)
        sample = await poll_probe(client, probe, clock=SystemClock(), env={})
    assert (result.delivered, result.final) == (False, False)
    assert result.error == delivery_says
    assert outbox.status("INC-7:1:team") == ("pending", 1, delivery_says)
    assert failure_text(sample) == (probe_says or delivery_says)


async def test_an_answer_that_is_not_http_is_said_as_a_probe_says_it(outbox, client, clock):
    """Not `protocol: the receiver closed the connection or answered garbage`."""

    async def garbage(request: Received, reply: Reply) -> None:
        reply.close_after()
        await reply.send(b"SSH-2.0-OpenSSH_9.6\r\n")

    async with LoopbackServer({"/hook": garbage}) as receiver:
        worker = deliverer([Target("team", "json", receiver.url("/hook"))], outbox, client, clock)
        outbox.enqueue(message(1, "team"))
        [result] = await worker.deliver_due()
        probe = Probe(name="hook", kind=ProbeKind.HTTP, url=receiver.url("/hook"))
        sample = await poll_probe(client, probe, clock=SystemClock(), env={})
    assert result.error == (
        "ERROR the server closed the connection or answered something that is not HTTP"
    )
    assert failure_text(sample) == result.error
