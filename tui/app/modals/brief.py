"""The handoff brief, for whoever takes over incident command at this keyboard.

Why it exists: a new incident commander arriving mid-rollback asks the same six
questions (where are we, what was decided, what waits on whom, what do the triggers
say, what were stakeholders told, who does what). `i` answers them in one screen,
from the record, in the words `lastgood brief` prints; Escape, q or i closes it.

The brief's lines are made for 100 columns, a list's second line indented under its
label (`Roles: ` then seven spaces). Narrower, each line is wrapped here with a
hanging indent: what wraps goes under the label, as the brief's own second line does,
rather than back to the margin with that second line seven spaces in for no reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from incident.core.state import IncidentState
from tui.app.modals.base import LastgoodModal, dialog_foot, hint_line, title_line

LABEL = re.compile(r"[A-Z][A-Za-z ]{0,24}: ")
"""A line's label ("Roles: ", "Triggers now: "): what wraps goes under its end."""
ITEM_INDENT = 2
"""Under a line with no label (a decision, the title line): what wraps, this far in."""


def hanging(lines: Sequence[str], width: int) -> list[str]:
    """`lines` wrapped at `width` cells, each with a hanging indent: under its label, or
    under the list it continues (its own leading spaces), else `ITEM_INDENT` in."""
    shown: list[str] = []
    label = 0
    for line in lines:
        lead = len(line) - len(line.lstrip(" "))
        if lead and lead == label:  # the brief's own continuation of a labelled list
            indent = min(label, width // 3)
            line = " " * indent + line.lstrip(" ")
        else:
            found = LABEL.match(line) if not lead else None
            label = len(found.group()) if found else 0
            indent = min(label or lead + ITEM_INDENT, width // 3)
        shown += wrapped(line, width, indent)
    return shown


def wrapped(line: str, width: int, indent: int) -> list[str]:
    """One line at `width` cells, broken at spaces (inside a word too long for a row),
    its rows after the first `indent` spaces in; its own leading spaces are kept."""
    if width <= 0 or cell_len(line) <= width:
        return [line]
    rows: list[str] = []
    row = ""
    for word in re.findall(r"\s*\S+", line):  # each word with the spaces before it
        if row.strip() and cell_len(row + word) > width:
            rows.append(row)
            row, word = " " * indent, word.lstrip()
        row += word
        while cell_len(row) > width:  # a word longer than a row: folded
            cut = _fitting(row, width, indent + 1)
            rows.append(row[:cut])
            row = " " * indent + row[cut:]
    rows.append(row)
    return rows


def _fitting(row: str, width: int, least: int) -> int:
    """How many of `row`'s characters fit in `width` cells (`least` at least)."""
    cut = 0
    while cut < len(row) and cell_len(row[: cut + 1]) <= width:
        cut += 1
    return max(cut, least)


class BriefText(Static):
    """The brief's lines, wrapped for the width it is given (`hanging`)."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = list(lines)
        super().__init__("\n".join(self.lines), id="brief-text", markup=False)

    def on_resize(self, event: events.Resize) -> None:
        self.update("\n".join(hanging(self.lines, self.content_size.width)))


class BriefModal(LastgoodModal[None]):
    """The brief's lines, as plain text (never markup); Escape, q or i closes."""

    DEFAULT_CSS = """
    BriefModal .dialog {
        width: 90%;
        max-width: 104;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "stakeholders", "For stakeholders"),
        Binding("escape", "cancel", "Close"),  # a page to read: nothing to cancel
        Binding("q,i", "cancel", "Close", show=False),
    ]

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__()
        self.lines = list(lines)
        """The brief, at most 20 lines, control characters already made visible."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield title_line("Handoff brief").set_class(True, "brief-title")
            with VerticalScroll(id="brief", classes="reading"):
                yield BriefText(self.lines)
                yield Static("", id="stakeholder-text", markup=False)
            yield dialog_foot(hint_line(BRIEF_HINT).set_class(True, "brief-hint"))

    def on_mount(self) -> None:
        self.query_one("#stakeholder-text", Static).display = False

    def action_stakeholders(self) -> None:
        """The words for stakeholders in place of the brief, or the brief back."""
        words = self.query_one("#stakeholder-text", Static)
        brief = self.query_one(BriefText)
        showing = not words.display
        if showing:
            words.update(_stakeholder_words(self))
        words.display, brief.display = showing, not showing
        title = "Words for stakeholders" if showing else "Handoff brief"
        self.query_one(".brief-title", Label).update(title)
        self.query_one(".brief-hint", Label).update(STAKEHOLDER_HINT if showing else BRIEF_HINT)


BRIEF_HINT = "Esc/q/i close · lastgood brief ID prints the same"
STAKEHOLDER_HINT = "s the brief again · Esc/q/i close · brief ID --for stakeholders prints it"


def _stakeholder_words(modal: BriefModal) -> str:
    """The paragraph for the incident the screen under `modal` shows, at its now: every
    screen that opens the brief (the coordinator's, the follow view) has its `state` and
    an `IncidentView` as `view`, whose `now()` is the screen's clock."""
    from incident.app.params import machine_zone
    from incident.app.stakeholder_brief import stakeholder_words

    stack = modal.app.screen_stack
    below = stack[-2] if len(stack) > 1 and stack[-1] is modal else None
    state = getattr(below, "state", None)
    now: Callable[[], datetime] | None = getattr(getattr(below, "view", None), "now", None)
    if not isinstance(state, IncidentState) or now is None:
        return "No incident is shown under this dialog."
    return stakeholder_words(state, now(), machine_zone())
