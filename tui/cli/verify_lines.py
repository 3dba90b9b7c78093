"""The lines and JSON entries `verify` gives of a chain, whether it read a database
(`tui.cli.record_verbs`) or a JSON export (`tui.cli.verify_export`)."""

from __future__ import annotations

from collections.abc import Sequence

from incident.core.chain import ChainReport, head_position
from incident.core.events import JSONValue
from incident.core.text import counted, visible
from incident.reports.event_place import Later, NamedEvent, later_lines

CONSISTENT_ONLY = "(consistent; compare the head with one kept elsewhere to rule out a rewrite)"
"""What an `ok` line with no `--expect-head` adds: the chain has no key, so whoever can
write the record can rewrite it and recompute every hash; only a head kept outside the
record (a report in the post-mortem repository, a ticket) shows such a rewrite."""


def broken_line(report: ChainReport) -> str:
    """The line for a chain that does not verify."""
    where = f"event {report.first_bad_seq}" if report.first_bad_seq else "start"
    return (
        f"{visible(report.incident_id)}: BROKEN at {where}: {report.problem} "
        f"({counted(report.count, 'event')} verified before it)"
    )


def verdict_lines(
    report: ChainReport, mismatch: str, found_at: int | None, bad: NamedEvent | None, later: Later
) -> list[str]:
    """The lines `verify` prints of one incident's chain: broken (and the event it stops
    at), not the expected head, or ok (and what came after the head kept)."""
    shown_id = visible(report.incident_id)
    if not report.ok:
        return [broken_line(report), *([f"  {bad.line()}"] if bad is not None else [])]
    if mismatch:
        return [f"{shown_id}: NOT THE EXPECTED HEAD: {mismatch}"]
    said = f", {head_position(report, found_at)}" if found_at else f" {CONSISTENT_ONLY}"
    after = report.count - found_at if found_at else 0
    return [
        f"{shown_id}: ok, {counted(report.count, 'event')}, head {report.head_hash}{said}",
        *(f"  {line}" for line in later_lines(later, after)),
    ]


def verdict_entry(
    report: ChainReport,
    expected: str | None,
    mismatch: str,
    found_at: int | None,
    bad: NamedEvent | None = None,
    later: Sequence[NamedEvent] = (),
) -> JSONValue:
    """One incident's `verify --json` entry (tui/cli/schemas/verify.schema.json): `bad`
    the event the chain stops at, `later` the first of those after the expected head."""
    return {
        "id": report.incident_id,
        "ok": report.ok and not mismatch,
        "events": report.count,
        "head": report.head_hash,
        "first_bad_seq": report.first_bad_seq,
        "problem": report.problem or mismatch or None,
        "expected_head": expected,
        "expected_seq": found_at,
        "proves": _proves(report, expected, mismatch, found_at),
        "first_bad_event": bad.data() if bad else None,
        "after_expected": [event.data() for event in later],
    }


def _proves(
    report: ChainReport, expected: str | None, mismatch: str, found_at: int | None
) -> str | None:
    """What an entry's `ok` rests on: `consistent` (the chain agrees with itself, which
    a rewrite with its hashes recomputed does too), `unchanged to the expected head`
    (everything up to the head kept elsewhere), or None when it is not ok."""
    if not report.ok or mismatch:
        return None
    return "unchanged to the expected head" if expected and found_at else "consistent"
