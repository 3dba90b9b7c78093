"""What a real terminal sends is data (`tui/app/terminal_input.py`).

Before: the pasted Latin-1 `é` (0xE9) of "café" killed Textual's input thread, and
`lastgood start` ended in a traceback with exit 0 and the note's text gone; pasted
control characters were drawn raw into the terminal and recorded raw. They are drawn
as pictures now, and recorded as pasted, as `lastgood note` records them.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from textual.drivers import linux_driver
from textual.drivers.linux_driver import LinuxDriver

from tests.tmux import Tmux
from tests.tui.incident_in_tmux import declared_incident, note_dialog
from tui.app.app import LastGoodApp
from tui.app.read_only_app import ReadOnlyApp
from tui.app.terminal_input import InputAsData, decode_leniently, replacing_decoder

LATIN1_CAFE = "63 61 66 e9 78 79"
"""`caf`, Latin-1 `é` (not UTF-8: a lead byte with no continuation), then `xy`."""
SHOWN = "caf\ufffdxy"


PASTED = "ab\x07cd\x01ef\x7fgh\u202eij"
"""A bell, a start of heading, a delete and a right-to-left override (an ESC inside a
paste: `test_paste_with_escapes.py`)."""
PASTED_DRAWN = "ab\u2407cd\u2401ef\u2421gh\u2426ij"
"""As the note's field draws it: one character in place of each."""
PASTED_SHOWN = "ab\u2407cd\u2401ef\u2421gh\\u202eij"
"""As the timeline shows it."""


def test_a_latin1_byte_in_a_note_is_kept_as_a_replacement_character(tmp_path: Path) -> None:
    cli, incident = declared_incident(tmp_path)
    with note_dialog(cli, incident, tmp_path) as (tmux, pane):
        tmux("send-keys", "-t", pane, "-H", *LATIN1_CAFE.split())
        tmux.wait_for(pane, "the typed text", lambda s: SHOWN in s)
        _record_and_quit(tmux, pane, SHOWN)

    assert f"Note: {SHOWN}" in cli.ok("timeline", incident)


def test_pasted_control_characters_are_drawn_as_pictures_and_recorded_as_pasted(
    tmp_path: Path,
) -> None:
    cli, incident = declared_incident(tmp_path)
    with note_dialog(cli, incident, tmp_path) as (tmux, pane):
        tmux("set-buffer", "--", PASTED)
        tmux("paste-buffer", "-p", "-t", pane)  # bracketed, as the app asked
        tmux.wait_for(pane, "the pasted text", lambda s: PASTED_DRAWN in s)
        _record_and_quit(tmux, pane, PASTED_SHOWN)

    events = json.loads(cli.ok("export", incident, "--format", "json"))["events"]
    notes = [event["payload"]["text"] for event in events if event["kind"] == "note.added"]
    assert notes == [PASTED]


def _record_and_quit(tmux: Tmux, pane: str, shown: str) -> None:
    """Submit the note, see it on the timeline, and quit: exit 0, not a traceback."""
    tmux.keys(pane, "C-s")
    tmux.wait_for(pane, "the note on the timeline", lambda s: f"Note: {shown}" in s)
    tmux.keys(pane, "q")
    tmux.wait_for(pane, "the app closed", lambda s: "exit=0" in s)


@pytest.fixture
def strict_linux_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Linux driver as Textual ships it, restored after the test."""
    monkeypatch.setattr(linux_driver, "getincrementaldecoder", codecs.getincrementaldecoder)


@pytest.mark.usefixtures("strict_linux_driver")
def test_the_driver_decodes_leniently_once_and_for_its_subclasses() -> None:
    class OwnDriver(LinuxDriver):
        pass

    decode_leniently(OwnDriver)
    decode_leniently(OwnDriver)
    assert linux_driver.getincrementaldecoder is replacing_decoder
    decoder = linux_driver.getincrementaldecoder("utf-8")()
    assert decoder.decode(b"caf\xe9", final=False) + decoder.decode(b"xy") == SHOWN


@pytest.mark.parametrize("app", [LastGoodApp, ReadOnlyApp])
def test_every_app_takes_its_terminal_input_as_data(app: type[object]) -> None:
    assert issubclass(app, InputAsData)
