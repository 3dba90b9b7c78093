"""WCAG contrast of what the app draws, cell by cell, as a terminal would show it.

The cells are the compositor's full update (the dialog over the screens beneath, as
`screen_text.screen_lines` reads it), after the app's filters (NO_COLOR's monochrome,
ANSI to RGB). Each cell's colours are then taken as a terminal of a given depth
shows them:

- `TRUECOLOR`: the RGB as drawn;
- `EIGHT_BIT`: Rich's nearest of the 256 colours, shown in xterm's palette (what
  `tmux capture-pane -e` reports under `TERM=*-256color`);
- `STANDARD`: Rich's nearest of the sixteen, shown in xterm's palette.

Reverse video swaps the two; dim (which Textual's filter turns into a blend before
this point) is blended half way to the background if it is still there.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.color import Color, ColorSystem
from rich.style import Style
from textual._compositor import LayoutUpdate
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget

from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen

XTERM_16: tuple[tuple[int, int, int], ...] = (
    (0, 0, 0),
    (205, 0, 0),
    (0, 205, 0),
    (205, 205, 0),
    (0, 0, 238),
    (205, 0, 205),
    (0, 205, 205),
    (229, 229, 229),
    (127, 127, 127),
    (255, 0, 0),
    (0, 255, 0),
    (255, 255, 0),
    (92, 92, 255),
    (255, 0, 255),
    (0, 255, 255),
    (255, 255, 255),
)
"""xterm's sixteen colours: the palette the review's measurements used."""

DEFAULT_FOREGROUND = XTERM_16[7]
DEFAULT_BACKGROUND = XTERM_16[0]
"""A cell with no colour of its own: a dark terminal's defaults."""

READS = 4.5
"""WCAG 2's minimum contrast for text (AA): what the coordinator must read in a hurry."""

COLOUR_TERMINALS = (ColorSystem.TRUECOLOR, ColorSystem.EIGHT_BIT)
"""The depths an app that renders in millions (or 256) of colours is measured at."""

TERMINALS = ["default", "no-color", "sixteen-colours"]
"""The `terminal` fixture's names (tests/tui/conftest.py)."""


def depths(terminal: str) -> tuple[ColorSystem, ...]:
    """The depths the app started in `terminal` is measured at."""
    return (ColorSystem.STANDARD,) if terminal == "sixteen-colours" else COLOUR_TERMINALS


def xterm(number: int) -> tuple[int, int, int]:
    """xterm's RGB for colour `number` of 256."""
    if number < 16:
        return XTERM_16[number]
    if number < 232:
        steps = (0, 95, 135, 175, 215, 255)
        number -= 16
        return steps[number // 36], steps[number // 6 % 6], steps[number % 6]
    grey = 8 + 10 * (number - 232)
    return grey, grey, grey


def shown(
    color: Color | None, depth: ColorSystem, default: tuple[int, int, int]
) -> tuple[int, int, int]:
    """The RGB a terminal of `depth` shows for `color`."""
    if color is None or color.is_default:
        return default
    if depth is ColorSystem.TRUECOLOR:
        triplet = color.get_truecolor()
        return triplet.red, triplet.green, triplet.blue
    down = color.downgrade(depth)
    if down.number is None:
        triplet = down.get_truecolor()
        return triplet.red, triplet.green, triplet.blue
    return xterm(down.number)


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = rgb
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def ratio(one: tuple[int, int, int], other: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio, from 1 to 21."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@dataclass(frozen=True)
class Cell:
    char: str
    style: Style

    def colours(self, depth: ColorSystem) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        """(foreground, background) as shown at `depth`."""
        fg = shown(self.style.color, depth, DEFAULT_FOREGROUND)
        bg = shown(self.style.bgcolor, depth, DEFAULT_BACKGROUND)
        if self.style.dim:
            fg = ((fg[0] + bg[0]) // 2, (fg[1] + bg[1]) // 2, (fg[2] + bg[2]) // 2)
        if self.style.reverse:
            fg, bg = bg, fg
        return fg, bg

    def contrast(self, depth: ColorSystem) -> float:
        return ratio(*self.colours(depth))


def screen_cells(app: App[object]) -> list[list[Cell]]:
    """The terminal's rows, top to bottom, cell by cell, from a full frame."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    assert isinstance(update, LayoutUpdate)  # what a full update is
    rows: list[list[Cell]] = []
    for line in update.strips:
        row: list[Cell] = []
        for strip in line:
            for segment in strip:
                if segment.control:
                    continue
                style = segment.style or Style()
                for char in segment.text:
                    row.append(Cell(char, style))
        rows.append(row)
    return rows


def row_text(row: list[Cell]) -> str:
    return "".join(cell.char for cell in row)


def find(app: App[object], needle: str, *, row: int | None = None) -> list[Cell]:
    """The cells of the first `needle` on the screen (in `row` if given, negative from the end)."""
    rows = screen_cells(app)
    candidates = [rows[row]] if row is not None else rows
    for cells in candidates:
        at = row_text(cells).find(needle)
        if at >= 0:
            return cells[at : at + len(needle)]
    shown_rows = "\n".join(row_text(cells) for cells in rows)
    raise AssertionError(f"{needle!r} is not on the screen:\n{shown_rows}")


def contrast_of(cells: list[Cell], depth: ColorSystem = ColorSystem.TRUECOLOR) -> float:
    """The lowest contrast among the cells' visible characters."""
    return min(cell.contrast(depth) for cell in cells if not cell.char.isspace())


def worst(cells: list[Cell], depths: tuple[ColorSystem, ...]) -> float:
    """The lowest contrast among the cells at any of `depths`."""
    return min(contrast_of(cells, depth) for depth in depths)


def widget_cells(app: App[object], widget: Widget) -> list[list[Cell]]:
    """The rows of cells `widget` covers on the screen (its region, border and all)."""
    region = widget.region
    rows = screen_cells(app)
    return [row[region.x : region.right] for row in rows[region.y : region.bottom]]


def cells_with(rows: list[list[Cell]], needle: str) -> list[Cell]:
    """The cells of the first `needle` in `rows`."""
    for cells in rows:
        at = row_text(cells).find(needle)
        if at >= 0:
            return cells[at : at + len(needle)]
    shown_rows = "\n".join(row_text(cells) for cells in rows)
    raise AssertionError(f"{needle!r} is not there:\n{shown_rows}")


def text_cells(app: App[object], widget: Widget) -> list[Cell]:
    """Every visible character `widget` draws."""
    return [cell for row in widget_cells(app, widget) for cell in row if not cell.char.isspace()]


@asynccontextmanager
async def incident_at(
    tmp_path: Path, scenario: str, minutes: float = 0, size: tuple[int, int] = (120, 40)
) -> AsyncIterator[tuple[LastGoodApp, Pilot[None]]]:
    """The coordinator's screen on a demo scenario, its clock `minutes` further on."""
    copy = scenario_copy(scenario, tmp_path / f"{scenario}.db")
    if minutes:
        copy.advance(minutes * 60)
    app = scenario_app(copy)
    async with app.run_test(size=size) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        yield app, pilot
