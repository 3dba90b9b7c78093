"""Exporting an incident to a file, in the three formats `export` writes, for every face.

`lastgood export` wrote the Markdown report, the whole record as JSON or the post-mortem
invitation; the TUI's Export report form, whose help said the same, wrote Markdown
whatever the file was called: a `.ics` a calendar rejects without saying why
(ux_review16 #11). The format is now one choice for both faces, which also follows
the file's name (`format_for`), and a file named for another format is refused in one
line. Each format is written by the use case `export` and `ics` call: the report by
`closeout.export_report`, the record by `json_export_record`, the invitation by
`invitation`.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from pathlib import PurePath

from incident.app.outcome import Done
from incident.app.session import IncidentSession
from incident.core.errors import CommandError
from incident.core.log import EventLog
from incident.reports.record import ReportRecord

MARKDOWN = "markdown"
JSON = "json"
ICS = "ics"

FORMATS: tuple[tuple[str, str], ...] = (
    (MARKDOWN, "Markdown: the incident report"),
    (JSON, "JSON: the whole record"),
    (ICS, "ics: the post-mortem invitation"),
)
"""Each format `export --format` takes, and how a form names it."""

SUFFIXES: dict[str, str] = {".md": MARKDOWN, ".markdown": MARKDOWN, ".json": JSON, ".ics": ICS}
"""The file names each format is known by: what a name ending so is taken to hold."""

NAMES: dict[str, str] = {MARKDOWN: "Markdown", JSON: "JSON", ICS: "ics"}

SPOOL_IN_MEMORY = 8 * 1024 * 1024
"""Bytes of a JSON export's events kept in memory before they spill to a temporary file."""
COPY_BYTES = 1024 * 1024

WriteParts = Callable[[Iterable[bytes]], object]
"""Writes the file's bytes where the face was asked to (the file I/O is the face's)."""


def named_format(path: str) -> str | None:
    """The format a file's name says it holds (`report.md`, `record.json`,
    `postmortem.ics`), None for a name that says none (`report.txt`, `-`)."""
    return SUFFIXES.get(PurePath(path).suffix.lower())


def format_for(path: str, chosen: str | None, *, instead: str = "") -> str:
    """The format to write to `path`: the one `chosen`, else the one its name says, else
    Markdown; a file named for another format than the one chosen is refused in one line
    (Markdown written to `report.ics` was a calendar file no client read; and `ics -o
    out.md` a calendar in a Markdown file). `instead`: how to write the format the name
    says, for a verb that writes one format only (`choose ics` otherwise, `--format`)."""
    named = named_format(path)
    if chosen is None:
        return named or MARKDOWN
    if named is not None and named != chosen:
        other = instead.format(NAMES[named]) if instead else f"choose {NAMES[named]}"
        raise CommandError(
            f"{PurePath(path).name} is named for {NAMES[named]}, not {NAMES[chosen]}: "
            f"{other}, or end the name in {suffix_of(chosen)}"
        )
    return chosen


def suffix_of(fmt: str) -> str:
    """The name's ending for a format: `.md`, `.json`, `.ics`."""
    return next(suffix for suffix, named in SUFFIXES.items() if named == fmt)


def with_format(path: str, fmt: str) -> str:
    """`path` renamed for `fmt` when its name is for another format (`x-report.md` to
    `x-report.ics`); as it is when its name says none, or the same."""
    named = named_format(path)
    if named is None or named == fmt:
        return path
    pure = PurePath(path)
    renamed = str(pure.with_suffix(suffix_of(fmt)))
    return f"./{renamed}" if path.startswith("./") and not renamed.startswith("./") else renamed


@contextmanager
def json_export_parts(
    log: EventLog, incident_id: str, now: datetime, encode: Callable[[str], bytes]
) -> Iterator[tuple[ReportRecord, Iterable[bytes]]]:
    """The whole record as JSON (`json_export_record`), as bytes `encode` makes of its
    text, with the record it covers; to be written before the context ends.

    The figures come before the events in the document and are known only once every
    event has passed: the events wait in a spool, not in memory, encoded once as they
    pass and copied out as bytes (tens of megabytes at 100,000 events: decoding and
    encoding them again cost a tenth of the export)."""
    from incident.app.report_document import json_export_record

    with tempfile.SpooledTemporaryFile(SPOOL_IN_MEMORY) as spool:
        record, head, tail = json_export_record(
            log, incident_id, now, lambda text: spool.write(encode(text))
        )
        spool.seek(0)
        events = iter(lambda: spool.read(COPY_BYTES), b"")
        yield record, itertools.chain([encode(head)], events, [encode(tail)])


def export_file(
    session: IncidentSession,
    actor: str,
    path: str,
    write: WriteParts,
    *,
    fmt: str | None,
    check_step: bool,
    tz: tzinfo | None = None,
) -> Done:
    """Write the incident to `path` in `fmt` (or the format its name says: `format_for`),
    as `export` writes it; `check_step` (the Markdown report only) then checks the
    close-out step it completes (`closeout.export_report`)."""
    from incident.app import closeout
    from incident.app.written import INVITATION, RECORD, file_written

    fmt = format_for(path, fmt)
    if fmt == MARKDOWN:
        return closeout.export_report(
            session,
            actor,
            path,
            lambda text: write([text.encode()]),
            check_step=check_step,
            tz=tz,
        )
    if check_step:
        raise CommandError(f"checking the step needs the Markdown report, not {NAMES[fmt]}")
    if fmt == JSON:
        with json_export_parts(session.log, session.state.id, session.clock.now(), str.encode) as (
            record,
            parts,
        ):
            write(parts)
        return file_written(RECORD, path, record.head_hash)
    from incident.app.invitation import invitation
    from incident.reports.ics import NotScheduled

    try:
        made = invitation(session.log, session.state.id)
    except NotScheduled:
        raise CommandError(
            f"no post-mortem booked for {session.state.id}: book it first (schedule-postmortem)",
            verbs=("schedule-postmortem",),
        ) from None
    write([made.text.encode()])
    return file_written(INVITATION, path)
