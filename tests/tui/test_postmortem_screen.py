"""The post-mortem screen, driven by keys: close-out done by doing it, then the close.

Each recording is read back from the database file by a second reader: the root
cause, the action item, the lesson, the booking and the exported report each
check their close-out step with the artefact as evidence.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from socket import gethostname

from textual.widgets import Label, OptionList

from incident.app.verbs import VERBS
from incident.core.state import IncidentState, fold
from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import fill_form, scenario_app, wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.modals import ConfirmModal, VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.postmortem import PostmortemScreen
from tui.app.widgets.phase_strip import UpdateCell
from tui.demo.scenarios import closing as closing_scenario


def app_on(tmp_path: Path, scenario_name: str) -> tuple[LastGoodApp, Path]:
    db = tmp_path / f"{scenario_name}.db"
    scenario = scenario_copy(scenario_name, db)
    app = scenario_app(scenario)
    return app, db


def recorded(db: Path) -> IncidentState:
    """The incident as a second reader finds it in the file."""
    with SqliteEventLog.open(db, read_only=True) as log:
        (incident_id,) = log.incident_ids()
        return fold(log.events(incident_id))


async def open_verb(pilot, name: str) -> None:
    """Move through the screen's verb list with the arrows to `name`, then Enter."""
    verbs = pilot.app.screen.query_one("#pm-verbs", OptionList)
    assert verbs.has_focus
    ids = [verbs.get_option_at_index(i).id for i in range(verbs.option_count)]
    target = ids.index(name)
    while verbs.highlighted != target:
        await pilot.press("down" if (verbs.highlighted or 0) < target else "up")
    await pilot.press("enter")
    await wait_for_screen(pilot, VerbForm)


