"""The cheap fold and the cheap copy give what the plain fold and a deep copy give.

`Fold` counts probe ticks as they pass and decodes only each probe's latest samples at
the end; `copy_state` copies containers, not the frozen records in them. Both are
checked against the plain `fold` and `copy.deepcopy` on recorded incidents: the
golden ones, the sampled one, and the previous release's record (every kind of event).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec
import pytest

import incident.core.records as records
from incident import commands
from incident.core.chain import GENESIS_HASH
from incident.core.clock import ManualClock
from incident.core.events import Event, NewEvent
from incident.core.folding import COPIED_FIELDS, Fold, copy_state, fold_items, state_fields
from incident.core.payloads import NoteAdded, ProbeSamples
from incident.core.records import RECENT_SAMPLES
from incident.core.samples import Outcome, Sample
from incident.core.state import fold, new_state
from incident.core.ticks import ProbeTick
from store import SqliteEventLog
from store.rows import read_item
from tests.golden.incidents import closed_record, hostile_record
from tests.golden.sampled import SampledRecord, sampled_record
from tests.store_helpers import chain_rows
from tui.demo.scenarios import DECLARATION, bundled_runbook

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "previous-release.db"


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory) -> SampledRecord:
    return sampled_record(tmp_path_factory.mktemp("fold") / "sampled.db")


@pytest.fixture(scope="module")
def recorded(sampled: SampledRecord) -> dict[str, list[Event]]:
    found = {
        "closed": closed_record().events,
        "hostile": hostile_record().events,
        "sampled": sampled.events,
    }
    with SqliteEventLog.open(FIXTURE, read_only=True) as log:
        for incident_id in log.incident_ids():
            found[f"previous release {incident_id}"] = log.events(incident_id)
    return found


def _prefixes(count: int) -> list[int]:
    return sorted({1, 2, count, *range(3, count, max(1, count // 40))})


def test_fold_of_decoded_events_is_the_plain_fold_after_any_of_them(
    recorded: dict[str, list[Event]],
) -> None:
    for name, events in recorded.items():
        for n in _prefixes(len(events)):
            assert Fold(events[0]).add_all(events[1:n]).settled() == fold(events[:n]), (name, n)


def test_fold_of_ticks_read_undecoded_from_the_store_is_the_plain_fold(
    sampled: SampledRecord,
) -> None:
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        items = list(log.scan(sampled.incident_id))
    undecoded = sum(isinstance(item, ProbeTick) for item in items)
    assert undecoded > 0.8 * len(items)  # the fast path is what is tested here
    for n in _prefixes(len(items)):
        assert fold_items(items[:n]) == fold(sampled.events[:n]), n


def test_fold_settles_and_goes_on(sampled: SampledRecord) -> None:
    """Settling in the middle (a checkpoint) changes nothing about the end."""
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        items = list(log.scan(sampled.incident_id))
    first = items[0]
    assert isinstance(first, Event)
    folding = Fold(first)
    for position, item in enumerate(items[1:], start=2):
        folding.add(item)
        if position % 97 == 0:
            assert folding.settled() == fold(sampled.events[:position])
            folding = folding.copy() if position % 2 else folding
    assert folding.settled() == sampled.state


def _declaration() -> NewEvent:
    clock = ManualClock(datetime(2026, 11, 28, 9, tzinfo=UTC))
    return commands.declare(
        bundled_runbook(), DECLARATION, actor="ada", clock=clock, incident_id="INC-MANY"
    )


def test_a_tick_holding_a_probe_many_times_is_cut_where_the_plain_fold_cuts_it() -> None:
    """50 samples of `a` per tick: the last 120 start in the middle of a tick."""
    start = datetime(2026, 11, 28, 9, tzinfo=UTC)
    news = [_declaration()]
    for tick in range(1, 8):
        at = start + timedelta(seconds=tick)
        samples = [Sample("a", at, Outcome.OK, float(n), 200, value=n + tick) for n in range(50)]
        samples.insert(7, Sample("b", at, Outcome.TIMEOUT, detail="slow"))
        news.append(NewEvent("INC-MANY", "probes", at, tick, ProbeSamples(tuple(samples))))
        if tick == 4:
            news.append(NewEvent("INC-MANY", "ada", at, tick, NoteAdded("half way", "ada")))
    rows, events = chain_rows(news, 0, GENESIS_HASH)
    items = [read_item(row) for row in rows]
    assert sum(isinstance(item, ProbeTick) for item in items) == 7
    expected = fold(events)
    assert len(expected.samples["a"]) == RECENT_SAMPLES
    assert fold_items(items) == expected
    assert Fold(events[0]).add_all(events[1:]).settled() == expected


def test_copy_state_is_a_state_later_events_do_not_change(
    recorded: dict[str, list[Event]],
) -> None:
    for name, events in recorded.items():
        state = new_state(events[0])
        copies = []
        for position, event in enumerate(events[1:], start=1):
            if position % 7 == 1:
                copies.append((copy_state(state), copy.deepcopy(state), position))
            state.apply(event)
        for copied, deep, position in copies:
            assert copied == deep, (name, position)


def test_copy_state_knows_every_field_of_the_state() -> None:
    assert state_fields() == COPIED_FIELDS


def test_records_in_a_state_are_frozen_but_the_step_record() -> None:
    """copy_state shares them; only StepRecord, which it copies, may change."""
    classes = [
        value
        for value in vars(records).values()
        if isinstance(value, type)
        and issubclass(value, msgspec.Struct)
        and value.__module__ == records.__name__
    ]
    assert records.StepRecord in classes and len(classes) > 10
    for cls in classes:
        frozen = cls.__struct_config__.frozen
        assert frozen is (cls is not records.StepRecord), cls
