"""The post-mortem timeline: grouped by phase, gaps called out, key moments and pins."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.core.clock import ManualClock
from incident.core.events import Kind
from incident.core.samples import Outcome, Sample
from incident.reports.authorship import sample_count
from incident.reports.timeline import markdown_timeline, phase_of_events
from runbooks.model import Runbook
from tests.conftest import T0
from tests.golden.incidents import PARIS, closed_record, flat, hostile_record
from tests.golden.markdown_checks import check_golden, headings, html_tokens, tokens
from tests.memory_log import MemoryLog

PHASES = [
    "Decision and Communication",
    "Execute Rollback",
    "Verification",
    "Communication and Post-Mortem Prep",
]


def sections(text: str) -> dict[str, list[str]]:
    """`## ` heading -> its list items, as written."""
    found: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        if line.startswith("## "):
            current = line[3:]
            found[current] = []
        elif line.startswith("- ") and current:
            found[current].append(line[2:])
    return found


@pytest.fixture(scope="module")
def closed_timeline() -> str:
    record = closed_record()
    return markdown_timeline(record.state, record.events, record.now, tz=PARIS)


def test_closed_timeline_matches_golden_file(closed_timeline):
    check_golden("closed-timeline.md", closed_timeline)


def test_closed_timeline_structure(closed_timeline):
    found = tokens(closed_timeline)
    assert headings(found) == [
        (1, "Post-mortem timeline: Checkout errors after 2.4.1"),
        (2, "Pinned notes"),
        (2, "Key moments"),
        *[(2, title) for title in PHASES],
        (2, "After close"),
    ]
    assert html_tokens(found) == []


def test_steps_sit_in_their_phase_and_key_moments_are_marked(closed_timeline):
    found = sections(closed_timeline)
    execute = found["Execute Rollback"]
    assert execute[0].startswith("T+07:41 · 09:07:41 · ada · ★ **Application rolled back**:")
    decide = found["Decision and Communication"]
    assert any("★ **Rollback decision**: Approved decide-rollback" in line for line in decide)
    assert any("★ **Rollback trigger met**: Trigger error-rate met" in line for line in decide)
    # sent while phase 1 was still open, so it belongs there, after phase 2 began
    assert any(
        line.startswith("T+12:15 · 09:12:15 · ada · Message sent: Initiating") for line in decide
    )
    assert any("★ **Service verified**" in line for line in found["Verification"])
    closeout = found["Communication and Post-Mortem Prep"]
    assert any("★ **Incident closed**" in line for line in closeout)
    after = found["After close"]
    assert any("Root cause noted: 2.4.1 changed" in line for line in after)
    assert any("Post-mortem booked for 2026-11-29 11:00:00 UTC (45 min)" in line for line in after)


def test_samples_are_counted_not_listed(closed_timeline):
    record = closed_record()
    samples, polls = sample_count(record.events)
    counted = 0
    for lines in sections(closed_timeline).values():
        for line in lines:
            if " samples recorded in " in line:
                counted += int(line.split()[0])
    assert counted == samples and samples == 3 * polls
    assert "probe.samples" not in closed_timeline
    listed = [line for lines in sections(closed_timeline).values() for line in lines]
    assert sum(1 for line in listed if " · probes · " in line) == 2  # trigger met and cleared


def _seconds(offset: str) -> int:
    parts = [int(part) for part in offset.removeprefix("T+").split(":")]
    return sum(part * 60**power for power, part in enumerate(reversed(parts)))


def test_each_phase_lists_in_time_order_the_probes_line_where_its_ticks_began(closed_timeline):
    """The "N samples recorded" line came after everything else in its phase, after
    lines later than its first tick (a review): it sits where the ticks began."""
    phases = {title: sections(closed_timeline)[title] for title in PHASES}
    for title, lines in phases.items():
        starts = []
        for line in lines:
            if line.startswith("T+"):
                starts.append(_seconds(line.split(" ", 1)[0]))
            elif " samples recorded in " in line:
                starts.append(_seconds(line.split("(", 1)[1].split(" ", 1)[0]))
        assert starts == sorted(starts), (title, lines)
    decide = phases["Decision and Communication"]
    assert decide[3] == (
        "441 samples recorded in 147 polls (T+00:05 to T+12:15), not listed one by one"
    )
    # T+00:00: the declaration and the two steps it did (its channel and its commander)
    assert all(line.startswith("T+00:00 ") for line in decide[:3])
    assert decide[4].startswith("T+00:15 ")


def test_pinned_notes_come_first_and_are_marked_inline(closed_timeline):
    found = sections(closed_timeline)
    assert next(iter(found)) == "Pinned notes"
    (pinned,) = found["Pinned notes"]
    assert pinned.startswith("📌 T+45:36 · 09:45:36 UTC (10:45:36 CET) · ada: Canary stage")
    assert any(
        line.startswith("T+45:36 · 09:45:36 · ada · 📌 Pinned note:")
        for line in found["After close"]
    )


def test_gaps_longer_than_the_threshold_are_called_out():
    record = closed_record()
    text = markdown_timeline(record.state, record.events, record.now, gap=timedelta(minutes=4))
    found = sections(text)
    gaps = [line for lines in found.values() for line in lines if line.startswith("⚠")]
    assert gaps == [
        "⚠ no action recorded for 4m14s (T+08:01 → T+12:15)",
        "⚠ no action recorded for 5m00s (T+21:36 → T+26:36)",
    ]
    # the gap is shown where it ends, just before the action that ended it
    decide = found["Decision and Communication"]
    position = decide.index(gaps[0])
    assert decide[position + 1].startswith("T+12:15 ")
    # exactly 4 minutes is not longer than 4 minutes
    assert "for 4m00s" not in text


def declare(runbook: Runbook, clock: ManualClock) -> IncidentSession:
    details = Declaration(title="T", severity="SEV3", commander="Ada", pattern="blue-green")
    event = commands.declare(runbook, details, actor="ada", clock=clock, incident_id="INC-TL")
    return IncidentSession.declare(MemoryLog(), event, clock)


def test_phase_of_each_event(small_runbook, clock):
    session = declare(small_runbook, clock)

    def at(seconds: float, command) -> None:
        clock.advance(seconds)
        session.run(command)

    at(30, lambda s: commands.check_step(s, "assess", actor="ada", clock=clock))
    at(30, lambda s: commands.add_note(s, "during phase 1", actor="ada", clock=clock))
    at(30, lambda s: commands.check_step(s, "switch-lb", actor="bo", clock=clock))
    at(30, lambda s: commands.add_note(s, "phase 1 still open", actor="ada", clock=clock))
    at(30, lambda s: commands.approve(s, "initiate", by="Ada", reason="r", actor="a", clock=clock))
    at(30, lambda s: commands.check_step(s, "initiate", actor="ada", clock=clock))
    at(30, lambda s: commands.send_communication(s, actor="a", clock=clock, template="initiating"))
    at(1, lambda s: commands.check_step(s, "notify", actor="ada", clock=clock))
    at(30, lambda s: commands.add_note(s, "now in phase 2", actor="ada", clock=clock))
    at(30, lambda s: commands.choose_database_tier(s, "none", reason="r", actor="a", clock=clock))
    at(30, lambda s: commands.close(s, actor="ada", clock=clock, force=True, reason="drill"))
    at(30, lambda s: commands.note_rca(s, "cause", actor="ada", clock=clock))
    events = session.log.events("INC-TL")
    placed = phase_of_events(session.state, events)
    assert [placed[e.seq] for e in events] == [
        "decide",  # declared
        "decide",  # assess
        "decide",  # note
        "execute",  # switch-lb: its own phase
        "decide",  # note: phase 1 is still the current one
        "decide",  # approval of the phase-1 gate
        "decide",  # initiate
        "decide",  # message
        "decide",  # notify: phase 1 done
        "execute",  # note
        "execute",  # database tier: the database step's phase
        "execute",  # close: execute is the first phase not done
        "after-close",
    ]


def test_exact_gap_and_an_open_incident_still_waiting(small_runbook, clock):
    session = declare(small_runbook, clock)
    clock.advance(60)
    session.run(lambda s: commands.check_step(s, "assess", actor="ada", clock=clock))
    for _ in range(90):  # probes keep sampling: that is not a person acting
        clock.advance(4.8)
        reading = Sample("health", clock.now(), Outcome.OK, 10.0, 200)
        session.run_many(
            lambda s, r=reading: commands.record_samples(s, [r], actor="probes", clock=clock)
        )
    clock.set(T0 + timedelta(seconds=60 + 432))
    session.run(lambda s: commands.add_note(s, "back", actor="ada", clock=clock, pinned=True))
    clock.advance(600)
    text = markdown_timeline(session.state, session.log.events("INC-TL"), clock.now())
    lines = sections(text)["Decision and Communication"]
    assert "⚠ no action recorded for 7m12s (T+01:00 → T+08:12)" in lines
    assert lines[-1] == "⚠ no action recorded for 10m00s (T+08:12 → T+18:12) so far"
    # the probes' line where their ticks began, after the check at T+01:00
    checked = next(i for i, line in enumerate(lines) if line.startswith("T+01:00 "))
    assert (
        lines[checked + 1]
        == "90 samples recorded in 90 polls (T+01:04 to T+08:12), not listed one by one"
    )
    assert sections(text)["Pinned notes"][0].startswith("📌 T+08:12 · 09:08:12 UTC · ada: back")


def test_a_gap_is_listed_as_its_printed_times_read(small_runbook, clock):
    """Whether a silence is listed is judged on the seconds its times print at, as its
    line reads: 5m00.4s between 09:00:00.3 and 09:05:00.7 reads 5m00s, which is not
    "more than 5m00s" (it was listed, reading 5m00s); 5m00.6s between 09:05:00.7 and
    09:10:01.3 reads 5m01s, which is."""
    session = declare(small_runbook, clock)
    clock.advance(0.3)
    session.run(lambda s: commands.check_step(s, "assess", actor="ada", clock=clock))
    clock.advance(300.4)
    session.run(lambda s: commands.add_note(s, "on time", actor="ada", clock=clock))
    clock.advance(300.6)
    session.run(lambda s: commands.add_note(s, "late", actor="ada", clock=clock))
    text = markdown_timeline(
        session.state, session.log.events("INC-TL"), clock.now(), gap=timedelta(minutes=5)
    )
    gaps = [line for line in text.splitlines() if line.startswith("- ⚠")]
    assert gaps == ["- ⚠ no action recorded for 5m01s (T+05:00 → T+10:01)"]


def test_hostile_timeline_keeps_its_structure():
    record = hostile_record()
    text = markdown_timeline(record.state, record.events, record.now, tz=PARIS)
    found = tokens(text)
    assert headings(found) == [
        (1, f"Post-mortem timeline: {flat(record.state.title)}"),
        (2, "Pinned notes"),
        (2, "Key moments"),
        *[(2, title) for title in PHASES],
        (2, "After close"),
    ]
    assert html_tokens(found) == []
    items = sum(1 for t in found if t.type == "list_item_open")
    listed = [e for e in record.events if e.kind != Kind.PROBE_SAMPLES]
    # every event, the key moments (7 without impact start), the pinned note, one gap
    assert items == len(listed) + 7 + 1 + 1
    assert "- ⚠ no action recorded for 10m00s (T+15:00 → T+25:00)" in text.splitlines()


def test_a_moment_not_recorded_has_no_empty_parentheses(small_runbook, clock):
    """An open incident's close read "Incident closed: not recorded ()" (a review)."""
    session = declare(small_runbook, clock)
    clock.advance(60)
    text = markdown_timeline(session.state, session.log.events("INC-TL"), clock.now())
    moments = sections(text)["Key moments"]
    assert "Incident closed: not recorded" in moments
    assert "Rollback trigger met: not recorded" in moments
    assert not any(line.endswith("()") for line in moments)
