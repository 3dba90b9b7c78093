"""`lastgood export ID --for org`: the Markdown report for readers outside the incident
team, what the team wrote for itself left out (`incident.reports.for_org`)."""

from __future__ import annotations

from incident.app.report_document import org_report_document
from incident.app.written import REPORT, file_written
from incident.core.clock import SystemClock
from tui.cli.arguments import Arguments
from tui.cli.context import incident_of, open_log, require_incident
from tui.cli.errors import CliError
from tui.cli.reading import _emit, _zone, collector_paused, readable, warn_if_damaged, when_in

ONLY_MARKDOWN = (
    "--for org writes the Markdown report: no --format json or ics (the whole record, "
    "or the invitation, are the team's), no --check-step (that is the team's report)"
)


def cmd_org_report(args: Arguments) -> int:
    """The report for the org, written or printed; the line saying so quotes no head:
    the head covers the text the report leaves out."""
    if args.format != "markdown" or args.check_step:
        raise CliError(ONLY_MARKDOWN)
    with open_log(args, read_only=True) as log, collector_paused():
        require_incident(log, incident_of(log, args))
        now = SystemClock().now()
        record, text = readable(
            log, args.id, lambda: org_report_document(log, args.id, now, tz=_zone(args))
        )
    _emit(args, text, when_in(record.state, now), lambda path: file_written(REPORT, path))
    warn_if_damaged(record.damage)
    return 0
