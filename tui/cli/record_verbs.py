"""`verify` and the damage warnings that read-only verbs print: the record's integrity.

Kept apart from `tui.cli.verbs` (already long) because these read the chain's
report, not the incident's state.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

from incident.core.chain import GENESIS_HASH, ChainReport, head_problem
from incident.core.events import JSONValue
from incident.core.text import visible
from store.cut_short import cut_short
from store.errors import DamagedFile, StoreError
from tui.cli.arguments import Arguments
from tui.cli.context import require_incident
from tui.cli.errors import CliError
from tui.cli.opening import open_log_or_damage
from tui.cli.shown_stream import json_for_stdout
from tui.cli.verify_lines import broken_line, verdict_entry, verdict_lines
from tui.cli.verify_places import bad_event, events_after

TYPE_CHECKING = False
if TYPE_CHECKING:
    from store.backends import EventRecord


NO_INCIDENTS = (
    "no incidents to verify (an incident deleted outright leaves nothing to verify: "
    "`lastgood verify ID --expect-head HASH`, with a head kept elsewhere, finds it)"
)

SHORT_HEAD = 12
"""The fewest hex digits of a head `--expect-head` takes: the faces print 12 (as
`head 75f74cf092ff`), and a reviewer writes down what they were shown."""


@cache
def _sha256_prefix() -> re.Pattern[str]:
    return re.compile(rf"[0-9a-f]{{{SHORT_HEAD},64}}")


def _expected_head(args: Arguments) -> str | None:
    given: str | None = args.expect_head
    if given is None:
        return None
    if args.all:
        raise CliError("--expect-head checks one incident: give its ID, not --all")
    digest = given.strip().lower()
    if not _sha256_prefix().fullmatch(digest):
        raise CliError(
            f"--expect-head: {given!r} is not a head hash (64 hex digits, or the first "
            f"{SHORT_HEAD} or more of them)"
        )
    return digest


def whole_head(log: EventRecord, incident_id: str, given: str) -> str:
    """The hash `given` stands for: itself when whole; for a prefix, the one event's hash
    it starts (one that starts none stays as given: no event holds it). A prefix two
    events' hashes start is refused: which head was kept cannot be told."""
    if len(given) == 64:
        return given
    found = log.hashes_starting(incident_id, given)
    if len(found) > 1:
        raise CliError(
            f"--expect-head: {given!r} starts the hashes of more than one event of "
            f"{visible(incident_id)}: give more of its digits"
        )
    return found[0] if found else given


def cmd_verify(args: Arguments) -> int:
    """Exit 1 if any chain is broken, or if it no longer holds the head kept elsewhere
    (`--expect-head`: cut from the end or rewritten); events recorded after that head
    are counted, not refused."""
    if args.all and args.id:
        raise CliError(
            f"both {args.id} and --all were given: the ID checks that incident, --all every one"
        )
    if not args.all and not args.id and args.export is None:
        raise CliError("give an incident ID or --all (or --export FILE)")
    expected = _expected_head(args)
    if args.export is not None:
        from tui.cli.verify_export import verify_export  # reads a file, not the record

        return verify_export(args, expected)
    failed = 0
    results: list[JSONValue] = []
    with open_log_or_damage(args) as log:
        if isinstance(log, DamagedFile):
            return _unopened(args, log, expected)
        damaged_file = log.file_problem()
        if expected is not None and not damaged_file and not log.has_incident(args.id):
            return _gone(log, args.id, expected, json=args.json)
        ids = _incident_ids(log, None if args.all else args.id, damaged=bool(damaged_file))
        if not ids and not args.json and not damaged_file:
            print(NO_INCIDENTS)
        for incident_id in ids:
            report = _verified(log, incident_id, alone=not args.all and not damaged_file)
            if damaged_file and report.ok and not report.count:
                report = _unread(incident_id, "no event of it can be read in this damaged file")
            mismatch = ""
            found_at: int | None = None
            if report.ok and expected is not None:
                expected = whole_head(log, incident_id, expected)
                found_at = log.seq_of_hash(incident_id, expected)
                mismatch = head_problem(report, expected, found_at)
            failed += bool(not report.ok or mismatch)
            bad = bad_event(log, report)
            later = events_after(log, incident_id, found_at or report.count, report.count)
            if args.json:
                if report.ok and not mismatch and damaged_file:
                    short = _cut_short(log.path)
                    found = f"{short}; {damaged_file}" if short else damaged_file
                    mismatch = f"the chain verifies, but the file is damaged: {found}"
                results.append(
                    verdict_entry(report, expected, mismatch, found_at, bad, later.listed)
                )
            else:
                print("\n".join(verdict_lines(report, mismatch, found_at, bad, later)))
        if damaged_file:
            line = file_damage(log.path, damaged_file, short=_cut_short(log.path))
            print(line, file=sys.stderr if args.json else None)
    if args.json:
        print(json_for_stdout(results))
    return 1 if failed or damaged_file else 0


