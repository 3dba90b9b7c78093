"""How every face says a file was written: what it holds, where it went, and, for a
file that quotes the record's head, that head (the report; the whole record, whose
head hash `verify --expect-head` takes back).

One wording for `export` in each format, `timeline`, `ics` and `init`: before, the
Markdown export said `report written to FILE (head H)` and the others `wrote FILE`.
"""

from __future__ import annotations

from incident.app.outcome import Done
from incident.app.whole_file import STDOUT_NAME

REPORT = "report"
"""The Markdown incident report (`export`)."""
RECORD = "record"
"""The whole record as JSON (`export --format json`)."""
TIMELINE = "timeline"
"""The post-mortem timeline (`timeline`, in Markdown or JSON)."""
INVITATION = "invitation"
"""The post-mortem meeting as iCalendar (`ics`, `export --format ics`)."""
RUNBOOK = "runbook"
"""A starter runbook (`init`)."""

HEAD_SHOWN_CHARS = 12
"""Of the head hash, in the line: enough to tell heads apart; the file has all 64."""


def written_line(what: str, path: str, head_hash: str = "") -> str:
    """`what written to path`, with `(head H)` when the file quotes a head; `-` is
    named as what it means (`init -o -` said "written to -")."""
    head = f" (head {head_hash[:HEAD_SHOWN_CHARS]})" if head_hash else ""
    where = "standard output" if path == STDOUT_NAME else path
    return f"{what} written to {where}{head}"


def file_written(what: str, path: str, head_hash: str = "") -> Done:
    """A file written from the record, and nothing recorded (a reading verb's outcome)."""
    return Done([], written_line(what, path, head_hash))
