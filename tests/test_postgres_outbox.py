"""The outbox on PostgreSQL: several couriers on separate connections, each message sent once.

Three processes (as three TUIs or `monitor`s on three machines would be) deliver
from one outbox to one real webhook receiver on loopback that counts what
arrives. Their claims overlap on purpose (small batches, started together); the
receiver must see every message exactly once.
"""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path

from store.postgres_outbox import PostgresOutbox
from tests.conftest import T0
from tests.outbox.helpers import ROOT, message
from tests.webhook_receivers import WebhookReceiver, always

COURIER = textwrap.dedent(
    """
    import asyncio, os, sys
    from incident.comms.routing import Target
    from incident.core.clock import ManualClock
    from store.postgres_outbox import PostgresOutbox
    from tests.conftest import T0
    from tui.net.client import make_client
    from tui.net.delivery import Deliverer

    url, hook, go = sys.argv[1:4]

    async def main() -> None:
        client = make_client()
        with PostgresOutbox.open(url) as box:
            courier = Deliverer(
                {"team": Target("team", "slack", hook)}, box, client, ManualClock(T0), {},
                batch=2,
            )
            print("ready", flush=True)
            while not os.path.exists(go):
                await asyncio.sleep(0)
            sent = 0
            while results := await courier.deliver_due():
                sent += sum(r.delivered for r in results)
            print(sent, flush=True)
        await client.aclose()

    asyncio.run(main())
    """
)


async def test_three_couriers_deliver_each_message_exactly_once(
    pg_url: str, tmp_path: Path
) -> None:
    with PostgresOutbox.open(pg_url) as box:
        for n in range(1, 61):
            assert box.enqueue(message(n, "team"))
        assert not box.enqueue(message(1, "team"))  # a key enqueued twice is one message
    go = tmp_path / "go"
    async with WebhookReceiver(always(200)) as hook:
        couriers = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                COURIER,
                pg_url,
                hook.url(),
                str(go),
                cwd=ROOT,
                env={"PYTHONPATH": str(ROOT)},
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            for _ in range(3)
        ]
        for courier in couriers:
            assert courier.stdout is not None
            assert await courier.stdout.readline() == b"ready\n"
        go.touch()
        outputs = [await courier.communicate() for courier in couriers]
        for courier, (_, errors) in zip(couriers, outputs, strict=True):
            assert courier.returncode == 0, errors.decode()
    sent = [int(out.decode().strip()) for out, _ in outputs]
    keys = [request.key for request in hook.requests]
    assert sorted(keys) == sorted(f"INC-7:{n}:team" for n in range(1, 61))  # each once
    assert sum(sent) == 60
    with PostgresOutbox.open(pg_url) as box:
        assert box.pending_count() == 0
        assert {row.status for row in box.messages("INC-7")} == {"delivered"}
        assert {row.attempts for row in box.messages("INC-7")} == {1}
        assert box.status("INC-7:1:team") == ("delivered", 1, "")
        assert box.requeue("INC-7:1:team", T0) is False  # only a failed message is requeued
