"""One scripted incident, once through the command line and once through the TUI.

The CLI's `main` runs in this process (`tests/cli_helpers.InProcessCli`: what it
records does not depend on the process around it, which tests/test_cli.py covers);
the TUI is driven by keys and the command palette. Both use the bundled runbook and
record into their own database file. Since both faces call the same use cases, the two
records must be the same: the same events with the same payloads, the same folded
status and the same exported Markdown report, once incident ids and the moments (the
CLI runs on the wall clock, the TUI on a test clock) are set aside.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

from textual.widgets import Input, OptionList, Select

from incident.core.clock import ManualClock
from incident.core.events import JSONValue, format_timestamp, parse_timestamp
from incident.core.state import fold
from incident.reports.status import status_data
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli
from tests.tui.pilot_helpers import fill_form, from_palette, highlight, wait_for_screen
from tui.app.app import LastGoodApp
from tui.app.modals import ComposerModal, DatabaseTierModal, DecisionModal, DeclareModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook

ACTOR = "ada"
DECLARED = {
    "title": "Checkout 500s after 2.4.1",
    "commander": "Ada",
    "issue": "checkout 500s",
    "eta": "30",
    "channel": "#inc-checkout",
    "from_version": "2.4.1",
    "last_good_version": "2.4.0",
}
CHECK_NOTE = "5xx at 12%, over the trigger"
SKIP_REASON = "paged the team by phone"
DECISION = "checkout broken for everyone"
TIER_REASON = "expand-contract: 2.4.0 reads the new schema"
NOTE = "load balancer back on blue"
PAGED = "payments on-call"
SEVERITY_REASON = "every checkout fails"
RCA = "a migration dropped a column that 2.4.1 still read"
ACTION = ("rehearse the rollback monthly", "Bo", "2031-06-30")
LESSON = "the error-rate trigger fired in time"
CLOSE_REASON = "verification continues tomorrow"


def meeting_at(closed_at: datetime) -> str:
    """30 h after the close: inside the post-mortem's 24-48 h window."""
    return format_timestamp(closed_at + timedelta(hours=30))


def through_the_cli(db: Path, report: Path) -> str:
    cli = InProcessCli(db, actor=ACTOR)
    incident = cli.ok(
        "declare",
        *("--title", DECLARED["title"], "--severity", "SEV2", "--commander", "Ada"),
        *("--issue", DECLARED["issue"], "--eta", "30", "--pattern", "blue-green"),
        *("--channel", DECLARED["channel"], "--from-version", "2.4.1", "--last-good", "2.4.0"),
    ).strip()
    cli.ok("check", incident, "assess-severity", "--note", CHECK_NOTE)
    cli.ok("skip", incident, "assemble-team", "--reason", SKIP_REASON)
    cli.ok("decide", incident, "--reason", DECISION)
    cli.ok("db-tier", incident, "none", "--reason", TIER_REASON)
    cli.ok("note", incident, NOTE, "--pin")
    cli.ok("page", incident, PAGED)
    cli.ok("assign", incident, "comms-lead", "Cy")
    cli.ok("send", incident, "--template", "announce")
    cli.ok("severity", incident, "SEV1", "--reason", SEVERITY_REASON)
    cli.ok("baseline", incident, "error-rate", "--value", "0.004")
    cli.ok("rca", incident, RCA)
    cli.ok("action", incident, ACTION[0], "--owner", ACTION[1], "--due", ACTION[2])
    cli.ok("lesson", incident, LESSON, "--kind", "went-well")
    cli.ok("close", incident, "--force", "--reason", CLOSE_REASON)
    closed_at = json.loads(cli.ok("status", incident, "--json"))["closed_at"]
    cli.ok("schedule-postmortem", incident, "--at", meeting_at(parse_timestamp(closed_at)))
    cli.ok("export", incident, "-o", str(report))
    return incident


