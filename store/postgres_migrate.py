"""Moving a record from a SQLite file into a PostgreSQL database, hashes and all.

The rows are copied as stored, byte for byte (never decoded and encoded again, so
the hashes still cover exactly the text they covered), each incident in one
transaction under its advisory lock, its tick summaries derived again on the way
(as any append derives them). After the copy the incident's chain is verified in
the target and its head compared with the source's.

What is already in the target decides what happens, one incident at a time:

- nothing: the incident is copied;
- the same events: nothing to do (a migration run twice is harmless);
- the first events of the source, and no others: the rest is copied (a migration
  cut short resumes);
- anything else: refused, nothing written: two records disagree (an event differs,
  or the target holds events the file does not), and choosing between them is for a
  person.

A source incident whose chain does not verify is refused too: copying it would
spread a damaged record under a database that looks sound.

The outbox is not copied. What is still to send is in the record (messages queued
and neither delivered nor failed for good), which is copied whole; the outbox is the
deliverers' work list, and the first deliverer on the database rebuilds it from the
record (`tui.net.notifier.Notifier.restore_waiting`). Copying its rows would keep a
second account of each message's state beside the record's, outside the chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from incident.core.text import counted
from store.postgres_log import PostgresEventLog
from store.sqlite_log import SqliteEventLog


@dataclass(frozen=True)
class Copied:
    """What happened to one incident; `ok` False makes the migration fail."""

    incident_id: str
    ok: bool
    line: str


def migrate(source: SqliteEventLog, target: PostgresEventLog) -> Iterator[Copied]:
    """Copy every incident of `source` into `target`, one `Copied` per incident, in order."""
    for incident_id in source.incident_ids():
        yield copy_incident(source, target, incident_id)


def copy_incident(source: SqliteEventLog, target: PostgresEventLog, incident_id: str) -> Copied:
    report = source.verify(incident_id)
    if not report.ok:
        return Copied(
            incident_id,
            False,
            f"{incident_id}: REFUSED: the source does not verify (event "
            f"{report.first_bad_seq}: {report.problem}); nothing copied",
        )
    parted, copied = target.adopt(incident_id, source.stored_rows(incident_id))
    if parted is not None:
        held = (
            f"events missing from the file (event {parted.seq} on)"
            if parted.missing
            else f"other events (event {parted.seq} differs)"
        )
        return Copied(
            incident_id,
            False,
            f"{incident_id}: REFUSED: the target already holds {held}; nothing copied",
        )
    after = target.verify(incident_id)
    # The file may have grown while it was copied: the copy's head must be the file's
    # event at that seq, and at least the head verified before.
    same = source.seq_of_hash(incident_id, after.head_hash) == after.count >= report.count
    if not after.ok or not same:
        return Copied(
            incident_id,
            False,
            f"{incident_id}: COPIED BUT DOES NOT VERIFY in the target "
            f"(event {after.first_bad_seq}: {after.problem})",
        )
    done = "already there" if copied == 0 else f"copied {counted(copied, 'event')}"
    return Copied(
        incident_id,
        True,
        f"{incident_id}: {done}; {counted(after.count, 'event')} "
        f"{'verifies' if after.count == 1 else 'verify'}, head {after.head_hash}",
    )
