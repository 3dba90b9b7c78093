"""Probe samples stay out of the garbage collector's walks, and can safely.

A state keeps the last 120 samples of each probe: 24,000 for 200 probes, with 200
more every second. Tracked, they were most of what each collection walked (an open
session of a 200-probe incident held 24,792 tracked objects, 24,000 of them
samples). `Sample` is declared `gc=False`; that is sound only while nothing a
sample holds can refer back to it, so its fields must stay atomic.
"""

from __future__ import annotations

import gc
import types
import typing
from datetime import UTC, datetime
from enum import Enum

from incident.app.session import IncidentSession
from incident.core.clock import SystemClock
from incident.core.payloads import ProbeSamples
from incident.core.samples import Outcome, Sample
from store import SqliteEventLog
from tests.scenario_copies import scenario_copy

ATOMIC = (str, int, float, bool, type(None), datetime)
"""Types whose values hold no reference to a Python object that could lead back."""


def _atomic(annotation: object) -> bool:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return all(_atomic(arg) for arg in typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return all(isinstance(member.value, ATOMIC) for member in annotation)
    return annotation in ATOMIC


def test_every_field_of_a_sample_is_atomic():
    hints = typing.get_type_hints(Sample)
    assert set(hints) >= {"probe", "at", "outcome", "value", "text"}
    assert {name: hint for name, hint in hints.items() if not _atomic(hint)} == {}


def test_a_sample_is_not_tracked_by_the_collector():
    sample = Sample("health", datetime(2026, 12, 4, tzinfo=UTC), Outcome.OK, 12.0, 200, 0.01)
    assert gc.is_tracked(sample) is False


def test_the_samples_a_reopened_record_holds_are_not_tracked(tmp_path):
    """Decoded from the file and folded, as a screen or `status` opens a record."""
    scenario = scenario_copy("mid-phase-2", tmp_path / "incident.db")
    incident_id = scenario.incident_id
    scenario.log.close()
    with SqliteEventLog.open(tmp_path / "incident.db") as log:
        state = IncidentSession(log, incident_id, SystemClock()).state
        read = [e.data for e in log.events(incident_id) if isinstance(e.data, ProbeSamples)]
    kept = [sample for history in state.samples.values() for sample in history]
    assert len(kept) >= 3
    assert [sample for sample in kept if gc.is_tracked(sample)] == []
    # As a screen reads other writers' ticks each second: decoded by msgspec, whose
    # structs stay tracked when a field holds a tracked object (an `Outcome` member).
    fed = [sample for payload in read for sample in payload.samples]
    assert len(fed) >= 3
    assert [sample for sample in fed if gc.is_tracked(sample)] == []
