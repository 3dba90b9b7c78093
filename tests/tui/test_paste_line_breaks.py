"""A pasted line break is a line break, however the terminal sends it.

Terminals send a pasted line break as a carriage return (tmux's paste-buffer, xterm,
VTE and Alacritty all do). Before: a paste's text was shown as `visible_block` shows
recorded text, which keeps only LF and CRLF as line breaks, so two pasted lines went
into the note as `line one␍line two` and were recorded so.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.tui.incident_in_tmux import declared_incident, note_dialog


def test_two_pasted_lines_are_two_lines_of_the_note(tmp_path: Path) -> None:
    cli, incident = declared_incident(tmp_path)
    with note_dialog(cli, incident, tmp_path) as (tmux, pane):
        tmux("set-buffer", "--", "line one\nline two")
        tmux("paste-buffer", "-p", "-t", pane)  # bracketed; tmux sends the LF as CR
        screen = tmux.wait_for(pane, "the pasted text", lambda s: "line two" in s)
        assert "\u240d" not in screen
        rows = [row for row in screen.splitlines() if "line one" in row or "line two" in row]
        assert len(rows) == 2, rows  # one line each, in the field
        assert "line one" in rows[0]
        assert "line two" not in rows[0]
        tmux.keys(pane, "C-s")
        tmux.wait_for(pane, "the note on the timeline", lambda s: "Note: line one" in s)
        tmux.keys(pane, "q")
        tmux.wait_for(pane, "the app closed", lambda s: "exit=0" in s)

    events = json.loads(cli.ok("export", incident, "--format", "json"))["events"]
    notes = [event["payload"]["text"] for event in events if event["kind"] == "note.added"]
    assert notes == ["line one\nline two"]
