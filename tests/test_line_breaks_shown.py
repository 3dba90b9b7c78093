"""A note's line breaks are shown on one line, and a lone CR is ␍ everywhere (ux_review16 #16).

A multi-line note in the timeline read `multi-line note line two with \\| pipe - a list
item ...`: its line breaks turned into spaces, so "- a list item" read as a dash in a
sentence. A lone CR was a space there and a real line break in the Notes fence, where
every other control is a picture. Now one function (`incident.core.text.one_line`)
shows a line break as ` ⏎ ` and a lone CR as `␍` wherever text goes on one line (the
report's Timeline and tables, `timeline`, the screen's timeline), and the fence shows
the CR as `␍` too. Shown on a real SQLite file, read as `export` and `timeline` read it.
"""

from __future__ import annotations

from pathlib import Path

from incident.app.people import note
from incident.app.report_document import report_document
from incident.core.text import one_line
from incident.reports.describe import describe
from incident.reports.timeline import timeline_from
from store.sqlite_log import SqliteEventLog
from tests.gap_records import GAP_ID, at, polled_record

MULTI_LINE = (
    "multi-line note\nline two with | pipe\n\n- a list item\n```\nfence inside\n```\nlast line"
)
CONTROLS = "bell\a esc\x1b[31mred\x1b[0m tab\there CR\rover NUL-ish \x01 end"


def test_one_line_shows_each_line_break_and_a_lone_cr() -> None:
    assert one_line("a\nb") == "a ⏎ b"
    assert one_line("a\r\nb") == "a ⏎ b"  # CRLF is one line break
    assert one_line("a\rb") == "a␍b"  # a lone CR is a control, shown as the others are
    assert one_line("a\n\n- b") == "a ⏎ ⏎ - b"  # a blank line between kept
    assert one_line("\n\n  a  \tb\n\n") == "a b"  # blank lines around dropped, spaces folded
    assert one_line("one line\tas before") == "one line as before"
    assert one_line("esc\x1b[0m\n") == "esc␛[0m"


def test_a_notes_line_breaks_and_cr_are_shown_in_every_document(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with SqliteEventLog.open(db) as log:
        session = polled_record(log, [5], [])
        session.clock.set(at(30))  # type: ignore[attr-defined]
        note(session, "Dana Oncall", MULTI_LINE)
        session.clock.set(at(40))  # type: ignore[attr-defined]
        note(session, "Dana Oncall", CONTROLS)
        events = log.events(GAP_ID)
    with SqliteEventLog.open(db, read_only=True) as log:
        record, report = report_document(log, GAP_ID, at(60))
    timeline = timeline_from(record, at(60))

    shown = (
        "Note: multi-line note ⏎ line two with \\| pipe ⏎ ⏎ - a list item ⏎ \\`\\`\\` ⏎ "
        "fence inside ⏎ \\`\\`\\` ⏎ last line"
    )
    controls = "Note: bell␇ esc␛\\[31mred␛\\[0m tab here CR␍over NUL-ish ␁ end"
    for document in (report.split("## Timeline")[1], timeline):
        assert shown in document
        assert controls in document
    # the screen's timeline (and `attach`'s) shows what `describe` says
    described = [describe(event) for event in events if event.kind == "note.added"]
    assert described[0].startswith("Note: multi-line note ⏎ line two with | pipe ⏎ ⏎ - a list")
    assert described[1] == "Note: bell␇ esc␛[31mred␛[0m tab here CR␍over NUL-ish ␁ end"
    # the Notes section keeps the lines in a fence; the CR there is ␍, not a line break
    notes = report.split("### Notes")[1]
    assert "\nline two with | pipe\n\n- a list item\n" in notes
    assert "bell␇ esc␛\\[31mred␛\\[0m tab here CR␍over NUL-ish ␁ end" in notes
    assert "\nover NUL-ish" not in report