def _gone(log: EventRecord, incident_id: str, expected: str, *, json: bool) -> int:
    """A head was kept of an incident the record holds no event of: deleted outright (or
    the ID or the database is not the one the head was kept from). Without the kept head
    nothing would show it; with it, it is what a cut tail is: exit 1."""
    problem = (
        f"no event of it is in {visible(str(log.path))}, yet its head {expected} was kept: "
        "the incident was deleted, or this is not the ID or the database it was kept from"
    )
    if json:
        gone = ChainReport(incident_id, True, 0, GENESIS_HASH)
        print(json_for_stdout([verdict_entry(gone, expected, problem, None)]))
    else:
        print(f"{visible(incident_id)}: NOT THE EXPECTED HEAD: {problem}")
    return 1


def _unopened(args: Arguments, damage: DamagedFile, expected: str | None) -> int:
    """`verify` of a file SQLite cannot open for damage (a file cut short, a page its
    schema is on overwritten): the verdict a damaged page gets, exit 1, with the incident
    asked for broken at its start (none of it read); `--all` can list no incident."""
    short = _cut_short(damage.path)
    unread = f"unreadable: the file cannot be opened: {short or damage.finding}"
    reports = [] if args.all else [_unread(args.id, unread)]
    line = file_damage(damage.path, damage.finding, short=short, opened=False)
    if args.json:
        print(json_for_stdout([verdict_entry(report, expected, "", None) for report in reports]))
    for report in reports if not args.json else ():
        print(broken_line(report))
    print(line, file=sys.stderr if args.json else None)
    return 1


def _cut_short(path: object) -> str | None:
    """`store.cut_short` of a SQLite file (a PostgreSQL record has no file)."""
    return cut_short(path) if isinstance(path, Path) else None


def file_damage(path: object, problem: str, *, short: str | None, opened: bool = True) -> str:
    """The line `verify` prints for a file whose own structure SQLite finds damaged: its
    chains may all verify, but what reads through a damaged index misses rows. `short`
    says that the file is shorter than its header says (`store.cut_short`), the likely
    cause; `opened` False, SQLite could not even open it."""
    lead = f"{short}; " if short else ""
    said = "SQLite's integrity check says" if opened else "SQLite cannot open it:"
    return (
        f"{visible(str(path))}: DAMAGED FILE: {lead}{said} "
        f"{visible(problem)}; work from a copy (`sqlite3 FILE .recover` salvages the rows)"
    )


def _incident_ids(log: EventRecord, given: str | None, *, damaged: bool) -> list[str]:
    """The incidents to verify: `given`, refused if the record holds none of it, or
    every one (`--all`). On a file SQLite finds damaged, a look-up the damage defeats
    is no refusal (exit 2, as if the file were not read): `given` is still verified,
    and is unreadable, and `--all` verifies what it can list, which may be nothing;
    the damage line then says why (exit 1). A record that cannot be reached now (exit
    75) is not read as damaged."""
    try:
        if given is None:
            return log.incident_ids()
        if not damaged:
            require_incident(log, given)  # on a damaged file, not found is unread
    except StoreError as error:
        if not damaged or error.transient:
            raise
        return [] if given is None else [given]
    return [given]


def _verified(log: EventRecord, incident_id: str, *, alone: bool) -> ChainReport:
    """`incident_id`'s chain report; with `--all`, or on a damaged file, an incident the
    store cannot read (a corrupt page) is a broken chain at its start, and the others
    are still verified: the first such one ended `verify --all`, and `--json` printed
    nothing at all. A record that cannot be reached now (a server gone midway) is not a
    broken chain: it ends `verify` as every verb's such failure, exit 75."""
    try:
        return log.verify(incident_id)
    except StoreError as error:
        if alone or error.transient:
            raise
        return _unread(incident_id, f"unreadable: {error}")


def _unread(incident_id: str, problem: str) -> ChainReport:
    """A chain broken at its start: none of it could be read."""
    return ChainReport(incident_id, False, 0, GENESIS_HASH, None, problem)
