"""`lastgood brief ID --for stakeholders`: words for people outside the incident
(ux_review13 #15). The only paragraph that said what happened was the report's Summary,
inside a 320-line Markdown export, in T+ offsets, with Markdown escapes. One plain
paragraph now: clock times (UTC, the report's zone beside), what broke, what was done,
how production is, when the next update comes; the report's own summary facts.
"""

from __future__ import annotations

import re
from datetime import timedelta

from incident import commands
from incident.app.session import IncidentSession
from incident.app.stakeholder_brief import stakeholder_words
from incident.core.clock import ManualClock
from incident.core.state import IncidentState
from incident.reports.milestones import milestones
from incident.reports.summary_facts import summary_steps
from tests.cli_helpers import InProcessCli, declare
from tests.conftest import T0
from tests.drill_walk import ACTOR, drill_session, walk


def close_now(session: IncidentSession, clock: ManualClock) -> IncidentState:
    session.run(lambda s: commands.close(s, actor=ACTOR, clock=clock, force=True, reason="done"))
    return session.state


def test_brief_for_stakeholders_is_one_plain_paragraph_in_clock_times(tmp_path):
    cli = InProcessCli(tmp_path / "incidents.db", actor="Ada")
    incident = declare(
        cli, "--title", "Error rate > 5% on *checkout*", "--issue", "checkout <failing> for 12%"
    )
    said = cli.ok("brief", incident, "--for", "stakeholders", "--tz", "Europe/Paris")
    assert said.count("\n") == 1, said  # one paragraph, to paste
    assert "T+" not in said and "\\" not in said and "`" not in said
    assert "Error rate > 5% on *checkout*" in said  # as typed, no Markdown escapes
    assert "What broke: checkout <failing> for 12%." in said
    # Paris is an hour ahead: from 23:00 UTC its clock time carries the next day's date
    local = r"\((?:\d{4}-\d\d-\d\d )?\d\d:\d\d CET\)"
    assert re.match(rf"As of \d\d:\d\d UTC {local}: SEV2 ", said), said
    assert "the rollback is being decided." in said
    assert "Production now: not measured." in said
    assert re.search(rf"Next update by \d\d:\d\d UTC {local}\.$", said.strip()), said
    cli.ok("send", incident, "--template", "resolved")
    after = cli.ok("brief", incident, "--for", "stakeholders", "--tz", "UTC")
    assert re.search(r"the incident was resolved at \d\d:\d\d UTC\.", after), after
    assert after.strip().endswith("No further updates are scheduled."), after
    refused = cli.run("brief", incident, "--for", "stakeholders", "--json")
    assert (refused.code, refused.out) == (2, "")
    assert refused.err.count("\n") == 1 and "Traceback" not in refused.err


def test_the_words_tell_the_reports_summary_in_clock_times():
    clock = ManualClock(T0)
    session = drill_session(clock)
    walk(session, clock, close=False)
    clock.advance(60)
    state = session.state
    words = stakeholder_words(state, clock.now(), None)
    found = {m.key: m for m in milestones(state, [])}
    steps = summary_steps(state, found.__getitem__)
    assert [s.words for s in steps] == [
        "the rollback was decided at",
        "the application was rolled back at",
        "service was verified at",
        "the incident was resolved at",
    ]
    for step in steps:
        assert step.at is not None
        assert f"{step.words} {step.at:%H:%M} UTC" in words, words
    assert f"Impact started at {T0:%H:%M} UTC;" in words
    assert "Production now: error rate" in words and "2.4.0 running" in words
    assert "T+" not in words
    # closed: polling ended with it, and the words say production as it was then
    closed = stakeholder_words(close_now(session, clock), clock.now(), None)
    assert f"Production at the close, {clock.now():%H:%M} UTC: error rate" in closed
    # a day later, each time says its day
    later = stakeholder_words(session.state, clock.now() + timedelta(days=1), None)
    assert later.startswith(f"As of {clock.now() + timedelta(days=1):%Y-%m-%d %H:%M} UTC: ")
