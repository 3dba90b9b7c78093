"""Post-mortem work beside the meeting: contributing factors, action items with priority,
type, ticket and done, and the report's status, owner and reviewers.

Recorded through the application layer's use cases, on a real SQLite file, and read
back by a second reader, as a face would.
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from incident.app import followup, postmortem
from incident.app.session import IncidentSession
from incident.commands import CommandError
from incident.core.clock import ManualClock
from incident.core.state import fold
from incident.reports.describe import describe
from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tui.demo.scenarios import ACTOR


@pytest.fixture(scope="module")
def closed_scenario(tmp_path_factory):
    """The `closed` scenario, recorded once (it samples probes for half an hour)."""
    db = tmp_path_factory.mktemp("closed") / "incidents.db"
    scenario = scenario_copy("closed", db)
    scenario.log.close()
    return db, scenario.incident_id, scenario.clock


@pytest.fixture
def closed_db(closed_scenario, tmp_path):
    """A copy of it for each test, with a clock of its own."""
    original, incident_id, clock = closed_scenario
    db = tmp_path / "incidents.db"
    shutil.copyfile(original, db)
    return db, incident_id, ManualClock(clock.now())


def session_on(db, incident_id, clock) -> IncidentSession:
    return IncidentSession(SqliteEventLog.open(db), incident_id, clock)


def read_back(db, incident_id):
    with SqliteEventLog.open(db, read_only=True) as log:
        events = log.events(incident_id)
    return fold(events), events


def test_factors_action_items_and_report_status_are_recorded_and_folded(closed_db):
    db, incident_id, clock = closed_db
    session = session_on(db, incident_id, clock)
    followup.factor(session, ACTOR, "the canary stage was skipped for 2.4.1")
    done = postmortem.action_item(
        session,
        ACTOR,
        "Restore the canary stage",
        owner="Bo",
        due=date(2026, 12, 4),
        priority="P1",
        type="prevent",
        ticket="https://tracker.example/CHK-12",
    )
    assert done.said == "action item 1 recorded"
    postmortem.action_item(session, ACTOR, "Alert on retries")
    followup.action_done(session, ACTOR, 1, note="canary back in the pipeline")
    followup.report_status(session, ACTOR, owner="Ada Lovelace", reviewers=["Bo", "Cy", "Bo"])
    said = followup.report_status(session, ACTOR, status="reviewed").said
    assert said == "report reviewed, owner Ada Lovelace"
    session.log.close()

    state, events = read_back(db, incident_id)
    assert [f.text for f in state.contributing_factors] == [
        "the canary stage was skipped for 2.4.1"
    ]
    first, second = state.action_items
    assert (first.priority, first.type, first.ticket) == (
        "P1",
        "prevent",
        "https://tracker.example/CHK-12",
    )
    assert first.done and first.done_by == ACTOR and first.done_note.startswith("canary")
    assert not second.done and (second.priority, second.type, second.ticket) == ("", "", "")
    assert state.document is not None
    assert (state.document.status, state.document.owner, state.document.reviewers) == (
        "reviewed",
        "Ada Lovelace",
        ("Bo", "Cy"),
    )
    described = [describe(e) for e in events[-6:]]
    assert described[0] == "Contributing factor noted: the canary stage was skipped for 2.4.1"
    assert "P1, prevent, ticket https://tracker.example/CHK-12" in described[1]
    assert described[3] == "Action item 1 done: canary back in the pipeline"
    assert described[5] == "Report reviewed, owner Ada Lovelace, reviewers Bo, Cy"


def test_an_item_without_the_new_fields_stores_the_previous_shape(closed_db):
    db, incident_id, clock = closed_db
    session = session_on(db, incident_id, clock)
    postmortem.action_item(session, ACTOR, "Alert on retries", owner="Bo")
    session.log.close()
    _, events = read_back(db, incident_id)
    assert sorted(events[-1].payload) == ["by", "due", "owner", "text"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"priority": "P0"}, "unknown priority 'P0' (choose P1, P2, P3)"),
        ({"type": "blame"}, "unknown action type 'blame'"),
        ({"ticket": "javascript:alert(1)"}, "the ticket must be an http(s) URL"),
        ({"ticket": "https://x.example/a b"}, "the ticket must be an http(s) URL"),
        ({"ticket": "https:///nohost"}, "the ticket must be an http(s) URL"),
        # A bare link in the Markdown timeline ended at `)`: it led to x.example/a.
        ({"ticket": "https://x.example/a)(b"}, "write them as %28 %29 %5B %5D"),
        ({"ticket": "https://x.example/a)[x](javascript:alert(1))"}, "write them as %28"),
    ],
)
def test_bad_action_item_fields_are_refused(closed_db, options, message):
    db, incident_id, clock = closed_db
    session = session_on(db, incident_id, clock)
    before = session.state.last_seq
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        postmortem.action_item(session, ACTOR, "x", **options)
    assert session.state.last_seq == before
    session.log.close()


def test_marking_done_needs_an_open_item_that_exists(closed_db):
    db, incident_id, clock = closed_db
    session = session_on(db, incident_id, clock)
    with pytest.raises(CommandError, match=r"no action item 1 \(action items: none yet\)"):
        followup.action_done(session, ACTOR, 1)
    postmortem.action_item(session, ACTOR, "x")
    with pytest.raises(CommandError, match=r"no action item 2 \(action items: 1 to 1\)"):
        followup.action_done(session, ACTOR, 2)
    followup.action_done(session, ACTOR, 1)
    with pytest.raises(CommandError, match="action item 1 is already done"):
        followup.action_done(session, ACTOR, 1)
    session.log.close()


def test_a_reviewed_report_needs_a_closed_incident_and_another_reviewer(tmp_path, closed_db):
    scenario = scenario_copy("declared", tmp_path / "open.db")
    session = IncidentSession(scenario.log, scenario.incident_id, scenario.clock)
    with pytest.raises(CommandError, match="once the incident is closed"):
        followup.report_status(session, ACTOR, status="reviewed", reviewers=["Bo"])
    followup.report_status(session, ACTOR, reviewers=["Bo"])  # a draft may name them early
    assert session.state.document is not None
    assert session.state.document.owner == "Ada Lovelace"  # the commander, by default
    scenario.log.close()

    db, incident_id, clock = closed_db
    closed_session = session_on(db, incident_id, clock)
    with pytest.raises(CommandError, match="a reviewer other than its owner") as refused:
        followup.report_status(
            closed_session, ACTOR, status="reviewed", owner="Bo", reviewers=["Bo"]
        )
    assert refused.value.needs == ("reviewers",)
    with pytest.raises(CommandError, match="unknown report status 'final'"):
        followup.report_status(closed_session, ACTOR, status="final")
    closed_session.log.close()


def test_the_report_s_people_are_people_and_a_change_changes_something(closed_db):
    """'me' owned a report reviewed by 'root, you, unknown'; Ada, ada and ADA were three
    reviewers; a bare report-status recorded the same event again and again (a
    hostile review)."""
    db, incident_id, clock = closed_db
    session = session_on(db, incident_id, clock)
    with pytest.raises(CommandError, match="the report's owner: 'me' names no one"):
        followup.report_status(session, ACTOR, owner="me")
    with pytest.raises(CommandError, match="a reviewer: 'root' names no one"):
        followup.report_status(session, ACTOR, reviewers=["Bo", "root"])
    followup.report_status(session, ACTOR, reviewers=["Ada", "ada", "ADA", "Bo"])
    assert session.state.document is not None
    assert session.state.document.reviewers == ("Ada", "Bo")
    recorded = len(read_back(db, incident_id))
    with pytest.raises(CommandError, match="nothing to record") as refused:
        followup.report_status(session, ACTOR)
    assert refused.value.needs_one_of == ("status", "owner", "reviewers")  # any one changed
    assert refused.value.needs == ()
    with pytest.raises(CommandError, match="nothing to record"):
        followup.report_status(session, ACTOR, reviewers=["Bo", "ada"])  # the same two
    assert len(read_back(db, incident_id)) == recorded
    session.log.close()
