"""A phase's window in a Markdown heading: `(T+5 to T+30 minutes)`, `T+45+`, `T+1 day`.

Minutes unless the heading says hours or days; a unit written once holds for both
edges (`T+0 to T+2 hours` is 0-120). Seconds, weeks and the like are refused at the
unit rather than read as minutes, which turned `T+0 to T+2 hours` into 0-2 minutes.
"""

from __future__ import annotations

import re
from functools import cache

from runbooks.limits import MAX_WINDOW_MIN
from runbooks.model import Window

_UNIT = (
    r"minutes?|mins?|m|hours?|hrs?|hr|h|days?|d"
    r"|seconds?|secs?|s|weeks?|wks?|w|months?|mo|years?|yrs?|y"
)
"""The time units a window may be written in, read or refused."""


@cache
def _window() -> re.Pattern[str]:
    return re.compile(
        rf"\(?[ \t]*\bT[ \t]*\+[ \t]*(?P<start>\d+)(?:[ \t]*(?P<start_unit>{_UNIT})\b)?"
        r"[ \t]*(?:(?:to|\u2013|\u2014|-|\.\.)[ \t]*(?:T[ \t]*\+[ \t]*)?(?P<end>\d+)"
        rf"(?:[ \t]*(?P<end_unit>{_UNIT})\b)?|(?P<open>\+))?"
        r"[ \t]*\)?",
        re.IGNORECASE,
    )


@cache
def _read_units() -> re.Pattern[str]:
    """The units of `_UNIT` a window may be written in; the others are refused."""
    return re.compile(r"minutes?|mins?|m|hours?|hrs?|hr|h|days?|d", re.IGNORECASE)


def find_window(text: str) -> re.Match[str] | None:
    """The window written in a heading's text (parentheses included), if any."""
    return _window().search(text)


def read_window(match: re.Match[str]) -> tuple[Window | None, tuple[int, str] | None]:
    """The window `match` gives, in minutes, or None and its problem: the offset of
    what is wrong in the heading's text, and the message."""
    for name in ("start_unit", "end_unit"):
        unit = match.group(name)
        if unit is not None and not _read_units().fullmatch(unit):
            message = f"window unit '{unit}' not understood: write minutes, hours or days"
            return None, (match.start(name), message)
    both = match.group("start_unit") or match.group("end_unit")  # written once
    found = match.group()
    at = match.start() + len(found) - len(found.lstrip())
    edges: dict[str, int | None] = {}
    for edge in ("end", "start"):
        digits = match.group(edge)
        if digits is None:
            continue
        unit = match.group(f"{edge}_unit") or both
        minutes = edges[edge] = _minutes(digits, unit or "m")
        if minutes is None or minutes > MAX_WINDOW_MIN:
            got = _as_written(digits, unit, minutes)
            return None, (at, f"window minutes must be at most {MAX_WINDOW_MIN} (got {got})")
    start, end = edges["start"] or 0, edges.get("end")
    if end is not None and end < start:
        return None, (at, f"window end ({end}) is before start ({start})")
    if end is not None and end == start:
        return None, (at, f"window is empty: end equals start ({start})")
    return Window(start, end), None


_MAX_DIGITS = 9
"""Digits of a window's edge read as a number: more are past any limit (and past what
`int` reads, beyond 4,300)."""


def _minutes(count: str, unit: str) -> int | None:
    """`count` of a read unit in minutes; None when it has more than `_MAX_DIGITS`."""
    if len(count.lstrip("0")) > _MAX_DIGITS:
        return None
    return int(count) * {"m": 1, "h": 60, "d": 1_440}[unit[0].lower()]


def _as_written(digits: str, unit: str | None, minutes: int | None) -> str:
    """An edge as the heading writes it (the minutes too when in another unit): a window
    of `T+99999999999999999999 days` was told as 999999999 minutes."""
    shown = digits if len(digits) <= 24 else f"{digits[:12]}… ({len(digits)} digits)"
    if unit is None:
        return shown
    if minutes is None or unit[0].lower() == "m":
        return f"{shown} {unit}"
    return f"{shown} {unit}, {minutes} minutes"
