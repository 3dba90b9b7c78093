"""A folded state as a stored snapshot holds it, and back (`incident.core.state_codec`).

The states are folded from recorded incidents (the golden ones and a previous
release's file); a stored state read back must go on as the fold from the start, and
a snapshot that is not a state is refused with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incident.core import state_codec
from incident.core.events import Event
from incident.core.records import ActionItem, Communication, Note
from incident.core.samples import Outcome, Sample
from incident.core.state import IncidentState, fold
from incident.core.state_codec import SnapshotError, decode_state, encode_state
from store import SqliteEventLog
from tests.golden.incidents import closed_record, hostile_record

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "previous-release.db"


@cache
def recorded() -> dict[str, list[Event]]:
    """The records, made on first use: at import, every worker made them to collect."""
    found = {"closed": closed_record().events, "hostile": hostile_record().events}
    with SqliteEventLog.open(FIXTURE, read_only=True) as log:
        for incident_id in log.incident_ids():
            found[f"previous release {incident_id}"] = log.events(incident_id)
    return found


def _names() -> list[str]:
    with SqliteEventLog.open(FIXTURE, read_only=True) as log:
        previous = [f"previous release {incident_id}" for incident_id in log.incident_ids()]
    return sorted(["closed", "hostile", *previous])


# --- the codec ------------------------------------------------------------------------


def _through_json(state: IncidentState, declaration: Event) -> IncidentState:
    text = json.dumps(encode_state(state))
    return decode_state(declaration, json.loads(text))


@settings(max_examples=60)
@given(name=st.sampled_from(_names()), where=st.floats(0, 1))
def test_a_state_stored_and_read_back_goes_on_as_the_fold_from_the_start(
    name: str, where: float
) -> None:
    events = recorded()[name]
    split = max(1, round(where * len(events)))
    stored = _through_json(fold(events[:split]), events[0])
    assert stored == fold(events[:split])
    for event in events[split:]:
        stored.apply(event)
    assert stored == fold(events)


AWARE = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)
TEXT = st.text(max_size=40)
NUMBER = st.floats(allow_nan=False) | st.integers(-(2**53), 2**53)


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(
    notes=st.lists(st.builds(Note, TEXT, TEXT, AWARE, st.booleans()), max_size=5),
    messages=st.lists(
        st.builds(Communication, TEXT, TEXT, AWARE, st.none() | TEXT, st.none() | TEXT),
        max_size=3,
    ),
    items=st.lists(
        st.builds(
            ActionItem,
            st.integers(1, 99),
            TEXT,
            TEXT,
            st.none() | st.dates(min_value=date(1, 1, 1)),
            TEXT,
            AWARE,
        ),
        max_size=3,
    ),
    samples=st.lists(
        st.builds(
            Sample,
            TEXT,
            AWARE,
            st.sampled_from(Outcome),
            st.none() | NUMBER,
            st.none() | st.integers(100, 599),
            st.none() | NUMBER,
            st.none() | TEXT,
            TEXT,
        ),
        max_size=4,
    ),
    roles=st.dictionaries(TEXT, TEXT, max_size=3),
    severities=st.lists(st.tuples(AWARE, TEXT), max_size=3),
)
def test_any_values_the_records_hold_are_read_back_as_they_were(
    notes: list[Note],
    messages: list[Communication],
    items: list[ActionItem],
    samples: list[Sample],
    roles: dict[str, str],
    severities: list[tuple[datetime, str]],
) -> None:
    declaration = recorded()["closed"][0]
    state = fold([declaration])
    state.notes, state.communications, state.action_items = notes, messages, items
    state.samples = {"health": samples} if samples else {}
    state.roles, state.severity_history = roles, severities
    assert _through_json(state, declaration) == state


@cache
def _encoded_text() -> str:
    return json.dumps(encode_state(fold(recorded()["closed"])))


def _encoded() -> dict[str, Any]:
    """The closed record's state as stored, a fresh copy each time."""
    return json.loads(_encoded_text())  # type: ignore[no-any-return]


Change = Callable[[dict[str, Any]], dict[str, Any]]


def _set(path: list[object], value: object) -> Change:
    """A change to the stored state: `value` put at `path` (made when a test runs: at
    collection, every worker folded the record for it)."""

    def change(data: dict[str, Any]) -> dict[str, Any]:
        target: Any = data
        for key in path[:-1]:
            target = target[key]  # type: ignore[index]
        target[path[-1]] = value  # type: ignore[index]
        return data

    return change


def test_lists_of_plain_records_are_read_in_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the encoder writes is read by msgspec's `convert` (the one-by-one checks only
    run, and say why, when it refuses something): the fast path is the path taken."""
    calls: list[str] = []
    refused: list[str] = []

    def watched(value: Any, kind: Any) -> Any:
        calls.append(str(kind))
        try:
            return msgspec.convert(value, kind)
        except msgspec.ValidationError as error:
            refused.append(str(error))
            raise

    monkeypatch.setattr(state_codec, "convert", watched)
    events = recorded()["closed"]
    assert decode_state(events[0], _encoded()) == fold(events)
    assert refused == []
    assert len(calls) >= 10  # notes, pages, messages, role changes... each a list of records


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_set(["title"], 7), "field 'title': expected str, found int"),
        (_set(["closed_at"], "2026-11-28T09:00:00"), "time without a zone"),
        (_set(["closed_at"], "yesterday"), "unreadable time"),
        (_set(["notes", 0], ["text", "by"]), "a Note of 5 fields"),
        (_set(["notes", 0, 3], 1), "expected bool, found int"),
        (_set(["severity_history", 0], ["2026-11-28T09:00:00+00:00"]), "an array of 2"),
        (_set(["pattern"], "sideways"), "'sideways' is no DeploymentPattern"),
        (_set(["roles"], ["commander", "Ada"]), "expected an object"),
        (_set(["sample_count"], 1.5), "expected int, found float"),
        (lambda data: {k: v for k, v in data.items() if k != "notes"}, "missing ['notes']"),
        (lambda data: {**data, "extra": 1}, "extra ['extra']"),
        (_set(["steps"], {}), "not the steps the runbook applies"),
    ],
)
def test_a_snapshot_that_is_not_a_state_is_refused_with_the_reason(
    change: Change, problem: str
) -> None:
    with pytest.raises(SnapshotError) as caught:
        decode_state(recorded()["closed"][0], change(_encoded()))
    assert problem in str(caught.value)