async def from_palette_first(pilot, title: str) -> None:
    """Type `title` in the command palette and run the first result, by keys."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await wait_for_screen(pilot, CommandPalette)
    await pilot.press(*title)
    results = pilot.app.screen.query_one(CommandList)

    def first_is(title: str) -> bool:
        if not results.option_count:
            return False
        prompt = results.get_option_at_index(0).prompt
        return str(getattr(prompt, "plain", prompt)).split("\n")[0] == title

    await wait_until(pilot, lambda: first_is(title))
    if results.highlighted is None:
        await pilot.press("down")
    assert results.highlighted == 0
    await pilot.press("enter")


def closing(app: LastGoodApp) -> str:
    return str(app.screen.query_one("#pm-closing", Label).content)


def test_the_screen_lists_every_verb_flagged_for_it():
    from tui.app.screens.postmortem import POSTMORTEM_VERBS

    assert [v.name for v in POSTMORTEM_VERBS] == [v.name for v in VERBS if v.postmortem]
    assert {"rca", "action", "lesson", "schedule-postmortem", "export"} <= {
        v.name for v in POSTMORTEM_VERBS
    }


async def test_close_out_by_keys_records_each_artefact_and_checks_its_step(tmp_path):
    app, db = app_on(tmp_path, "resolved")
    clock = app.clock
    report = tmp_path / "out" / "report.md"
    report.parent.mkdir()
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        incident = app.screen
        await pilot.press("P")  # phase 4 is on show: P opens the post-mortem
        await wait_for_screen(pilot, PostmortemScreen)
        assert "Not ready to close" in closing(app)

        await open_verb(pilot, "rca")
        await fill_form(pilot, text="2.4.1 retried 502s\nwithout backoff")
        await wait_until(pilot, lambda: incident.state.steps["preliminary-rca"].done)

        await open_verb(pilot, "action")
        await fill_form(pilot, text="Add a retry budget", owner="Bo", due="2026-12-04")
        await wait_until(pilot, lambda: len(incident.state.action_items) == 1)

        await open_verb(pilot, "lesson")
        await fill_form(pilot, text="The trigger fired in 15 s", kind="went-well")
        await wait_until(pilot, lambda: len(incident.state.lessons) == 1)

        at = (clock.now() + timedelta(hours=25)).replace(microsecond=0)
        await open_verb(pilot, "schedule-postmortem")
        await fill_form(pilot, at=at.isoformat(), attendees="Ada, Bo")
        await wait_until(pilot, lambda: incident.state.steps["schedule-post-mortem"].done)

        await open_verb(pilot, "export")
        await fill_form(pilot, output=str(report))
        await wait_until(pilot, lambda: incident.state.steps["document-incident"].done)
        await wait_for_screen(pilot, PostmortemScreen)
        await wait_until(pilot, lambda: "can be closed" in closing(app))
        body = str(app.screen.query_one("#pm-body").content)
        assert "2.4.1 retried 502s" in body and "Add a retry budget" in body
        assert "What went well: The trigger fired in 15 s" in body

    state = recorded(db)
    assert [r.text for r in state.rca] == ["2.4.1 retried 502s\nwithout backoff"]
    rca = state.steps["preliminary-rca"]
    assert rca.evidence == "2.4.1 retried 502s without backoff" and rca.by == "ada"
    (item,) = state.action_items
    assert (item.text, item.owner, str(item.due)) == ("Add a retry budget", "Bo", "2026-12-04")
    assert [(x.text, x.category) for x in state.lessons] == [
        ("The trigger fired in 15 s", "went-well")
    ]
    assert state.postmortem is not None and state.postmortem.starts_at == at
    assert state.postmortem.attendees == ("Ada", "Bo")
    assert state.steps["schedule-post-mortem"].evidence.startswith("post-mortem booked for")
    # The export's evidence: the file written, and the head hash its report covers.
    evidence = state.steps["document-incident"].evidence
    match = re.fullmatch(r"report (.+), head ([0-9a-f]{64})", evidence)
    assert match is not None and match.group(1) == f"{report} on {gethostname()}"
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Incident report") and f"head hash `{match.group(2)}`" in text
    assert state.open_required_steps() == [] and not state.is_closed


async def test_a_meeting_already_past_is_refused_in_the_form_and_nothing_recorded(tmp_path):
    """The TUI books through the same use case as `schedule-postmortem`: a start after
    the resolution but before the screen's clock is refused there, in the same words."""
    app, db = app_on(tmp_path, "resolved")
    clock = app.clock
    before = recorded(db).last_seq
    past = (clock.now() - timedelta(minutes=1)).replace(microsecond=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("P")
        await wait_for_screen(pilot, PostmortemScreen)
        await open_verb(pilot, "schedule-postmortem")
        await fill_form(pilot, at=past.isoformat(), attendees="Ada, Bo")
        form = app.screen
        assert isinstance(form, VerbForm)
        await wait_until(pilot, lambda: "cannot start in the past" in form.error_message)
        assert past.strftime("%Y-%m-%d %H:%M:%S UTC was given") in form.error_message
        assert clock.now().strftime("it is now %Y-%m-%d %H:%M:%S UTC") in form.error_message
    state = recorded(db)
    assert state.postmortem is None and state.last_seq == before


async def test_closing_from_the_screen_asks_first(tmp_path):
    app, db = app_on(tmp_path, "close-out")
    clock = app.clock
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        incident = app.screen
        await from_palette_first(pilot, "Post-mortem")  # "Book post-mortem" comes second
        await wait_for_screen(pilot, PostmortemScreen)
        await pilot.press("X")  # required steps open: the close form, force and reason
        await wait_for_screen(pilot, VerbForm)
        await pilot.press("escape")
        await wait_for_screen(pilot, PostmortemScreen)
        await open_verb(pilot, "schedule-postmortem")
        at = (clock.now() + timedelta(hours=25)).replace(microsecond=0)
        await fill_form(pilot, at=at.isoformat())
        await wait_until(pilot, lambda: incident.state.steps["schedule-post-mortem"].done)
        await open_verb(pilot, "export")
        await fill_form(pilot, output=str(tmp_path / "r.md"))
        await wait_until(pilot, lambda: "can be closed" in closing(app))
        assert "X closes it (asks first)" in closing(app)

        await pilot.press("X")
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("n")  # not yet: nothing recorded
        await wait_for_screen(pilot, PostmortemScreen)
        assert not incident.state.is_closed
        await pilot.press("X")
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("y")
        await wait_until(pilot, lambda: incident.state.is_closed)
        await wait_until(pilot, lambda: closing(app).startswith("Closed."))
        await pilot.press("escape")  # back to the coordinator's screen
        await wait_for_screen(pilot, IncidentScreen)
    state = recorded(db)
    assert state.is_closed and not state.forced_close


async def test_the_update_clock_stops_once_resolved(tmp_path):
    app, _ = app_on(tmp_path, "resolved")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        cell = app.screen.query_one(UpdateCell)
        app.clock.advance(3600)  # an hour on: no update owed, none counted
        await wait_until(pilot, lambda: "none owed" in str(cell.content))
        assert "OVERDUE" not in str(cell.content) and "in " not in str(cell.content)
        # The resolution's time is not "at HH:MM", which reads as the next update's.
        assert str(cell.content).splitlines()[2].startswith("resolved ")
        assert " at " not in str(cell.content)


def test_post_mortem_screen_80x24(snap_compare, tmp_path):
    """Mid close-out: the root cause recorded (its step checked), one action item, one
    lesson; the report and the booking still to do, so not ready to close."""
    app, _ = app_on(tmp_path, "close-out")

    async def run_before(pilot) -> None:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("P")
        await wait_for_screen(pilot, PostmortemScreen)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_the_closing_line_wraps_whole_at_80_columns(tmp_path):
    """Every required step done, at 80x24: the line under the verbs said "X closes it
    (asks firs" and stopped at the terminal's edge, the rest of it (and, closed, the end
    of "can still be recorded.") cut. It wraps: every word of it is on the screen, read
    as the terminal shows it."""
    db = tmp_path / "closing.db"
    app = scenario_app(closing_scenario(db))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("P")
        await wait_for_screen(pilot, PostmortemScreen)
        await wait_until(pilot, lambda: "can be closed" in closing(app))
        await pilot.pause()
        shown = " ".join(" ".join(screen_lines(app)).split())
        assert "the incident can be closed. X closes it (asks first)." in shown

        await pilot.press("X")
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("y")
        await wait_until(pilot, lambda: closing(app).startswith("Closed."))
        await pilot.pause()
        shown = " ".join(" ".join(screen_lines(app)).split())
        assert "lessons and the meeting can still be recorded." in shown


async def book_and_export(pilot, tmp_path: Path, monkeypatch) -> tuple[str, str]:
    """Book the meeting, then export the report to a file in the working directory
    (as `INC-...-report.md` from a shell): the screen's lines after each toast."""
    app = pilot.app
    monkeypatch.chdir(tmp_path)
    await wait_for_screen(pilot, IncidentScreen)
    incident = app.screen
    await pilot.press("P")
    await wait_for_screen(pilot, PostmortemScreen)
    at = (app.clock.now() + timedelta(hours=25)).replace(microsecond=0)
    await open_verb(pilot, "schedule-postmortem")
    await fill_form(pilot, at=at.isoformat(), attendees="Ada, Bo")
    await wait_until(pilot, lambda: "checked schedule-post-mortem" in "\n".join(screen_lines(app)))
    booked = "\n".join(screen_lines(app))
    await open_verb(pilot, "export")
    await fill_form(pilot, output="INC-20261128-DEMO-report.md")
    await wait_until(pilot, lambda: incident.state.steps["document-incident"].done)
    await wait_until(pilot, lambda: "checked document-incident" in "\n".join(screen_lines(app)))
    return booked, "\n".join(screen_lines(app))


async def test_the_report_line_shows_the_head_the_toast_shows(tmp_path, monkeypatch):
    """At 100x30 the Document line wrapped its 64-character head hash onto a line of
    its own, flush left under the `[x]`; it shows the 12 the toast shows (the record
    keeps all 64, `test_close_out_by_keys_records_each_artefact_and_checks_its_step`),
    after where the report is: its absolute path and the machine (ux_review6 #14)."""
    app, db = app_on(tmp_path, "resolved")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        booked, exported = await book_and_export(pilot, tmp_path, monkeypatch)
    assert_toasts_whole(booked, exported)  # at 100x30 (`test_the_close_out_toasts_are_whole`)
    head = recorded(db).steps["document-incident"].evidence.rsplit(" ", 1)[-1]
    assert len(head) == 64
    # The path wraps (or is cut across rows) as long as it is: compared without blanks.
    rows = "".join("".join(line.strip("│ ").split()) for line in exported.splitlines())
    place = f"{tmp_path / 'INC-20261128-DEMO-report.md'} on {gethostname()}"
    line = f"[x] Document the incident: report {place}, head {head[:12]}"
    assert "".join(line.split()) in rows, exported
    assert f"head {head[:12]} " in exported and head[12:20] not in exported, exported


def assert_toasts_whole(booked: str, exported: str) -> None:
    """The booking's and the export's toasts, each whole on the screen after it."""
    assert "checked schedule-post-mortem (post-mortem booked)" in booked, booked
    assert "checked document-incident (report exported)" in exported, exported


async def test_the_close_out_toasts_are_whole(tmp_path, monkeypatch):
    """The booking's toast was cut at 100x30: `checked schedule-post-mortem
    (post-mortem` and no more, each of its two lines wrapped to two rows of the three
    a toast has under 38 rows. Here at 80x24; at 100x30 in the same run as the report
    line's head (`test_the_report_line_shows_the_head_the_toast_shows`)."""
    app, _ = app_on(tmp_path, "resolved")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        booked, exported = await book_and_export(pilot, tmp_path, monkeypatch)
    assert_toasts_whole(booked, exported)


RCA = (
    "5.2.0 changed the /health handler to require the fraud service, which was not "
    "deployed in prod, so every check failed"
)
ACTION = "Add fraud service to the prod readiness check | gate, and page on its absence"


async def test_wrapped_items_hang_under_their_text_at_100_columns(tmp_path):
    """ux_review16 #13: at 100x30 an item's wrapped lines started at the box's edge, under
    the check marks (`[x] Preliminary RCA: ... which` / `was not deployed in prod`), so
    each long item read as two. They start under the item's first word, as the
    checklist's do: under `Preliminary`, under `Add`."""
    from datetime import date

    from incident.app import postmortem

    db = tmp_path / "resolved.db"
    scenario = scenario_copy("resolved", db)
    postmortem.rca(scenario.session, "Chidi Okafor", RCA)
    postmortem.action_item(
        scenario.session,
        "Chidi Okafor",
        ACTION,
        owner="Chidi Okafor",
        due=date(2026, 12, 21),
        priority="P1",
        type="prevent",
    )
    app = scenario_app(scenario)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("P")
        await wait_for_screen(pilot, PostmortemScreen)
        await wait_until(pilot, lambda: "Preliminary RCA: 5.2.0" in "\n".join(screen_lines(app)))
        lines = [line.strip("│") for line in screen_lines(app)]

    def hangs(first: str, under: str) -> None:
        at = next(i for i, line in enumerate(lines) if first in line)
        column = lines[at].index(under)
        following = lines[at + 1]
        assert following[:column].strip() == "", (lines[at], following)
        assert following[column] != " ", (lines[at], following)

    hangs("[x] Preliminary RCA:", "Preliminary")
    hangs(f"[ ] 1. {ACTION[:20]}", "Add fraud")
