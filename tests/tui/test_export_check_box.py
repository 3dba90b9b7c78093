"""`e` writes the report; whether it also checks "Document the incident" is a box.

Pressing `e` in Phase 1 to share a snapshot used to record the incident as
documented. The export form now shows `check_step` as a checkbox, ticked as
`closeout.report_checks_step` says: unticked while the close-out phase is still to
come, ticked once it has begun, absent when there is nothing to check. Space on the
step itself still writes the report and checks it, with no box. Each run reads what
was recorded back from the database file with a second reader.
"""

from __future__ import annotations

from pathlib import Path
from socket import gethostname

from textual.widgets import Label

from incident.core.state import IncidentState, fold
from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import fill_form, highlight, scenario_app, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import VerbForm
from tui.app.modals.parts import MarkedCheckbox
from tui.app.screens.incident import IncidentScreen

STEP = "document-incident"


def app_on(tmp_path: Path, scenario_name: str) -> tuple[LastGoodApp, Path]:
    db = tmp_path / f"{scenario_name}.db"
    return scenario_app(scenario_copy(scenario_name, db)), db


def recorded(db: Path) -> IncidentState:
    with SqliteEventLog.open(db, read_only=True) as log:
        (incident_id,) = log.incident_ids()
        return fold(log.events(incident_id))


def box(app: LastGoodApp) -> MarkedCheckbox | None:
    found = app.screen.query(MarkedCheckbox).filter("#param-check_step")
    return found.first() if found else None


def said(app: LastGoodApp) -> str:
    return "\n".join(n.message for n in app._notifications)


async def test_e_in_phase_one_writes_the_report_and_leaves_the_step_open(tmp_path):
    app, db = app_on(tmp_path, "declared")  # T+0:42, Phase 1
    report = tmp_path / "snapshot.md"
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("e")
        await wait_for_screen(pilot, VerbForm)
        check = box(app)
        assert check is not None and check.value is False
        assert 'Check step: mark "Document the incident" done by this report' in str(check.label)
        await fill_form(pilot, "enter", output=str(report))
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: "nothing recorded" in said(app))
        assert f"{STEP} left open" in said(app)
    assert report.read_text(encoding="utf-8").startswith("# Incident report")
    state = recorded(db)
    assert not state.steps[STEP].done and state.steps[STEP].evidence == ""


async def test_e_in_phase_four_checks_the_step_by_default(tmp_path):
    app, db = app_on(tmp_path, "resolved")  # T+36, Phase 4 under way
    report = tmp_path / "report.md"
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        await pilot.press("e")
        await wait_for_screen(pilot, VerbForm)
        check = box(app)
        assert check is not None and check.value is True
        await fill_form(pilot, "enter", output=str(report))
        await wait_until(pilot, lambda: screen.state.steps[STEP].done)
    evidence = recorded(db).steps[STEP].evidence
    assert evidence.startswith(f"report {report} on {gethostname()}, head ")
    assert report.read_text(encoding="utf-8").startswith("# Incident report")


async def test_the_box_unticked_by_keys_in_phase_four_records_nothing(tmp_path):
    app, db = app_on(tmp_path, "resolved")
    before = recorded(db)
    report = tmp_path / "draft.md"
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("e")
        await wait_for_screen(pilot, VerbForm)
        app.screen.query_one("#param-output").value = str(report)
        await pilot.press("tab", "tab")  # from the file, past the format, to the box
        check = box(app)
        assert check is not None and check.has_focus
        await pilot.press("space")
        assert check.value is False
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: "nothing recorded" in said(app))
    assert report.exists()
    assert not recorded(db).steps[STEP].done
    assert recorded(db).last_seq == before.last_seq


async def test_a_closed_incident_offers_no_box_and_records_nothing(tmp_path):
    app, db = app_on(tmp_path, "closed")
    before = recorded(db).last_seq
    report = tmp_path / "closed.md"
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("e")
        await wait_for_screen(pilot, VerbForm)
        assert box(app) is None
        await fill_form(pilot, "enter", output=str(report))
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: "nothing recorded" in said(app))
    assert report.exists() and recorded(db).last_seq == before


async def test_space_on_the_step_in_phase_one_still_writes_and_checks_it(tmp_path):
    """Checking "Document the incident" is asking for it: the export's form, no box."""
    app, db = app_on(tmp_path, "declared")
    report = tmp_path / "documented.md"
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        highlight(screen, STEP)
        await pilot.pause()
        await pilot.press("space")
        await wait_for_screen(pilot, VerbForm)
        assert box(app) is None
        await fill_form(pilot, "enter", output=str(report))
        await wait_until(pilot, lambda: screen.state.steps[STEP].done)
    assert (
        recorded(db).steps[STEP].evidence.startswith(f"report {report} on {gethostname()}, head ")
    )


async def test_a_ticked_box_with_the_report_sent_nowhere_is_refused(tmp_path):
    """/dev/null keeps no report to read: the step is not checked on its word, in the TUI
    as with `export --check-step` (the rule is the use case's, `export_report`)."""
    app, db = app_on(tmp_path, "resolved")
    before = recorded(db).last_seq
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("e")
        await wait_for_screen(pilot, VerbForm)
        assert (check := box(app)) is not None and check.value is True
        form = app.screen
        await fill_form(pilot, "enter", output="/dev/null")
        error = form.query_one("#error", Label)
        await wait_until(pilot, lambda: "kept in a file" in str(error.content))
        assert "/dev/null is not one" in str(error.content)
        assert app.screen is form  # still asking: another file, or the box unticked
    assert recorded(db).last_seq == before
