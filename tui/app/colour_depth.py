"""Sixteen colours: a terminal that shows only its ANSI palette.

Under `TERM=xterm` (or `TEXTUAL_COLOR_SYSTEM=standard`) Rich maps each colour of the
theme to the nearest of sixteen, and the theme's pairs stop reading: the footer's
orange keys and its grey-blue bar became bright red on bright black (about 1:1 in
xterm's palette), and a phase due soon (orange) and one overdue (red) one colour.

An app rendering in sixteen colours carries the class `SIXTEEN_COLOURS`, which
`app.tcss` gives pairs of ANSI colours chosen to read in any palette (bright white on
blue or red, bright yellow or bright red on black).

ANSI colours named in CSS reach Rich as RGB (Textual's ANSI-to-truecolor filter, with
the app's `ansi_theme_dark`), which Rich then maps back to the nearest of the sixteen.
With Textual's default table (Monokai), red came back magenta; `SIXTEEN` maps each
ANSI colour to the RGB that Rich maps back to it.
"""

from __future__ import annotations

from rich.color import ColorSystem
from rich.terminal_theme import TerminalTheme
from textual.app import App

SIXTEEN_COLOURS = "-sixteen-colours"
"""The app's class while it renders in sixteen colours."""

SIXTEEN = TerminalTheme(
    (0, 0, 0),
    (170, 170, 170),
    [
        (0, 0, 0),
        (170, 0, 0),
        (0, 170, 0),
        (170, 85, 0),
        (0, 0, 170),
        (170, 0, 170),
        (0, 170, 170),
        (170, 170, 170),
    ],
    [
        (85, 85, 85),
        (255, 85, 85),
        (85, 255, 85),
        (255, 255, 85),
        (85, 85, 255),
        (255, 85, 255),
        (85, 255, 255),
        (255, 255, 255),
    ],
)
"""ANSI colour n as the RGB that Rich's sixteen-colour downgrade maps back to n (its
standard palette; `tests/tui/test_legibility.py` checks each one)."""

_SIXTEEN_SYSTEMS = {ColorSystem.STANDARD.name.lower(), ColorSystem.WINDOWS.name.lower()}
"""`Console.color_system` of a sixteen-colour terminal."""


class ColourDepth(App[None]):
    """An app that tells its CSS when it renders in sixteen colours."""

    def __init__(self) -> None:
        super().__init__()
        if self.console.color_system in _SIXTEEN_SYSTEMS:
            self.add_class(SIXTEEN_COLOURS)
            self.ansi_theme_dark = self.ansi_theme_light = SIXTEEN
