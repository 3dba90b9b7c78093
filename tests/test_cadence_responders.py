"""The page to the responders is no stakeholder update (review 3, finding 3).

In a drill the announcement was declined and nothing went to stakeholders; the paging
message ("Paging the deployment team and on-call engineers…") at T+01:22 moved the
next update 20 minutes on, and the score card said `2 of 2 on time`, though the first
message stakeholders got went out at T+05:08. The bundled runbook says which of its
templates go to the responders (`cadence.to_responders: [paging]`); the cadence, the
missed update, `status`, the report and the score card count only the others. A
runbook that does not say so keeps counting every message, as it did.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from incident.core.clock import ManualClock
from incident.core.phase_clocks import cadence_messages, next_update_due
from incident.reports.drill_score import score_card, score_text
from runbooks import load_runbook, resolve_runbook
from runbooks.problems import RunbookError
from runbooks.serialize import runbook_from_data, runbook_to_data
from tests.cli_helpers import Cli, declare
from tests.cli_status import status
from tests.conftest import T0
from tests.drill_walk import at, drill_session, send


def test_the_bundled_runbook_sends_the_page_to_the_responders() -> None:
    runbook = load_runbook(resolve_runbook("rollback"))
    assert runbook.cadence.to_responders == ("paging",)
    assert runbook.to_responders("paging")
    assert not any(runbook.to_responders(t) for t in ("announce", "initiating", "update", None))


def test_the_page_does_not_move_the_next_update(clock: ManualClock) -> None:
    session = drill_session(clock)
    at(session, clock, 1 + 22 / 60, send("paging"))
    assert next_update_due(session.state) == T0 + timedelta(minutes=5)
    assert cadence_messages(session.state) == []
    at(session, clock, 4, send("initiating"))
    assert next_update_due(session.state) == T0 + timedelta(minutes=24)
    at(session, clock, 6, send("paging"))  # a second page moves nothing either
    assert next_update_due(session.state) == T0 + timedelta(minutes=24)


def test_the_score_card_misses_the_first_update_when_only_the_team_was_paged(
    clock: ManualClock,
) -> None:
    """Drill B of the review: paging at T+01:22, the first stakeholder message at
    T+05:08; the card said `2 of 2 on time ... - met`."""
    session = drill_session(clock)
    at(session, clock, 1 + 22 / 60, send("paging"))
    at(session, clock, 5 + 8 / 60, send("initiating"))
    text = score_text(score_card(session.state, clock.now()))
    assert (
        "Messages on cadence: 0 of 1 on time (first within 5m, then every 20m); "
        "latest 8s past due - missed"
    ) in text


def test_a_runbook_that_does_not_say_counts_the_page_as_before(clock: ManualClock) -> None:
    data = runbook_to_data(load_runbook(resolve_runbook("rollback")))
    cadence = data["cadence"]
    assert isinstance(cadence, dict)
    del cadence["to_responders"]
    older = runbook_from_data(data, "older.json")
    assert older.cadence.to_responders == ()
    from incident import commands
    from incident.app.session import IncidentSession
    from tests.drill_walk import ACTOR, DRILL
    from tests.memory_log import MemoryLog

    event = commands.declare(older, DRILL, actor=ACTOR, clock=clock, incident_id="INC-D-2")
    session = IncidentSession.declare(MemoryLog(), event, clock)
    at(session, clock, 1, send("paging"))
    assert next_update_due(session.state) == T0 + timedelta(minutes=21)


def test_the_key_survives_the_snapshot() -> None:
    runbook = load_runbook(resolve_runbook("rollback"))
    again = runbook_from_data(runbook_to_data(runbook), "snapshot.json")
    assert again.cadence == runbook.cadence


@pytest.mark.parametrize(
    ("listed", "message"),
    [
        ("[pagin]", "no template 'pagin' (templates: "),
        ("[paging, paging]", "template 'paging' is listed twice in 'to_responders'"),
        ("paging", "'to_responders' must be a list"),
        ("[3]", "'to_responders' must list template ids"),
        ("[paging, update]", "template 'update' is the update-due message (notify.send)"),
    ],
)
def test_validate_names_the_line_of_a_wrong_to_responders(
    tmp_path: Path, listed: str, message: str
) -> None:
    text = resolve_runbook("rollback").read_text(encoding="utf-8")
    text = text.replace("  to_responders: [paging]\n", f"  to_responders: {listed}\n")
    line = text.splitlines().index(f"  to_responders: {listed}") + 1
    path = tmp_path / "rb.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RunbookError) as raised:
        load_runbook(path)
    shown = str(raised.value)
    assert message in shown
    assert f"rb.yaml:{line}:" in shown


def test_validate_from_the_cli_names_file_and_line(tmp_path: Path) -> None:
    text = resolve_runbook("rollback").read_text(encoding="utf-8")
    text = text.replace("  to_responders: [paging]\n", "  to_responders: [pagin]\n")
    line = text.splitlines().index("  to_responders: [pagin]") + 1
    path = tmp_path / "rb.yaml"
    path.write_text(text, encoding="utf-8")
    result = Cli(tmp_path / "incidents.db").run("validate", str(path))
    assert result.code != 0
    assert f"rb.yaml:{line}:" in result.err + result.out
    assert "no template 'pagin'" in result.err + result.out


def test_status_keeps_the_next_update_when_the_team_is_paged(tmp_path: Path) -> None:
    """`status` run as a user runs it: sending the paging message leaves the next
    stakeholder update where it was; the initiating message moves it."""
    cli = Cli(tmp_path / "incidents.db")
    incident_id = declare(cli)
    due = status(cli, incident_id)["next_update_due"]
    cli.ok("send", incident_id, "--template", "paging")
    assert status(cli, incident_id)["next_update_due"] == due
    cli.ok("send", incident_id, "--template", "initiating")
    assert status(cli, incident_id)["next_update_due"] != due


def test_the_missed_first_update_is_the_first_though_the_team_was_paged(
    clock: ManualClock,
) -> None:
    """Only the page went out by T+5: the record says the *first* stakeholder update
    was missed, against the 5-minute first update, not a 20-minute round."""
    from incident import commands
    from incident.core.payloads import UpdateOverdue

    session = drill_session(clock)
    at(session, clock, 1, send("paging"))
    clock.set(T0 + timedelta(minutes=6))
    made = commands.record_overdue_update(session.state, actor="lastgood", clock=clock)
    assert len(made) == 1
    missed = made[0].data
    assert isinstance(missed, UpdateOverdue)
    assert (missed.due_at, missed.first, missed.cadence_min) == (
        T0 + timedelta(minutes=5),
        True,
        5,
    )
