"""Pick which open incident to resume, or declare a new one.

Why it exists: lastgood never loses an incident -- after a crash, a reboot or
on another coordinator's laptop the app starts again where it was. When more
than one incident is open, the coordinator must say which one to resume; this
list shows enough (severity, title, elapsed time, where it stands, id and
commander) to pick the right one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from incident.core.text import visible
from tui.app.marked_list import GUTTER, MarkedOptionList
from tui.app.modals.base import LastgoodModal, dialog_foot, hint_line, title_line

NEW = "new"
"""Result meaning "declare a new incident"."""


@dataclass(frozen=True)
class IncidentRow:
    """One open incident as the picker lists it."""

    id: str
    """Incident id, returned when picked."""
    severity: str
    """e.g. "SEV2"."""
    title: str
    """Incident title."""
    elapsed: str
    """Time since declaration, already formatted (e.g. "T+12:34")."""
    status: str
    """Where it stands, already formatted ("open", "resolved, ready to close")."""
    commander: str = ""
    """Who commands it now; "" when no one is named."""


ROW_WIDTH = 70
"""Cells for one incident line before the dialog is laid out; then its list's width
(`IncidentPicker.fit_rows`), so an incident's two lines never wrap into more at 60
columns."""


def _cell(text: str, width: int, style: str = "", *, right: bool = False) -> Content:
    """``text`` truncated (with an ellipsis) and padded to exactly ``width`` cells."""
    content = Content(visible(text)).truncate(width, ellipsis=True)
    gap = width - content.cell_length
    content = content.pad(gap, 0) if right else content.pad_right(gap)
    return content.stylize(style) if style else content


NARROWEST_TITLE = 16
"""Cells of title below which where an incident stands moves to its second line."""


def row_prompts(rows: Sequence[IncidentRow], width: int = ROW_WIDTH) -> list[Content]:
    """Two aligned lines per incident: severity, title, elapsed time and where it
    stands; under the title, its id and commander (the id `lastgood start ID` takes).
    Too narrow for a readable title beside it (60 columns), where it stands leads
    the second line instead, which then starts under the severity."""
    if not rows:
        return []
    sev_w = max(cell_len(r.severity) for r in rows)
    elapsed_w = max(cell_len(r.elapsed) for r in rows)
    status_w = min(24, max(cell_len(r.status) for r in rows))
    title_w = width - sev_w - elapsed_w - status_w - 6
    beside = title_w >= NARROWEST_TITLE
    if not beside:
        title_w = max(10, width - sev_w - elapsed_w - 4)
    prompts = []
    for r in rows:
        first: list[str | Content] = [
            _cell(r.severity, sev_w, "bold"),
            "  ",
            _cell(r.title, title_w),
            "  ",
            _cell(r.elapsed, elapsed_w, "bold", right=True),
        ]
        if beside:
            first += ["  ", _cell(r.status, status_w, "italic")]
            second: list[str | Content] = [
                " " * (sev_w + 2),
                _cell(_who(r), max(10, width - sev_w - 2), "dim"),
            ]
        else:
            who = Content.assemble(
                Content(visible(r.status)).stylize("italic"), " · ", Content(visible(_who(r)))
            )
            second = [who.truncate(width, ellipsis=True).stylize("dim")]
        prompts.append(Content.assemble(*first, "\n", *second))
    return prompts


def _who(row: IncidentRow) -> str:
    """`INC-20261207-9550 · IC Bo`: the line under an incident's title."""
    return f"{row.id} · IC {row.commander or '—'}"


class IncidentPicker(LastgoodModal[str | None]):
    """List open incidents; dismiss with the chosen id, ``"new"``, or ``None``."""

    DEFAULT_CSS = """
    IncidentPicker #incidents {
        height: auto;
        max-height: 16;
        margin: 1 0;
    }
    IncidentPicker .empty {
        width: 100%;
        margin: 1 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("n", "new", "New incident")]

    def __init__(self, rows: Sequence[IncidentRow]) -> None:
        super().__init__()
        self.rows = list(rows)
        """The open incidents, most relevant first."""
        self._fitted_to = ROW_WIDTH
        """The width the rows' lines were last made for."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield title_line("Open incidents")
            if self.rows:
                yield MarkedOptionList(
                    *(
                        Option(prompt, id=row.id)
                        for row, prompt in zip(self.rows, row_prompts(self.rows), strict=True)
                    ),
                    id="incidents",
                    compact=True,
                )
            else:
                yield Label("No open incidents. Press n to declare one.", classes="empty")
            yield dialog_foot(hint_line("↑↓ choose · Enter resume · n new incident · Esc cancel"))

    def on_resize(self) -> None:
        """Laid out, or the terminal resized: the lines made again for the list's width."""
        self.call_after_refresh(self.fit_rows)

    def fit_rows(self) -> None:
        if not self.rows or not self.is_attached:
            return
        options = self.query_one("#incidents", OptionList)
        # Room for a scrollbar kept either way: made for the width without one, the
        # lines wrapped as they came back from a wider terminal, which brought it.
        width = options.content_region.width - GUTTER - options.styles.scrollbar_size_vertical
        if width <= 0 or width == self._fitted_to:
            return
        self._fitted_to = width
        for row, prompt in zip(self.rows, row_prompts(self.rows, width), strict=True):
            options.replace_option_prompt(row.id, prompt)

    def action_new(self) -> None:
        """Declare a new incident instead."""
        self.dismiss(NEW)

    @on(OptionList.OptionSelected, "#incidents")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_id)
