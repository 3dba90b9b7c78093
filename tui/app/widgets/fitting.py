"""The first of a few forms of a text that fits a width: whole, then shorter ones.

A narrow terminal gives a cell fewer columns than its text wants; the cell then shows
a shorter form made for it (a state's short word, a title's first words) rather than
the long one cut at an arbitrary column. The phase strip's states and clocks and the
phase titles pick their forms here.
"""

from __future__ import annotations

from rich.cells import cell_len


def fitting(forms: tuple[str, ...], width: int) -> str:
    """The first of `forms` that fits in `width` cells (the last if none does); all of
    them fit while the width is not known yet (0: not laid out)."""
    if width <= 0:
        return forms[0]
    return next((form for form in forms if cell_len(form) <= width), forms[-1])
