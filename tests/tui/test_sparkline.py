"""The health panel's sparkline reads only the newest samples, and says what all of them say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from incident.core.samples import Outcome, Sample
from tui.app.widgets.probe_rows import SPARK_BARS, last_good_readings, sparkline

START = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)

readings = st.tuples(
    st.sampled_from([Outcome.OK, Outcome.OK, Outcome.TIMEOUT, Outcome.HTTP_STATUS]),
    st.one_of(st.none(), st.floats(min_value=0, max_value=1e6, allow_nan=False)),
    st.one_of(st.none(), st.floats(min_value=0, max_value=5e3, allow_nan=False)),
)


def samples_of(drawn: list[tuple[Outcome, float | None, float | None]]) -> list[Sample]:
    return [
        Sample("p", START + timedelta(seconds=n), outcome, latency_ms=latency, value=value)
        for n, (outcome, value, latency) in enumerate(drawn)
    ]


@given(st.lists(readings, max_size=150), st.integers(min_value=1, max_value=20))
def test_the_readings_are_the_last_good_ones_of_all(
    drawn: list[tuple[Outcome, float | None, float | None]], width: int
) -> None:
    samples = samples_of(drawn)
    every_good = [
        s.value if s.value is not None else (s.latency_ms or 0.0) for s in samples if s.ok
    ]
    assert last_good_readings(samples, width) == every_good[-width:]


def test_failed_polls_between_good_ones_are_passed_over() -> None:
    values = [1.0, 2.0, None, 3.0, 4.0]
    samples = [
        Sample("p", START + timedelta(seconds=n), Outcome.OK, value=v)
        if v is not None
        else Sample("p", START + timedelta(seconds=n), Outcome.TIMEOUT)
        for n, v in enumerate(values)
    ]
    # 2, 3 and 4 from 0: 3.5, 5.25 and 7 of the 7 steps above the lowest bar
    assert sparkline(samples, 3) == SPARK_BARS[4] + SPARK_BARS[5] + SPARK_BARS[7]


def values(*readings: float) -> list[Sample]:
    return [
        Sample("p", START + timedelta(seconds=n), Outcome.OK, value=v)
        for n, v in enumerate(readings)
    ]


def test_a_flat_trend_is_a_flat_line() -> None:
    assert sparkline(values(5.0, 5.0, 5.0, 5.0), 16) == SPARK_BARS[7] * 4
    assert sparkline(values(0.0, 0.0, 0.0), 16) == SPARK_BARS[0] * 3


def test_steady_noise_reads_steady_not_flapping() -> None:
    """An error rate steady at 0.45-0.5% drew `▁█▁█▁█` between its lowest and highest,
    the shape of a flapping service (a review). From 0 it wavers a step at the top;
    against its 5% threshold it is flat, low, and a breach reaches the top."""
    noise = (0.005, 0.0045, 0.005, 0.0045, 0.005, 0.0045)
    high, step_below = SPARK_BARS[7], SPARK_BARS[6]
    assert sparkline(values(*noise), 16) == (high + step_below) * 3
    assert sparkline(values(*noise), 16, threshold=0.05) == SPARK_BARS[1] * 6
    spiked = sparkline(values(*noise, 0.127), 16, threshold=0.05)
    assert spiked == SPARK_BARS[0] * 6 + SPARK_BARS[7]


def test_a_reading_below_zero_lowers_the_floor() -> None:
    assert sparkline(values(-2.0, 0.0, 2.0), 16) == SPARK_BARS[0] + SPARK_BARS[4] + SPARK_BARS[7]


@given(st.lists(readings, max_size=150), st.integers(min_value=1, max_value=20))
def test_a_sparkline_has_a_bar_per_reading_and_only_bars(
    drawn: list[tuple[Outcome, float | None, float | None]], width: int
) -> None:
    samples = samples_of(drawn)
    for threshold in (None, 0.0, 5.0):
        line = sparkline(samples, width, threshold)
        assert len(line) == len(last_good_readings(samples, width))
        assert set(line) <= set(SPARK_BARS)


def test_no_good_reading_draws_nothing() -> None:
    samples = [Sample("p", START, Outcome.REFUSED)]
    assert sparkline(samples, 16) == ""
