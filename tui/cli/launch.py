"""The CLI's one door into the Textual app.

Every verb that opens a screen comes through here, and each function imports the app
only when it is called: the other verbs never load Textual or Rich, so scripts stay
fast. import-linter holds the rest of `tui.cli` to that (see pyproject.toml).
"""

from __future__ import annotations

from datetime import timedelta

from incident.core.chain import ChainReport
from incident.core.events import Event
from incident.core.log import EventLog
from runbooks.model import Runbook
from store.sqlite_log import SqliteEventLog


def run_coordinator(
    log: EventLog,
    runbook: Runbook,
    *,
    actor: str,
    incident_id: str | None,
    poll_probes: bool,
) -> str | None:
    """The coordinator's app, until it quits; returns why it refused to open, if it did."""
    from tui.app.app import LastGoodApp

    app = LastGoodApp(log, runbook, actor=actor, incident_id=incident_id, poll_probes=poll_probes)
    app.run()
    return app.refusal


def run_follow(log: SqliteEventLog, incident_id: str) -> None:
    """A second, read-only terminal on an incident another one is recording."""
    from tui.app.follow_app import FollowApp

    FollowApp(log, incident_id).run()


def run_replay(
    events: list[Event],
    *,
    speed: float,
    playing: bool,
    start_offset: timedelta | None,
    damage: ChainReport | None,
) -> None:
    """The record played back through the same screens, from memory."""
    from tui.app.replay_app import ReplayApp

    ReplayApp(events, speed=speed, playing=playing, start_offset=start_offset, damage=damage).run()


def run_demo(*, actor: str) -> int:
    """The app on a demo incident against the built-in shop; prints where the record is."""
    from tui.app.app import LastGoodApp
    from tui.demo.launch import demo_incident, farewell

    with demo_incident(actor=actor) as demo:
        LastGoodApp(demo.log, demo.runbook, actor=actor, incident_id=demo.incident_id).run()
    print(farewell(demo))
    return 0
