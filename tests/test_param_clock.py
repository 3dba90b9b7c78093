"""A parameter's refusal of a time shows an example from the caller's clock, never the
machine's behind its back.

`Param.parse` fell back to `SystemClock()` when a caller gave no `now`, so a form
built without one, a replay or a test clock could show an example of another time
than the screen's. Every caller now passes its clock's `now` (the TUI its app's, the
command line this machine's, `tui.cli.arguments.machine_now`), asked only when an
example is wanted: the command line reads its arguments before loading a clock.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from incident.app.examples import moment_example
from incident.app.verbs import BY_NAME

T = datetime(2031, 5, 6, 7, 8, tzinfo=UTC)
"""A time no machine running this test is at."""


class Asked:
    """A clock's `now` that counts how often it is asked."""

    def __init__(self) -> None:
        self.times = 0

    def __call__(self) -> datetime:
        self.times += 1
        return T


@pytest.mark.parametrize(
    ("verb", "name"), [("schedule-postmortem", "at"), ("declare", "started_at")]
)
def test_a_refused_time_is_shown_an_example_from_the_callers_clock(verb: str, name: str) -> None:
    now = Asked()
    with pytest.raises(ValueError) as refused:
        BY_NAME[verb].param(name).parse("tomorrow 10am", now)
    assert str(refused.value).endswith(f"(e.g. {moment_example(name, T)})")
    assert now.times == 1


def test_the_clock_is_asked_only_for_an_example() -> None:
    now = Asked()
    assert BY_NAME["schedule-postmortem"].param("at").parse("2031-05-07T10:00:00Z", now)
    assert BY_NAME["note"].param("text").parse("  a note ", now) == "a note"
    with pytest.raises(ValueError):
        BY_NAME["declare"].param("eta").parse("soon", now)
    assert now.times == 0


def test_there_is_no_clock_to_fall_back_on() -> None:
    with pytest.raises(TypeError):
        BY_NAME["schedule-postmortem"].param("at").parse("tomorrow 10am")  # type: ignore[call-arg]
