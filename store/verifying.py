"""`verify`: the chain recomputed from genesis, and what the store keeps beside it checked.

The rows stream through once: each event is verified (`incident.core.chain.ChainWalk`),
then its tick summary (`store.summarised.summary_problem`) and, where the file keeps
them, the state snapshot at it (`store.snapshot_check`) are compared with what the
writer would have stored. Reading stops at the first problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from incident.core.chain import ChainReport, ChainWalk
from store.rows import BadRow, checked_items
from store.summarised import Page, stored_summaries, summary_problem


def verify_record(
    query: Page,
    rows: Callable[[], Iterator[Sequence[Any]]],
    incident_id: str,
    *,
    summaries: bool,
    snapshots: bool,
) -> ChainReport:
    """Recompute the incident's chain; an unreadable row is reported, not raised.

    Besides the links and hashes, each row's `at` and `payload` text must be
    exactly the canonical encoding the hash covers (see `incident.core.chain`).
    A clean report proves the stored events are the ones that were hashed,
    not that none were cut from the end: compare `head_hash` with one
    recorded elsewhere (a report, a ticket) to detect truncation. The rows
    stream through, and reading stops at the first problem.

    What is kept beside the events is derived again from them and compared:
    a tick summary or a state snapshot that says something else than its event
    is a problem at that event (readers would not misread the record, but someone
    wrote it); one that stands for no recorded event, a problem past the head.
    """
    walk = ChainWalk(incident_id)
    stored = stored_summaries(query, incident_id) if summaries else iter(())
    pending = next(stored, None)
    from store.snapshot_check import SnapshotCheck  # the fold's modules: for verify only

    states = SnapshotCheck(query, incident_id) if snapshots else None
    try:
        for item in checked_items(rows(), walk):
            if walk.failure is not None:
                break
            found = None
            if pending is not None and pending[0] == item.seq:
                found, pending = pending, next(stored, None)
            problem = summary_problem(found, item) or (states and states.add(item))
            if problem:
                walk.fail(item.seq, problem)
                break
    except BadRow:
        pass  # failed in `walk` already
    if walk.failure is None and pending is not None:
        walk.fail(int(pending[0]), f"a tick summary stands for event {pending[0]}, not recorded")
    left = states.left_over() if states is not None else None
    if walk.failure is None and left is not None:
        walk.fail(*left)
    return walk.report()
