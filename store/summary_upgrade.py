"""Version 7's upgrade: the tick summaries already there rewritten to keep failures.

A summary written before version 7 (`incident.core.ticks.legacy_summary_text`) keeps
a failed sample's probe alone, so no reader uses it: its tick is read from its own
text, which made a long record written before 3.5 times slower to report. The
upgrade to 7 (SQLite's `store.schema`, PostgreSQL's `store.postgres_schema`)
rewrites each such row to `summary_text` of its tick, in the transaction that raises
the version, so a reader of an upgraded record never meets one.

These rows are a cache, never evidence (`store.derived`), and `verify` derives each
from its event's text. The upgrade keeps that so: it rewrites a row only where the
row is exactly what an earlier release derived from the event that still has the
hash it names. A row that is anything else (forged or stale, or naming a changed
event) is left as it is, for `verify` to report as before; a tick without a row is
read from its text, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from incident.core.ticks import legacy_summary_text, read_samples, summary_text
from store.derived import TICK_KIND

PAGE = 2000
"""Rows read and rewritten at once: a long record's payloads are not held together."""

Rewrite = tuple[str, str, int]
"""(readings, incident_id, seq): the new text of one `tick_samples` row."""


def stale_summaries_query(placeholder: str) -> str:
    """The tick rows after a key, with the summary that names their hash, in key order.

    `placeholder` is the driver's (`?` for sqlite3, `%s` for psycopg); the parameters
    are the tick kind, the last (incident_id, seq) read, and `PAGE`.
    """
    p = placeholder
    return (
        "SELECT t.incident_id, t.seq, e.payload, t.samples, t.readings "
        "FROM tick_samples AS t JOIN events AS e "
        "ON e.incident_id = t.incident_id AND e.seq = t.seq AND e.hash = t.hash "
        f"WHERE e.kind = {p} AND (t.incident_id, t.seq) > ({p}, {p}) "  # the key's index
        f"ORDER BY t.incident_id, t.seq LIMIT {p}"
    )


def rewrite(row: Sequence[Any]) -> Rewrite | None:
    """The new text of a row (incident_id, seq, payload, samples, readings) if its
    summary is what an earlier release derived from the payload, else None."""
    incident_id, seq, payload, count, readings = row
    if type(payload) is not str:
        return None
    samples = read_samples(payload)
    if samples is None or count != len(samples) or readings != legacy_summary_text(samples):
        return None
    text = summary_text(samples)
    if text is None or text == readings:  # no sample failed, no OK one without a value
        return None
    return (text, incident_id, seq)


def rewrite_pages(
    read_page: Callable[[tuple[Any, ...]], Iterable[Sequence[Any]]],
) -> Iterator[list[Rewrite]]:
    """The rewrites of the record a page at a time, `read_page(parameters)` running
    `stale_summaries_query` to its end: each page is read whole before the caller
    writes it, so no statement still reading the table is stepped past a write."""
    after: tuple[str, int] = ("", -1)
    while True:
        rows = list(read_page((TICK_KIND, after[0], after[1], PAGE)))
        if not rows:
            return
        yield [made for row in rows if (made := rewrite(row)) is not None]
        after = (str(rows[-1][0]), int(rows[-1][1]))


def rewrite_statement(placeholder: str) -> str:
    """The UPDATE of one row with a `Rewrite`'s parameters."""
    p = placeholder
    return f"UPDATE tick_samples SET readings = {p} WHERE incident_id = {p} AND seq = {p}"
