"""One probe, polled once outside any app: what `lastgood init` tries before writing."""

from __future__ import annotations

import asyncio
import os

from incident.core.clock import SystemClock
from incident.core.samples import Sample
from runbooks.model import Probe
from tui.net.client import close_client, make_client
from tui.net.probing import poll_probe


def poll_once(probe: Probe) -> Sample:
    """`probe` polled once, as the coordinator's screen would poll it (same expansion,
    timeouts, failure classes and redaction). Never raises for a network failure."""

    async def poll() -> Sample:
        client = make_client(max_connections=1)
        try:
            return await poll_probe(client, probe, clock=SystemClock(), env=os.environ)
        finally:
            await close_client(client)

    return asyncio.run(poll())
