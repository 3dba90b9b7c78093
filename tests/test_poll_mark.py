"""Who polls production at a moment (`incident.health.poll_mark`): the turn's rule on the
state's `last_poll`, on a manual clock, and the words fitted to the room there is.

The states are folded from a real SQLite file the ticks were recorded into through
the application layer, as every poller records them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from incident.app.health import record_samples
from incident.app.lifecycle import Declaration, close, declare
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.core.samples import Outcome, Sample
from incident.health.poll_mark import Polling, PollMark, poll_mark, poll_words
from incident.health.turns import turn_lapse_s
from runbooks.loading import load_runbook
from store.sqlite_log import SqliteEventLog

ADA = "Ada's monitor (pid 4242 on bastion)"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[IncidentSession]:
    path = tmp_path / "probe.yaml"
    path.write_text(
        "runbook: probe\ntitle: One probe\nprobes:\n"
        "  - {name: health, kind: http, url: 'http://192.0.2.1/', interval_s: 5, timeout_s: 2}\n"
        "phases:\n  - id: execute\n    title: Execute\n    steps:\n"
        "      - {id: redeploy, title: Redeploy}\n"
    )
    clock = ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    with SqliteEventLog.open(tmp_path / "mark.db") as log:
        declare(log, load_runbook(path), Declaration("t", "SEV2", "Ada"), actor="ada", clock=clock)
        yield IncidentSession(log, log.incident_ids()[0], clock)


def tick(session: IncidentSession, after_s: float, poller: str | None) -> None:
    clock = session.clock
    assert isinstance(clock, ManualClock)
    clock.advance(after_s)
    sample = Sample("health", clock.now(), Outcome.OK, 12.0, 200)
    assert record_samples(session, [sample], poller=poller).events


def test_the_mark_follows_the_ticks_and_lapses_with_time_alone(session: IncidentSession) -> None:
    clock = session.clock
    assert isinstance(clock, ManualClock)
    assert poll_mark(session.state, clock.now()) == PollMark(Polling.NEVER)
    tick(session, 30, ADA)
    at = clock.now()
    mark = poll_mark(session.state, at)
    assert mark == PollMark(Polling.ELSEWHERE, ADA, at)
    assert poll_words(mark, session.state) == f"polled by {ADA}, last tick T+00:30"
    lapse = turn_lapse_s(session.state.runbook)
    clock.advance(lapse)
    assert poll_mark(session.state, clock.now()) == mark  # the turn is still Ada's
    clock.advance(0.001)
    lapsed = poll_mark(session.state, clock.now())
    assert lapsed == PollMark(Polling.LAPSED, ADA, at)
    assert poll_words(lapsed, session.state) == f"not polled since T+00:30; {ADA} stopped"
    close(session, "ada", force=True, reason="a drill")
    assert poll_mark(session.state, clock.now()) is None  # nobody polls a closed incident


def test_a_poller_of_this_process_polls_here(session: IncidentSession) -> None:
    tick(session, 30, ADA)
    clock = session.clock
    mark = poll_mark(session.state, clock.now(), lambda name: name == ADA)
    assert mark is not None and mark.polling is Polling.HERE
    assert poll_words(mark, session.state) == "polled here"
    later = clock.now() + timedelta(seconds=turn_lapse_s(session.state.runbook) + 1)
    lapsed = poll_mark(session.state, later, lambda name: name == ADA)
    assert lapsed is not None
    assert poll_words(lapsed, session.state) == "not polled since T+00:30; polling here stopped"


@pytest.mark.parametrize(
    ("room", "words"),
    [
        (80, f"polled by {ADA}, last tick T+00:30"),
        (50, "polled by Ada's monitor, last tick T+00:30"),
        (36, "polled by Ada's monitor, T+00:30"),
        (28, "polled by Ada's mo…, T+00:30"),
        (10, "polled by Ada…, T+00:30"),  # the least: the face cuts what is left
    ],
)
def test_the_words_fit_the_room(session: IncidentSession, room: int, words: str) -> None:
    tick(session, 30, ADA)
    mark = poll_mark(session.state, session.clock.now())
    assert mark is not None
    assert poll_words(mark, session.state, lambda said: len(said) <= room) == words


@pytest.mark.parametrize(
    ("room", "words"),
    [
        (80, f"not polled since T+00:30; {ADA} stopped"),
        (50, "not polled since T+00:30; Ada's monitor stopped"),
        (40, "not polled since T+00:30 (Ada's monitor)"),
        (34, "not polled since T+00:30 (Ada's…)"),
        (20, "not polled since T+00:30"),
    ],
)
def test_the_words_of_a_lapsed_turn_fit_the_room(
    session: IncidentSession, room: int, words: str
) -> None:
    tick(session, 30, ADA)
    later = session.clock.now() + timedelta(seconds=turn_lapse_s(session.state.runbook) + 1)
    mark = poll_mark(session.state, later)
    assert mark is not None
    assert poll_words(mark, session.state, lambda said: len(said) <= room) == words


def test_a_pollers_name_is_data(session: IncidentSession) -> None:
    """Braces are not a format, control characters are shown, a newline forges no line."""
    tick(session, 30, "{0} {} \x1b[2J\n (pid 1 on x)")
    mark = poll_mark(session.state, session.clock.now())
    assert mark is not None
    words = poll_words(mark, session.state, lambda said: len(said) <= 31)
    assert words == "polled by {0} {} ␛[2J␊, T+00:30"
