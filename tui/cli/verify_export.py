"""`lastgood verify --export FILE`: a JSON export checked as `verify` checks a record.

For whoever was sent the export and not the database: its events' chain recomputed by
the store's own code (`store.export_file`), its head and count checked against what
the file says of them, and, with `--expect-head`, against a head kept elsewhere. The
lines and the JSON are `verify`'s.
"""

from __future__ import annotations

from pathlib import Path

from incident.core.chain import head_problem
from incident.core.text import visible
from incident.reports.event_place import (
    MOST_LISTED,
    Later,
    NamedEvent,
    declared_t0,
    named_event,
)
from store.errors import StoreError
from store.export_file import ExportedRecord, read_export
from tui.cli.arguments import Arguments
from tui.cli.edges import os_path
from tui.cli.errors import CliError, store_failure
from tui.cli.shown_stream import json_for_stdout
from tui.cli.verify_lines import verdict_entry, verdict_lines

PROBE_KIND = "probe.samples"


def verify_export(args: Arguments, expected: str | None) -> int:
    """Exit 1 if the export's chain is broken, disagrees with its own head or count, or
    does not hold the head expected; 0 otherwise."""
    try:
        exported = read_export(Path(os_path(args.export, "--export")))
    except StoreError as error:
        raise store_failure(error) from None
    report = exported.report
    if args.id and args.id != exported.incident_id:
        raise CliError(
            f"{visible(args.export)} is the export of {visible(exported.incident_id)}, "
            f"not {visible(args.id)}"
        )
    found_at: int | None = None
    mismatch = exported.claims_problem()
    if report.ok and not mismatch and expected is not None:
        expected, found_at = _kept_head(exported, expected)
        mismatch = head_problem(report, expected, found_at)
    bad = _bad_event(exported)
    later = _later(exported, found_at) if found_at and not mismatch else Later([], 0)
    if args.json:
        verdict = verdict_entry(report, expected, mismatch, found_at, bad, later.listed)
        print(json_for_stdout([verdict]))
    else:
        print("\n".join(verdict_lines(report, mismatch, found_at, bad, later)))
    return 1 if not report.ok or mismatch else 0


def _kept_head(exported: ExportedRecord, given: str) -> tuple[str, int | None]:
    """The whole hash `given` stands for in the export, and its event's seq (None when
    no event has it); a prefix two events' hashes start is refused, as `verify` does."""
    found = [item for item in exported.items if item.hash.startswith(given)]
    if len(found) > 1:
        raise CliError(
            f"--expect-head: {given!r} starts the hashes of more than one event of "
            f"{visible(exported.incident_id)}: give more of its digits"
        )
    return (found[0].hash, found[0].seq) if found else (given, None)


def _bad_event(exported: ExportedRecord) -> NamedEvent | None:
    """The event the export's chain stops at, named, if it could be read."""
    seq = exported.report.first_bad_seq
    found = next((item for item in exported.items if item.seq == seq), None)
    if exported.report.ok or found is None:
        return None
    return named_event(found, declared_t0(exported.items[0]))


def _later(exported: ExportedRecord, head_seq: int) -> Later:
    """`verify_places.events_after` for the export's events in memory."""
    after = [item for item in exported.items if item.seq > head_seq]
    others = [item for item in after if item.kind != PROBE_KIND]
    t0 = declared_t0(exported.items[0])
    listed = [named_event(item, t0) for item in others[:MOST_LISTED]]
    return Later(listed, len(after) - len(others))
