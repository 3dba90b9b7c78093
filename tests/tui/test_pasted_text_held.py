"""Text pasted into the TUI's forms is recorded as `lastgood` records the same text.

Before: a paste was changed before a field took it, ESC into `␛` and U+202E into the
six characters `\\u202e` (and, before that, U+200B into `\\u200b` too), so a note
pasted into the TUI held other characters than the same note given to `lastgood
note`, and a search of the record for the character missed the TUI's (review 5,
finding 17). The fields hold what is pasted and draw its pictures instead.

Each form is pasted into as the terminal sends a paste (a line break as CR), the CLI
run as a person runs it on a real SQLite file with the text as copied; the text each
records is compared, and the screen searched for the raw characters.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from incident.core.clock import SystemClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli
from tests.tui.coordinator_harness import coordinator
from tests.tui.pilot_helpers import from_palette, highlight, wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.modals import ComposerModal
from tui.app.modals.base import LastgoodModal
from tui.app.screens.incident import IncidentScreen

COPIED = "zw\u200bj \x1b[31mred\x1b[0m \u202eevil [bold]b[/bold] one\ntwo"
"""The text as copied: a zero-width space, a colour code, a bidi override, markup and
two lines."""
SENT = COPIED.replace("\n", "\r")
"""The paste as a terminal sends it: its line break as CR."""
DRAWN = "zw\u2426j \u241b[31mred\u241b[0m \u2426evil [bold]b[/bold] one"
"""How a field draws it (the line break as ␊ in a one-line field, a new line in a text
area)."""
RAW = ("\x1b", "\u202e", "\u200b", "\r")
"""What the terminal must never be sent as text."""

Open = Callable[[Pilot[None], IncidentScreen], Awaitable[None]]


async def _keys(pilot: Pilot[None], screen: IncidentScreen, *keys: str) -> None:
    await pilot.press(*keys)


async def _check(pilot: Pilot[None], screen: IncidentScreen) -> None:
    highlight(screen, "assess-severity")
    await from_palette(pilot, "Check")  # the palette's check asks for a note


async def _skip(pilot: Pilot[None], screen: IncidentScreen) -> None:
    highlight(screen, "create-channel")
    await pilot.press("s")


FORMS: list[tuple[str, Open, str, dict[str, str], list[str]]] = [
    # (the event, how the form opens, the field pasted into, others typed, the CLI's words)
    ("note.added", lambda p, s: _keys(p, s, "n"), "#param-text", {}, ["note", "{id}", "{text}"]),
    (
        "step.checked",
        _check,
        "#param-note",
        {},
        ["check", "{id}", "assess-severity", "--note", "{text}"],
    ),
    (
        "step.skipped",
        _skip,
        "#param-reason",
        {},
        ["skip", "{id}", "create-channel", "--reason", "{text}"],
    ),
    (
        "approval.granted",
        lambda p, s: _keys(p, s, "d"),
        "#reason",
        {},
        ["decide", "{id}", "--reason", "{text}"],
    ),
    (
        "commander.handed_off",
        lambda p, s: _keys(p, s, "h"),
        "#param-reason",
        {"#param-to": "Bo"},
        ["handoff", "{id}", "Bo", "--reason", "{text}"],
    ),
]


def _texts(events_: list[dict[str, object]], kind: str) -> list[dict[str, object]]:
    """The pasted text in the payload of each `kind` event holding some, by field."""
    found = (
        {key: value for key, value in payload.items() if isinstance(value, str) and "zw" in value}
        for event in events_
        if event["kind"] == kind and isinstance(payload := event["payload"], dict)
    )
    return [texts for texts in found if texts]


def _exported(cli: Cli, incident: str) -> list[dict[str, object]]:
    events_: list[dict[str, object]] = json.loads(cli.ok("export", incident, "--format", "json"))[
        "events"
    ]
    return events_


def _held(widget: object) -> str:
    """What a form's field holds."""
    if isinstance(widget, TextArea):
        return widget.text
    assert isinstance(widget, Input)
    return widget.value


def _raw_on(app: LastGoodApp) -> list[str]:
    return [row for row in screen_lines(app) if any(raw in row for raw in RAW)]


async def test_each_form_records_a_paste_as_the_cli_records_the_text(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "cli.db", actor="ada")
    on_cli = cli.ok(
        "declare", "--title", "Checkout errors", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    for _kind, _open, _field, _others, words in FORMS:
        cli.ok(*(w.format(id=on_cli, text=COPIED) for w in words))
    by_cli = _exported(cli, on_cli)

    tui_db = tmp_path / "tui.db"
    async with coordinator(tui_db, size=(120, 40)) as (app, pilot, screen):
        for kind, open_form, field, others, _words in FORMS:
            await wait_for_screen(pilot, IncidentScreen)
            await open_form(pilot, screen)
            await wait_until(pilot, lambda: isinstance(app.screen, LastgoodModal))
            form = app.screen
            for other, value in others.items():
                form.query_one(other, Input).value = value
            widget = form.query_one(field)
            widget.focus()
            app.post_message(events.Paste(SENT))
            await wait_until(pilot, lambda: bool(_held(widget)))  # noqa: B023
            assert _held(widget) == COPIED, kind
            await pilot.pause()
            assert any(DRAWN in row for row in screen_lines(app)), kind
            assert _raw_on(app) == [], kind
            await pilot.press("ctrl+s")
            await wait_for_screen(pilot, IncidentScreen)
        assert _raw_on(app) == []
    by_tui = _exported(Cli(tui_db, actor="ada"), screen.state.id)

    for kind, *_ in FORMS:
        assert _texts(by_tui, kind) == _texts(by_cli, kind), kind
        assert _texts(by_cli, kind), kind


ISSUE = "db \x1b[31mdown\x1b[0m \u202eevil"


async def test_a_template_sent_from_the_composer_is_recorded_as_the_cli_sends_it(
    tmp_path: Path,
) -> None:
    """The composer is filled with the template's message, the incident's issue in it:
    it was filled with the message as shown (`␛`, `\\u202e`), and sent so, where
    `lastgood send --template` recorded the issue's characters. It holds the message
    now, and draws it in place."""
    texts = []
    for name in ("cli", "tui"):
        cli = Cli(tmp_path / f"{name}.db", actor="ada")
        incident = cli.ok(
            *("declare", "--title", "Checkout errors", "--severity", "SEV2"),
            *("--commander", "Ada", "--issue", ISSUE, "--eta", "30"),
        ).strip()
        if name == "cli":
            cli.ok("send", incident, "--template", "initiating")
        else:
            await _sent_from_the_composer(cli.db, incident)
        sent = [e for e in _exported(cli, incident) if e["kind"] == "communication.sent"]
        texts.append([e["payload"]["text"] for e in sent])  # type: ignore[index]
    assert texts[1] == texts[0]
    assert ISSUE in texts[0][0]


async def _sent_from_the_composer(db: Path, incident: str) -> None:
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, clock=SystemClock(), actor="ada", incident_id=incident)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            await pilot.press("c")
            await wait_for_screen(pilot, ComposerModal)
            app.screen.query_one("#template", Select).value = "initiating"
            drawn = "db \u241b[31mdown\u241b[0m \u2426evil"
            await wait_until(pilot, lambda: any(drawn in row for row in screen_lines(app)))
            assert _raw_on(app) == []
            await pilot.press("ctrl+s")
            await wait_for_screen(pilot, IncidentScreen)
            assert _raw_on(app) == []
