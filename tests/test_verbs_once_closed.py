"""What a closed incident takes: the verb table says it (`Verb.open_only`), the use
cases do it, and the faces offer only that (`accepts`).

The TUI read nothing of it: after the close its footer still offered Check, Skip,
Approve and DB tier, which the record then refused. The table now marks each verb the
commands refuse once the incident is closed; this holds the mark to the use cases, on
a real record: every marked verb is refused and records nothing, every other verb is
recorded.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from incident.app.verb import Scope, Verb
from incident.app.verbs import BY_NAME, VERBS, accepts, run
from incident.core.errors import CommandError
from tests.cli_helpers import ROOT, InProcessCli
from tests.scenario_copies import scenario_copy
from tui.demo.scenarios import ACTOR

STEP = "assess-severity"
"""A step of the bundled runbook (refused once closed, whether done or not)."""

VALUES: dict[str, dict[str, object]] = {
    "check": {"step": STEP},
    "skip": {"step": STEP, "reason": "not needed"},
    "reopen": {"step": STEP, "reason": "a correction"},
    "approve": {"target": "decide-rollback", "reason": "agreed"},
    "decide": {"reason": "error rate at 12%"},
    "db-tier": {"tier": "none", "reason": "no schema change"},
    "trigger": {"trigger": "core-broken", "verdict": "met"},
    "note": {"text": "for the post-mortem"},
    "page": {"target": "payments on-call"},
    "assign": {"role": "comms-lead", "person": "Cy"},
    "handoff": {"to": "Bo", "reason": "shift end"},
    "channel": {"channel": "#inc-war-room"},
    "severity": {"severity": "SEV1", "reason": "worse than thought"},
    "baseline": {"probe": "error-rate", "value": 0.004},
    "send": {"text": "All clear: checkout is back on 2.4.0."},
    "decline": {"template": "update", "reason": "resolved already"},
    "close": {},
    "rca": {"text": "retries without backoff"},
    "factor": {"text": "no load test of the retry path"},
    "action": {"text": "add a retry budget"},
    "action-done": {"number": 1},
    "report-status": {"owner": "Bo"},
    "lesson": {"text": "the trigger fired within 15 s"},
    "schedule-postmortem": {"at": "PLACEHOLDER"},
    "status-page": {"note": "updated by hand at status.example.com"},
}
"""Arguments each recording verb takes on the `closed` scenario's incident."""

RECORDING = [v for v in VERBS if v.scope is Scope.RECORD and v.run is not None]


def test_every_recording_verb_has_arguments_here() -> None:
    assert sorted(VALUES) == sorted(v.name for v in RECORDING)


@pytest.mark.parametrize("verb", RECORDING, ids=lambda v: v.name)
def test_a_closed_incident_refuses_exactly_the_verbs_marked_open_only(
    verb: Verb, tmp_path: Path
) -> None:
    scenario = scenario_copy("closed", tmp_path / "closed.db")
    session = scenario.session
    values = dict(VALUES[verb.name])
    if verb.name == "schedule-postmortem":
        values["at"] = scenario.clock.now() + timedelta(days=1)
    if verb.name == "action-done":  # an action item to mark done, recorded first
        run(BY_NAME["action"], session, ACTOR, dict(VALUES["action"]))
    assert session.state.is_closed
    before = session.state.last_seq
    if verb.open_only:
        with pytest.raises(CommandError, match=f"incident {session.state.id} is closed"):
            run(verb, session, ACTOR, values)  # for that reason, not another
        assert session.state.last_seq == before  # nothing recorded
    else:
        done = run(verb, session, ACTOR, values)
        assert done.events, verb.name
    assert accepts(session.state, verb) is not verb.open_only


def test_an_open_incident_accepts_every_verb(tmp_path: Path) -> None:
    state = scenario_copy("resolved", tmp_path / "resolved.db").session.state
    assert not state.is_closed
    assert all(accepts(state, verb) for verb in VERBS)


def test_a_decision_recorded_as_a_note_is_refused_once_closed(tmp_path: Path) -> None:
    """A runbook with no decision gate records `decide` as a note, and a note goes on after
    the close; the decision does not (a review found it recorded after a forced close)."""
    cli = InProcessCli(tmp_path / "gateless.db")
    incident_id = cli.ok(
        "declare",
        "--runbook",
        str(ROOT / "runbooks" / "examples" / "rollback-checklist.md"),
        "--title",
        "t",
        "--severity",
        "SEV3",
        "--commander",
        "Ada",
    ).strip()
    assert "recorded as a note" in cli.ok("decide", incident_id, "--reason", "before")
    cli.ok("close", incident_id, "--force", "--reason", "false alarm")
    events = len(json.loads(cli.ok("export", incident_id, "--format", "json"))["events"])
    refused = cli.run("decide", incident_id, "--reason", "after the close")
    assert refused.code != 0 and f"incident {incident_id} is closed" in refused.err
    assert len(json.loads(cli.ok("export", incident_id, "--format", "json"))["events"]) == events
