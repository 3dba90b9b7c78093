"""The test receiver counts only what was sent to it (`tests/webhook_receivers.py`).

A deliverer still retrying a message for a receiver that has closed can reach the
next receiver handed the same port; counted, such a request would shift which
request `fail_first` fails and which one it accepts.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from tests.webhook_receivers import WebhookReceiver, fail_first


async def post(port: int, path: str) -> int:
    """POST an empty JSON document to 127.0.0.1:`port` `path`; the status answered."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{{}}".encode()
    )
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    await writer.wait_closed()
    return int(status_line.split()[1])


async def test_a_request_for_another_receivers_path_is_a_stray_and_not_counted() -> None:
    async with WebhookReceiver(fail_first(1)) as hook:
        ours = urlsplit(hook.url()).path
        assert await post(hook.port, "/hook") == 404  # another receiver's URL, this port
        assert await post(hook.port, ours) == 500
        assert await post(hook.port, ours) == 200
    assert [r.path for r in hook.requests] == ["/hook", "/hook"]
    assert [r.answered for r in hook.requests] == [500, 200]
    assert [(r.path, r.answered) for r in hook.strays] == [("/hook", 404)]
