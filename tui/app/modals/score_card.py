"""A drill's score card, shown when the drill is closed.

Why it exists: a rehearsal is worth what its debrief teaches. The moment the drill
closes (from this terminal or another) the coordinator sees what `lastgood score`
prints: each phase against its window, time to decision, the database tier against
the fault, messages on cadence, evidence on verification. Escape or q closes it.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from incident.reports.drill_score import ScoreCard, Verdict, score_text
from tui.app.modals.base import LastgoodModal, dialog_foot, hint_line, title_line

MARKS = {Verdict.MET: "✓ ", Verdict.MISSED: "✗ ", Verdict.OPEN: "○ "}
"""Each line's mark: met, missed, or its window still open."""


class ScoreCardModal(LastgoodModal[None]):
    """The card's lines as text (never markup), each marked by its verdict."""

    DEFAULT_CSS = """
    ScoreCardModal .dialog {
        width: 90%;
        max-width: 110;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close"),  # a page to read: nothing to cancel
        Binding("q", "cancel", "Close", show=False),
    ]

    def __init__(self, card: ScoreCard) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        head, score, *rest = score_text(self.card).splitlines()
        lines, forced = rest[: len(self.card.lines)], rest[len(self.card.lines) :]
        marked = [
            Content.assemble(MARKS[line.verdict], Content(text))
            for line, text in zip(self.card.lines, lines, strict=True)
        ]
        marked += [Content(text).stylize("bold") for text in forced]
        with Vertical(classes="dialog"):
            yield title_line("Drill score card")
            with VerticalScroll(id="score", classes="reading"):
                yield Static(Content(head), id="score-head")
                yield Static(Content(score).stylize("bold"), id="score-total")
                yield Static(Content("\n").join(marked), id="score-lines")
            yield dialog_foot(hint_line("Esc/q close · lastgood score ID prints the same"))
