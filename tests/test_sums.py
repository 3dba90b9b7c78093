"""Sums and means of recorded readings: exact, and never an OverflowError."""

from __future__ import annotations

import math
import statistics
import sys
from fractions import Fraction

from hypothesis import example, given
from hypothesis import strategies as st

from incident.core.sums import exact_mean, exact_sum

finite = st.floats(allow_nan=False, allow_infinity=False)
huge = st.floats(min_value=1e300, max_value=sys.float_info.max) | st.floats(
    min_value=-sys.float_info.max, max_value=-1e300
)
readings = st.lists(finite | huge, min_size=1, max_size=40)


def exactly(values: list[float]) -> float:
    """The true sum, correctly rounded, or ±inf past the floats."""
    total = sum(map(Fraction, values), Fraction(0))
    try:
        return float(total)
    except OverflowError:
        return math.inf if total > 0 else -math.inf


def test_two_readings_of_1e308_have_that_mean_and_an_infinite_sum():
    with_fsum_alone = [1e308, 1e308]
    try:
        math.fsum(with_fsum_alone)
    except OverflowError:
        pass
    else:  # pragma: no cover - what this module exists for
        raise AssertionError("fsum no longer overflows here: the module can go")
    assert exact_mean(with_fsum_alone) == 1e308
    assert exact_sum(with_fsum_alone) == math.inf
    assert exact_sum([-1e308, -1e308]) == -math.inf


def test_a_sum_whose_partial_sums_overflow_but_whose_answer_is_a_float():
    assert exact_sum([1e308, 1e308, -1e308]) == 1e308
    assert exact_sum([sys.float_info.max, sys.float_info.max, -sys.float_info.max]) == (
        sys.float_info.max
    )


@given(readings)
def test_the_sum_is_the_true_sum_correctly_rounded(values):
    assert exact_sum(values) == exactly(values)


@given(readings)
@example([7.205759403792793e16] * 5)
def test_the_mean_is_finite_within_the_readings_and_fmean_where_fmean_can_answer(values):
    """Within the readings up to the one ulp that fmean's two roundings (the sum, then
    the division) allow: five readings of 7.205759403792793e16 have the mean
    7.205759403792792e16."""
    mean = exact_mean(values)
    assert math.isfinite(mean)
    low, high = min(values), max(values)
    assert low - math.ulp(low) <= mean <= high + math.ulp(high)
    try:
        expected = statistics.fmean(values)
    except OverflowError:
        return
    assert mean == expected
