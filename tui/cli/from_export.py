"""`lastgood timeline --export FILE` and `lastgood export --export FILE`: the post-mortem
timeline and the Markdown report written from a JSON export, for whoever was sent the
export and not the database.

The export's events are read and verified as `verify --export` reads them
(`store.export_file`), then made into the documents by the code that makes them from a
database (`read_record`, `timeline_from`, `markdown_report_from`): an export edited on
the way gives documents that say where it stops verifying, as a database's do.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from msgspec import structs

from incident.app.written import REPORT, TIMELINE, file_written
from incident.core.clock import SystemClock
from incident.core.text import visible
from incident.reports.for_org import items_for_org
from incident.reports.record import ReportRecord, read_record
from incident.reports.report import markdown_report_from
from store.errors import StoreError
from store.export_file import ExportedRecord, read_export
from tui.cli.arguments import Arguments
from tui.cli.edges import os_path
from tui.cli.errors import DAMAGED, CliError, store_failure
from tui.cli.reading import _emit, _zone, check_gap, settle_format, timeline_text, when_in
from tui.cli.reading import cmd_export as export_from_database
from tui.cli.reading import cmd_timeline as timeline_from_database


def exported(args: Arguments) -> tuple[ExportedRecord, ReportRecord]:
    """The export `--export` names, and the record its documents are made from; refused
    in one line when it is no export, another incident's, or holds no readable event."""
    try:
        found = read_export(Path(os_path(args.export, "--export")))
    except StoreError as error:
        raise store_failure(error) from None
    shown = visible(str(found.path))
    if args.id and args.id != found.incident_id:
        raise CliError(
            f"{shown} is the export of {visible(found.incident_id)}, not {visible(args.id)}"
        )
    if not found.items:
        raise CliError(
            f"{shown}: no event of {visible(found.incident_id)} can be read in it "
            f"(`lastgood verify --export {shown}` says why)",
            exit_code=DAMAGED,
        )
    return found, read_record(iter(found.items), found.walk)


def warn_of(found: ExportedRecord) -> None:
    """On stderr after a document of an export that does not verify, or disagrees with
    its own head or count: the document says the first, not the second."""
    shown = visible(str(found.path))
    report = found.report
    if not report.ok:
        problem = f"damaged at event {report.first_bad_seq} ({report.problem})"
    elif said := found.claims_problem():
        problem = said
    else:
        return
    print(
        f"WARNING: the export {shown} is {problem}; `lastgood verify --export {shown}` says more",
        file=sys.stderr,
    )


def timeline_of_export(args: Arguments, gap: timedelta) -> int:
    """`timeline --export FILE`: the timeline (Markdown, or `--json`) of the export."""
    found, record = exported(args)
    now = SystemClock().now()
    text = timeline_text(args, record, now, gap)
    _emit(args, text, when_in(record.state, now), lambda path: file_written(TIMELINE, path))
    warn_of(found)
    return 0


def report_of_export(args: Arguments) -> int:
    """`export --export FILE`: the Markdown report of the export (it is already the JSON,
    and `ics` reads a database)."""
    if args.format != "markdown" or args.check_step:
        raise CliError(
            "--export writes the Markdown report of a JSON export: no --format json or "
            "ics, no --check-step (the export is not the record to check a step in)"
        )
    found, record = exported(args)
    if args.audience == "org":
        items = items_for_org(found.items)
        record = structs.replace(read_record(items, found.walk), for_org=True)
    now = SystemClock().now()
    text = markdown_report_from(record, now, tz=_zone(args))
    head = "" if record.for_org else record.head_hash
    _emit(args, text, when_in(record.state, now), lambda path: file_written(REPORT, path, head))
    warn_of(found)
    return 0


def cmd_export(args: Arguments) -> int:
    """`export`: of the export `--export` names, else of the database; `--for org` the
    report for readers outside the team."""
    settle_format(args)
    if args.export is not None:
        return report_of_export(args)
    if args.audience == "org":
        from tui.cli.org_report import cmd_org_report

        return cmd_org_report(args)
    return export_from_database(args)


def cmd_timeline(args: Arguments) -> int:
    """`timeline`: of the export `--export` names, else of the database."""
    if args.export is None:
        return timeline_from_database(args)
    check_gap(args)
    return timeline_of_export(args, timedelta(minutes=args.gap))
