"""The handoff brief fitted to the terminal it is printed on: its width and its rows.

A commander on a phone over SSH (46x22) got the brief's lines of up to 100
characters, hard-wrapped by the terminal inside words: 28 screen lines for 22 rows,
the phase and its time left scrolled off the top, and a line cut inside a clock
(`T+02:0…`). On a terminal the brief is the same words (`brief_parts`), shown so:

- The phase and its time left first, then who polls production; the rest in the
  order a pipe gets it.
- Each line wrapped at spaces with a hanging indent, by the rule `status` wraps by
  (`incident.core.wrapping.wrapped`): never inside a word, a clock or an ID. A line
  too long even for that is cut at a word where the piped brief stops.
- When it still does not fit in the rows, the least important gives way: first
  every part is shortened where it can be (a list or a long line cut to its first
  row, the pinned notes to the newest, the decisions to the latest), then parts are
  left out, each time the least important first, in this order: "Open gates: none"
  (it asks nothing of anyone); roles (the commander reading knows them); the last
  hand-off of command; the pinned notes; the decisions; the last message; the
  readings; the post-mortem line; the id and title line is only ever cut to a row.
  The phase and time left, production, the next step, skipped verification, open
  gates, the triggers, when the next update is due and the messages due now are
  always shown whole. What was left out is named on a last line, with the command
  that prints all of it.

A pipe still gets `brief_lines` as it always did: scripts read it.
"""

from __future__ import annotations

from datetime import datetime

from incident.core.clipping import clipped_at_words
from incident.core.state import IncidentState
from incident.core.wrapping import wrapped
from incident.health.poll_mark import Marker
from incident.reports.brief import KEPT, Part, brief_parts


def brief_screen(
    state: IncidentState, now: datetime, width: int, rows: int, marked: Marker | None = None
) -> list[str]:
    """The brief in at most `rows` lines of at most `width` characters (if the parts
    always shown fit: they are never cut), controls shown; `marked` says who polls
    production (`Marker`)."""
    parts = brief_parts(state, now, marked)
    parts = [part for part in parts if part.top] + [part for part in parts if not part.top]
    forms = [_forms(part, width) for part in parts]
    chosen = [0] * len(parts)

    def left_out() -> list[str]:
        return [
            part.name for part, at, form in zip(parts, chosen, forms, strict=True) if not form[at]
        ]

    def height() -> int:
        said = sum(len(form[at]) for at, form in zip(chosen, forms, strict=True))
        return said + len(_left_out_line(state, left_out(), width))

    while height() > rows:  # every part shortened, the least important first; then left out
        can = [n for n, form in enumerate(forms) if chosen[n] < len(form) - 1]
        shorter = [n for n in can if forms[n][chosen[n] + 1]]
        if not can:
            break
        chosen[max(shorter or can, key=lambda n: (parts[n].rank, n))] += 1
    lines = [row for at, form in zip(chosen, forms, strict=True) for row in form[at]]
    return lines + _left_out_line(state, left_out(), width)


def _forms(part: Part, width: int) -> list[list[str]]:
    """`part`'s forms as rows `width` wide, fullest first: each of its own forms
    wrapped, then (but for what is `KEPT`) with each line cut to its first row."""
    found: list[list[str]] = []
    for lines in part.shown:
        whole = [row for line in lines for row in wrapped(line, width)]
        for form in (whole, [clipped_at_words(line, width) for line in lines]):
            if not found or form != found[-1]:
                found.append(form)
            if part.rank == KEPT:
                break
    return found


def _left_out_line(state: IncidentState, names: list[str], width: int) -> list[str]:
    """What the screen left out, and how to read all of it: wrapped to `width`."""
    if not names:
        return []
    said = f"Not shown: {', '.join(names)} (all of it: lastgood brief {state.id} | less)"
    return wrapped(said, width)
