"""A paste that carries ESC (coloured log output, through tmux) is one paste, in order.

Before: Textual's parser read whatever followed an ESC inside a bracketed paste as
key presses, sent before the paste itself (the ESC as `^`). Pasting
`not needed ␛[0mtoday⏎more` into the Skip dialog's reason skipped the step at once
with the reason `^[0mtoday` (the pasted line break was an Enter), `not needed ` came
after, and `more` was typed as keys into whatever had the focus then; pasted into a
note, `before ␛[31mERR` came out as `^[31mERRbefore `. The parser is fed such an
ESC as ␛, and the paste then given its text as sent: the field holds the ESC and draws
it as ␛, and the record holds it, as `lastgood note` would.
"""

from __future__ import annotations

import json
from pathlib import Path

from incident.core.text import visible
from tests.cli_helpers import Cli
from tests.tmux import Tmux
from tests.tui.incident_in_tmux import declared_incident, incident_open
from tui.app.terminal_input import PasteAsData


def test_a_pasted_colour_code_stays_inside_the_note_in_place(tmp_path: Path) -> None:
    cli, incident = declared_incident(tmp_path)
    pasted = "before \x1b[31mERR\x1b[0m after"
    shown = "before \u241b[31mERR\u241b[0m after"
    with incident_open(cli, incident, tmp_path) as (tmux, pane):
        tmux.keys(pane, "n")
        tmux.wait_for(pane, "the note dialog", lambda s: "Text *" in s)
        _paste(tmux, pane, pasted)
        tmux.wait_for(pane, "the pasted text", lambda s: shown in s)
        tmux.keys(pane, "C-s")
        tmux.wait_for(pane, "the note on the timeline", lambda s: f"Note: {shown}" in s)
        _quit(tmux, pane)

    assert _payloads(cli, incident, "note.added", "text") == [pasted]


def test_a_paste_with_escapes_and_a_line_break_does_not_submit_the_skip(
    tmp_path: Path,
) -> None:
    cli, incident = declared_incident(tmp_path)
    with incident_open(cli, incident, tmp_path) as (tmux, pane):
        tmux.keys(pane, "s")
        tmux.wait_for(pane, "the skip dialog", lambda s: "Reason *" in s)
        _paste(tmux, pane, "not needed \x1b[0mtoday\nmore")
        drawn = "not needed \u241b[0mtoday\u240amore"  # the one-line field holds it all
        tmux.wait_for(pane, "the pasted reason", lambda s: drawn in s)
        # Still open, nothing recorded: the reason is the user's to finish and submit.
        assert "step.skipped" not in _kinds(cli, incident)
        tmux.keys(pane, " by hand", literal=True)
        tmux.keys(pane, "Enter")
        tmux.wait_for(pane, "the skip recorded", lambda s: "Skipped assess-severity" in s)
        _quit(tmux, pane)

    assert _payloads(cli, incident, "step.skipped", "reason") == [
        "not needed \x1b[0mtoday\nmore by hand"
    ]


def test_a_paste_is_recorded_as_the_cli_records_the_same_text(tmp_path: Path) -> None:
    """Pasted into the note, `zw\u200bj` (a real U+200B) was recorded as the six
    characters `\u200b`, ESC as `␛` and U+202E as `\u202e`, while `lastgood note`
    recorded the characters: one paste, two records, and a search of the record for the
    character missed the TUI's (review 5, finding 17). The field holds the characters
    and draws ␦ and ␛ in their place; both records hold the text, and the timeline
    shows both as codes and pictures."""
    cli, incident = declared_incident(tmp_path)
    pasted = "zw\u200bj rlm\u200f fill\u3164 tag\U000e0041 x\u200d \u202eevil \x1b[31mred"
    cli.ok("note", incident, pasted)
    with incident_open(cli, incident, tmp_path) as (tmux, pane):
        tmux.keys(pane, "n")
        tmux.wait_for(pane, "the note dialog", lambda s: "Text *" in s)
        _paste(tmux, pane, pasted)
        drawn = "zw\u2426j rlm\u2426 fill\u2426 tag\u2426 x\u2426 \u2426evil \u241b[31mred"
        tmux.wait_for(pane, "the pasted text", lambda s: drawn in s)
        tmux.keys(pane, "C-s")
        shown = visible(pasted)[:30]  # as much as the timeline shows of it
        tmux.wait_for(pane, "the note on the timeline", lambda s: s.count(shown) == 2)
        _quit(tmux, pane)

    assert _payloads(cli, incident, "note.added", "text") == [pasted, pasted]


def test_the_parser_keeps_a_paste_whole_across_reads() -> None:
    """The terminal's bytes come in reads of any size: an ESC inside the paste, or the
    paste's end marker, cut between two reads still ends the paste once, in place."""
    stream = "a\x1b[200~x\x1b[31my\x1b[201~b\x1b[200~\x1b\x1b[201~"
    for cut in range(1, len(stream)):
        parser = PasteAsData()
        events = [*parser.feed(stream[:cut]), *parser.feed(stream[cut:]), *parser.feed("")]
        seen = [getattr(e, "text", None) or getattr(e, "character", None) for e in events]
        assert seen == ["a", "x\x1b[31my", "b", "\x1b"], cut


def _paste(tmux: Tmux, pane: str, text: str) -> None:
    """Paste `text` bracketed, as the app asked: tmux sends its ESC as it is."""
    tmux("set-buffer", "--", text)
    tmux("paste-buffer", "-p", "-t", pane)


def _quit(tmux: Tmux, pane: str) -> None:
    tmux.keys(pane, "q")
    tmux.wait_for(pane, "the app closed", lambda s: "exit=0" in s)


def _events(cli: Cli, incident: str) -> list[dict[str, object]]:
    events: list[dict[str, object]] = json.loads(cli.ok("export", incident, "--format", "json"))[
        "events"
    ]
    return events


def _kinds(cli: Cli, incident: str) -> list[object]:
    return [event["kind"] for event in _events(cli, incident)]


def _payloads(cli: Cli, incident: str, kind: str, field: str) -> list[object]:
    return [
        payload[field]
        for event in _events(cli, incident)
        if event["kind"] == kind and isinstance(payload := event["payload"], dict)
    ]
