"""A thousand random tampers with a recorded incident, every one caught (half of them in
the suite, all in `.ci/run`'s deep pass: `tests/depth.py`).

Hypothesis draws the damage (see `tests/tampering.py`): an edited field, a
deleted, swapped or forged row, a repeated JSON key, reordered keys, added
whitespace, a timestamp spelled another way, a cut tail. Each trial works on a
fresh copy of the same file. `verify` must report every damage that leaves the
end of the chain where it was; the ones that only move the end (a cut tail, a
valid event added after it) must show against the head hash kept elsewhere,
as `verify --expect-head` checks it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from incident.core.events import Event
from tests.depth import examples
from tests.tampering import TAMPERS, draw, record_intact, trial

T = TypeVar("T")
TRIALS = examples(1000)


class DrawPicker:
    """A `tests.tampering.Picker` that lets Hypothesis choose, and shrink."""

    def __init__(self, data: st.DataObject) -> None:
        self._data = data

    def pick(self, options: Sequence[T]) -> T:
        return self._data.draw(st.sampled_from(list(options)))

    def integer(self, low: int, high: int) -> int:
        return self._data.draw(st.integers(low, high))


@pytest.fixture(scope="module")
def intact(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list[Event]]:
    path = tmp_path_factory.mktemp("intact") / "lastgood.db"
    events = record_intact(path)
    return path.read_bytes(), events


def test_every_random_tamper_is_detected(intact: tuple[bytes, list[Event]], tmp_path: Path) -> None:
    original, events = intact
    head = events[-1].hash
    scratch = tmp_path / "trial.db"
    kinds: Counter[str] = Counter()
    tails = 0

    @settings(
        max_examples=TRIALS,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.data())
    def tamper_and_verify(data: st.DataObject) -> None:
        nonlocal tails
        tamper = draw(DrawPicker(data), events)
        note(f"{tamper.kind}: {tamper.detail}")
        outcome = trial(original, scratch, tamper, head)
        assert outcome.bystander_ok, "damage to one incident reported on another"
        assert outcome.export_agrees, "the JSON export's read found the chain otherwise"
        if tamper.tail:
            assert outcome.by_head, "a moved end went unseen by the kept head hash"
            tails += 1
        else:
            assert outcome.by_verify, "verify passed a damaged chain"
        kinds[tamper.kind] += 1

    tamper_and_verify()
    assert kinds.total() >= TRIALS
    assert set(kinds) == set(TAMPERS), f"some kinds never drawn: {kinds}"
    assert tails > 0


def test_the_untouched_copy_verifies_with_its_head(
    intact: tuple[bytes, list[Event]], tmp_path: Path
) -> None:
    """The trials' baseline: with no damage, neither check complains."""
    from tests.tampering import Tamper

    original, events = intact
    outcome = trial(
        original, tmp_path / "copy.db", Tamper("none", "", lambda _: None), events[-1].hash
    )
    assert (outcome.by_verify, outcome.by_head, outcome.bystander_ok, outcome.export_agrees) == (
        False,
        False,
        True,
        True,
    )