async def through_the_tui(db: Path, report: Path) -> str:
    clock = ManualClock(SCENARIO_T0)
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(
            log,
            bundled_runbook(),
            clock=clock,
            actor=ACTOR,
            new_incident_id="INC-TUI",
            network=False,
        )
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, DeclareModal)
            for field, value in DECLARED.items():
                app.screen.query_one(f"#{field}", Input).value = value
            app.screen.query_one("#severity", Select).value = "SEV2"  # as --severity SEV2
            app.screen.query_one("#pattern", Select).value = "blue-green"
            await pilot.press("ctrl+s")
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen

            async def then(*keys: str) -> None:
                await wait_for_screen(pilot, IncidentScreen)
                clock.advance(1)
                await pilot.press(*keys)

            clock.advance(1)
            highlight(screen, "assess-severity")
            await from_palette(pilot, "Check")  # the palette's check asks for a note
            await fill_form(pilot, note=CHECK_NOTE)
            await wait_for_screen(pilot, IncidentScreen)
            highlight(screen, "assemble-team")
            await then("s")
            await fill_form(pilot, "enter", reason=SKIP_REASON)

            await then("d")
            await wait_for_screen(pilot, DecisionModal)
            app.screen.query_one("#reason", Input).value = DECISION
            await pilot.press("ctrl+s")

            await then("b")
            await wait_for_screen(pilot, DatabaseTierModal)
            app.screen.query_one("#tiers", OptionList).highlighted = 0  # none
            app.screen.query_one("#reason", Input).value = TIER_REASON
            await pilot.press("ctrl+s")

            await then("n")
            await fill_form(pilot, text=NOTE, pin=True)
            await then("p")
            await fill_form(pilot, "enter", target=PAGED)
            await then("r")
            await fill_form(pilot, role="comms-lead", person="Cy")

            await then("c")
            await wait_for_screen(pilot, ComposerModal)
            app.screen.query_one("#template", Select).value = "announce"
            await pilot.pause()
            await pilot.press("ctrl+s")

            await then("v")
            await fill_form(pilot, severity="SEV1", reason=SEVERITY_REASON)
            for title, values in (
                ("Baseline", {"probe": "error-rate", "value": "0.004"}),
                ("Root cause", {"text": RCA}),
                ("Action item", {"text": ACTION[0], "owner": ACTION[1], "due": ACTION[2]}),
                ("Lesson", {"text": LESSON, "kind": "went-well"}),
            ):
                await then()
                await from_palette(pilot, title)
                await fill_form(pilot, **values)
            await then("X")
            await fill_form(pilot, force=True, reason=CLOSE_REASON)

            await then()
            closed_at = screen.state.closed_at
            assert closed_at is not None
            await from_palette(pilot, "Book post-mortem")
            await fill_form(pilot, at=meeting_at(closed_at))
            await then("e")
            await fill_form(pilot, "enter", output=str(report))
            await wait_for_screen(pilot, IncidentScreen)
            return screen.state.id


MOMENTS = [
    (re.compile(r"\bT\+\d+(:\d\d)+"), "T+<offset>"),
    # A time on the incident's first day is written without its date, so the two runs
    # write a moment either way depending on how close to midnight (UTC) they ran.
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?"), "<time>"),
    (re.compile(r"\b\d\d:\d\d(:\d\d)?\b"), "<time>"),
    (re.compile(r"\b\d{8}T\d{6}Z\b"), "<moment>"),
    (re.compile(r"\b(\d+h\d\dm\d\ds|\d+m\d\ds|[1-5]?\ds|0\.\d+s)(?!\w)"), "<duration>"),
    (re.compile(r"\b[0-9a-f]{64}\b"), "<hash>"),
]
"""What differs between a run on the wall clock and one on a test clock."""


DATE = re.compile(r"\b\d{4}-\d\d-\d\d\b")


def plain(text: str, incident: tuple[str, date]) -> str:
    """`text` with the incident's id, its days (declared, +1, +2) and its moments set aside."""
    incident_id, declared = incident
    text = text.replace(incident_id, "<incident>")
    for pattern, placeholder in MOMENTS:
        text = pattern.sub(placeholder, text)

    def day(found: re.Match[str]) -> str:
        offset = (date.fromisoformat(found.group()) - declared).days
        return f"<day+{offset}>" if 0 <= offset <= 2 else found.group()

    return DATE.sub(day, text)


def normalised(value: JSONValue, incident: tuple[str, date]) -> JSONValue:
    if isinstance(value, str):
        return plain(value, incident)
    if isinstance(value, dict):
        return {
            key: None if key.endswith("_s") else normalised(item, incident)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [normalised(item, incident) for item in value]
    return value


def recorded(db: Path, incident_id: str) -> tuple[JSONValue, JSONValue, tuple[str, date]]:
    """The events (kind, actor, payload) and the folded status, with moments set aside."""
    with SqliteEventLog.open(db, read_only=True) as log:
        events = log.events(incident_id)
        assert log.verify(incident_id).ok
    state = fold(events)
    incident = (incident_id, state.declared_at.date())
    listed: JSONValue = [
        {"kind": e.kind, "actor": e.actor, "payload": dict(e.payload)} for e in events
    ]
    status = status_data(state, events[-1].at)
    return normalised(listed, incident), normalised(status, incident), incident


async def test_the_cli_and_the_tui_record_the_same_incident(tmp_path):
    cli_report, tui_report = tmp_path / "cli.md", tmp_path / "tui.md"
    cli_id = through_the_cli(tmp_path / "cli.db", cli_report)
    tui_id = await through_the_tui(tmp_path / "tui.db", tui_report)

    cli_events, cli_status, cli_incident = recorded(tmp_path / "cli.db", cli_id)
    tui_events, tui_status, tui_incident = recorded(tmp_path / "tui.db", tui_id)
    assert isinstance(cli_events, list) and len(cli_events) > 15
    assert tui_events == cli_events
    assert tui_status == cli_status

    cli_text = plain(cli_report.read_text(encoding="utf-8"), cli_incident)
    tui_text = plain(tui_report.read_text(encoding="utf-8"), tui_incident)
    assert "## Lessons Learned" in cli_text and RCA in cli_text
    assert tui_text.splitlines() == cli_text.splitlines()
