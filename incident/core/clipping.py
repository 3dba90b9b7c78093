"""Cutting text `incident.core.text.visible` made to a width, never inside one
character's stand-in: a line that ended on `\\u…` showed neither the character nor
its code. Apart from the text module because every width-bound face (the TUI's bar,
toasts, the brief's lines) cuts, while most callers of `visible` never do.
"""

from __future__ import annotations

import re
from functools import cache


@cache
def _shown_escape() -> re.Pattern[str]:
    """An escape `visible` writes: `\\u202e`, `\\U000e0041`, `\\x9b`."""
    return re.compile(r"\\(?:u[0-9a-f]{4}|U[0-9a-f]{8}|x[0-9a-f]{2})")


def cut_at(shown: str, end: int) -> int:
    """Where to cut `shown` (text `visible` made) at `end` or before it: `end`, or the
    start of the escape `end` falls inside, so that no escape is cut in half. A line
    that ended on `\\u…` showed neither the character nor its code."""
    for match in _shown_escape().finditer(shown, max(0, end - 9), end + 9):
        if match.start() < end < match.end():
            return match.start()
    return end


def clipped(shown: str, width: int) -> str:
    """`shown` (text `visible` made) in at most `width` characters: whole, or cut with
    an ellipsis, an escape the cut falls in dropped whole (`cut_at`)."""
    if len(shown) <= width:
        return shown
    return shown[: cut_at(shown, width - 1)] + "…"


def clipped_at_words(shown: str, width: int) -> str:
    """`shown` (text `visible` made) in at most `width` characters: whole, or cut after
    its last whole word that leaves room for the ellipsis, so no word, clock (`T+02:05`),
    ID or escape is cut inside; a first word longer than that is cut inside, as
    `clipped` cuts."""
    if len(shown) <= width:
        return shown
    room = cut_at(shown, width - 1)
    space = shown.rfind(" ", 0, room + 1)
    if space <= 0:
        return shown[:room] + "…"
    return shown[:space].rstrip(" ,;:") + "…"
