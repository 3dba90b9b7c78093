"""`lastgood monitor`: the TUI's background work without the TUI.

Prints one line per poll and every trigger change, records samples through the
same domain command as the TUI, sends and delivers the incident's messages as an
open TUI would, and stops cleanly on Ctrl-C or after `--for`.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path

from incident.app.health import record_samples
from incident.app.session import IncidentSession
from incident.core.events import Event, JSONValue, Kind, format_timestamp
from incident.core.payloads.health import sample_to_json
from incident.core.phase_clocks import elapsed, format_offset
from incident.core.samples import Sample
from incident.core.text import json_text, visible
from incident.health.readings import format_value
from incident.reports.describe import describe
from tui.cli.courier import Courier
from tui.net.client import close_client, make_client
from tui.net.poller import ProbePoller


def sample_summary(session: IncidentSession, sample: Sample) -> str:
    probe = session.state.runbook.probe(sample.probe)
    if not sample.ok:
        return f"{sample.probe} {sample.outcome.upper()} {sample.detail}".rstrip()
    if sample.text is not None:
        return f"{sample.probe} {sample.text}"
    if sample.value is not None:
        return f"{sample.probe} {format_value(sample.value, probe.unit if probe else '')}"
    latency = f" {sample.latency_ms:.0f}ms" if sample.latency_ms is not None else ""
    return f"{sample.probe} OK{latency}"


def run_monitor(
    session: IncidentSession, db: Path | str, *, duration_s: float | None, as_json: bool = False
) -> int:
    """Probes, and the incident's messages (auto-sends, delivery, missed updates).

    With `as_json`, each line is one JSON object (docs/schemas/monitor-line.schema.json).
    """
    say = _json_say(session) if as_json else _say(session)

    async def monitor() -> None:
        stop = asyncio.Event()
        async with Courier(session, db, say=say) as courier:
            messages = asyncio.create_task(courier.run(stop))
            try:
                if session.state.runbook.probes:
                    await poll(stop)
                elif duration_s is not None:
                    await asyncio.sleep(duration_s)
                else:
                    await stop.wait()
            finally:
                stop.set()
                await messages

    async def poll(stop: asyncio.Event) -> None:
        client = make_client()
        try:
            poller = ProbePoller(
                session.state.runbook.probes, client, clock=session.clock, env=os.environ
            )

            def on_batch(batch: list[Sample]) -> None:
                events = record_samples(session, batch).events
                if as_json:
                    _print_json_batch(session, batch, events)
                    return
                offset = format_offset(elapsed(session.state, session.clock.now()))
                print(
                    visible(f"{offset}  " + " · ".join(sample_summary(session, s) for s in batch))
                )
                for event in events:
                    if event.kind == Kind.TRIGGER_CHANGED:
                        print(f"{offset}  {describe(event)}")
                sys.stdout.flush()

            await poller.run(on_batch, stop=stop, until_s=duration_s)
        finally:
            await close_client(client)

    try:
        asyncio.run(monitor())
    except KeyboardInterrupt:
        print("monitor stopped", file=sys.stderr)
    return 0


def _say(session: IncidentSession) -> Callable[[str], None]:
    def say(line: str) -> None:
        offset = format_offset(elapsed(session.state, session.clock.now()))
        print(visible(f"{offset}  {line}"), flush=True)

    return say


def _line(session: IncidentSession, kind: str, **fields: JSONValue) -> str:
    now = session.clock.now()
    line: dict[str, JSONValue] = {
        "at": format_timestamp(now),
        "elapsed": format_offset(elapsed(session.state, now)),
        "kind": kind,
        **fields,
    }
    return json_text(line, indent=None)


def _print_json_batch(session: IncidentSession, batch: list[Sample], events: list[Event]) -> None:
    samples: list[JSONValue] = [sample_to_json(sample) for sample in batch]
    print(_line(session, "samples", samples=samples))
    for event in events:
        if event.kind == Kind.TRIGGER_CHANGED:
            print(_line(session, "event", seq=event.seq, event=event.kind, text=describe(event)))
    sys.stdout.flush()


def _json_say(session: IncidentSession) -> Callable[[str], None]:
    def say(line: str) -> None:
        print(_line(session, "message", text=line), flush=True)

    return say
