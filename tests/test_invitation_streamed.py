"""The post-mortem's calendar file from a long record, read as the report reads it.

`export --format ics` read the whole record decoded (every probe tick's samples) to
write a file from the state at the latest booking, and did so even to say that no
post-mortem was booked. `incident.app.invitation` streams each tick from the store's
summary of it and keeps the state each booking leaves; the file must be the one the
record held in memory gives (`postmortem_ics`). Real SQLite files of the demo's
scenarios, a tick of probe samples every 5 s.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from incident import commands
from incident.app.invitation import invitation
from incident.reports.ics import NotScheduled, postmortem_ics
from tests.cli_helpers import Cli
from tests.reads_seen import ReadsSeen
from tests.scenario_copies import scenario_copy
from tests.test_damaged_record import tamper
from tui.demo.scenarios import ACTOR


def test_the_file_is_the_in_memory_ones_with_ticks_around_two_bookings(tmp_path: Path) -> None:
    scenario = scenario_copy("resolved", tmp_path / "s.db")
    clock, starts = scenario.clock, scenario.clock.now() + timedelta(hours=20)

    def book(at_hours: float, **given: object) -> None:
        at = starts + timedelta(hours=at_hours)
        scenario.run(
            lambda s: commands.schedule_postmortem(s, at, actor=ACTOR, clock=clock, **given)  # type: ignore[arg-type]
        )

    book(0, attendees=("ada@example.com", "Bo"), organizer="cy@example.com")
    scenario.advance(60)  # 12 ticks between the bookings
    book(2)
    first_file_events = scenario.log.last_seq(scenario.incident_id)
    scenario.advance(120)  # and 24 after the last: not in the file
    state = scenario.session.state
    events = scenario.log.events(scenario.incident_id)
    assert sum(e.kind == "probe.samples" for e in events[first_file_events:]) == 24
    seen = ReadsSeen(scenario.log)
    made = invitation(seen, scenario.incident_id)  # type: ignore[arg-type]
    text = made.text
    assert text == postmortem_ics(state, events)
    assert made.state == state and made.damage is None
    assert seen.names() == ["report_items"]  # before: every event, decoded
    assert f"Record when booked: {first_file_events} events" in text.replace("\r\n ", "")
    assert "SEQUENCE:1" in text
    scenario.log.close()


def test_nothing_booked_is_said_after_one_read(tmp_path: Path) -> None:
    """The state that says so is the one the read folds: the CLI opened a session for
    it first, a second read of the whole record when something was booked."""
    scenario = scenario_copy("resolved", tmp_path / "s.db")
    seen = ReadsSeen(scenario.log)
    with pytest.raises(NotScheduled, match="no post-mortem booked"):
        invitation(seen, scenario.incident_id)  # type: ignore[arg-type]
    assert seen.names() == ["report_items"]
    scenario.log.close()


def test_the_cli_still_writes_the_file_of_a_damaged_record_and_warns(tmp_path: Path) -> None:
    """`lastgood ics` on a booked record whose first entry after the declaration was
    edited: the file comes out, with `status`'s warning on stderr (it said nothing)."""
    scenario = scenario_copy("resolved", tmp_path / "s.db")
    at = scenario.clock.now() + timedelta(hours=20)
    scenario.run(lambda s: commands.schedule_postmortem(s, at, actor=ACTOR, clock=scenario.clock))
    incident_id = scenario.incident_id
    events = scenario.log.events(incident_id)
    entry = next(e for e in events[1:] if e.kind != "probe.samples")
    scenario.log.close()
    tamper(
        tmp_path / "s.db",
        "UPDATE events SET payload = payload || ' ' WHERE incident_id = ? AND seq = ?",
        incident_id,
        entry.seq,
    )
    result = Cli(tmp_path / "s.db").run("ics", incident_id)
    assert result.code == 0 and "BEGIN:VCALENDAR" in result.out
    assert result.err.startswith(
        f"WARNING: the record of {incident_id} is damaged at event {entry.seq} (payload is not "
    )
