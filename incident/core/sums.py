"""Sums and means of floats that hold for every finite value a probe can report.

`math.fsum` is exact, but it raises OverflowError once a partial sum passes the
largest float, whether or not the answer is one: two readings of 1e308 have a mean of
1e308, and a sum that is simply infinite. Probed services choose these values (a
Prometheus answering `1e308`), so a report or a probe's reading must not fail on
them: past that point the same sum is taken at a power-of-two scale at which no
partial sum can overflow, which changes no bit of any value but the smallest.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import copysign, fsum, inf, ldexp


def exact_sum(values: Sequence[float]) -> float:
    """The sum of `values` correctly rounded, as `math.fsum` gives it; ±inf where it is
    beyond the floats, instead of fsum's OverflowError."""
    try:
        return fsum(values)
    except OverflowError:
        total, shift = _scaled_sum(values)
        return _scaled_back(total, shift)


def exact_mean(values: Sequence[float]) -> float:
    """`statistics.fmean`'s arithmetic (the exact sum, then one division), finite for
    finite values however large, without loading `statistics`."""
    try:
        return fsum(values) / len(values)
    except OverflowError:
        total, shift = _scaled_sum(values)
        return _scaled_back(total / len(values), shift)


def _scaled_sum(values: Sequence[float]) -> tuple[float, int]:
    """The exact sum of `values` divided by 2**shift, and the shift: a power of two by
    which as many values, each under the largest float, cannot add up past it."""
    shift = len(values).bit_length() + 1
    return fsum([ldexp(value, -shift) for value in values]), shift


def _scaled_back(value: float, shift: int) -> float:
    try:
        return ldexp(value, shift)
    except OverflowError:
        return copysign(inf, value)
