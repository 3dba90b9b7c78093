"""Choose how the database is rolled back.

Why it exists: the guide's database step has three tiers -- backward compatible
(no action), down migrations (possible data loss) and restore from backup
(certain data loss, leadership approval). It is the most dangerous choice of the
rollback, so each tier states its data loss in words and a marker (never colour
alone), its risk and its guidance, and the choice needs a written reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from incident.core.text import visible
from tui.app.marked_list import MarkedOptionList
from tui.app.modals.base import (
    FormModal,
    button_row,
    cancel_button,
    dialog_foot,
    error_line,
    field,
    hint_line,
    submit_button,
    text_input,
    title_line,
)


@dataclass(frozen=True)
class TierView:
    """What the modal shows of one database rollback tier."""

    id: str
    """Tier id, returned when chosen."""
    title: str
    """Short name, e.g. "Restore from backup"."""
    risk: str
    """One-line risk statement."""
    data_loss: str
    """``none``, ``possible`` or ``certain``."""
    guidance: str
    """What to do and check for this tier."""
    approver: str | None
    """Role whose approval this tier needs, if any."""
    approved_by: str | None
    """Who approved it, once recorded."""

    @property
    def blocked(self) -> bool:
        """Needs an approval that has not been recorded yet."""
        return self.approver is not None and not self.approved_by


DATA_LOSS_MARKERS: dict[str, tuple[str, str]] = {
    "none": ("  DATA LOSS: NONE", "$text-success"),
    "possible": ("! DATA LOSS: POSSIBLE", "bold $text-warning"),
    "certain": ("!! DATA LOSS: CERTAIN", "bold $text-error"),
}
"""Marker text (words and ``!`` marks, readable without colour) and style per level."""


def data_loss_marker(level: str) -> tuple[str, str]:
    """The marker text and style for a data-loss level (unknown levels shown as-is)."""
    return DATA_LOSS_MARKERS.get(level, (f"? DATA LOSS: {level.upper()}", "bold"))


def tier_prompt(tier: TierView) -> Content:
    """The option shown for a tier: title and data loss, risk, approval state."""
    marker, style = data_loss_marker(tier.data_loss)
    parts: list[str | tuple[str, str]] = [
        (visible(tier.title), "bold"),
        "  ",
        (marker, style),
        "\n  ",
        (visible(tier.risk), "italic"),
    ]
    if tier.blocked:
        parts += [
            "\n  ",
            (f"BLOCKED until approved by {visible(tier.approver or '')}", "bold reverse"),
        ]
    elif tier.approver is not None:
        parts += ["\n  ", f"Approved by {visible(tier.approved_by or '')}"]
    return Content.assemble(*parts)


class TierGuidance(Static):
    """The highlighted tier's guidance. A longer text pushes the reason down: where the
    dialog scrolls (60x20), the field being typed in is kept in view, and the tier
    highlighted (the reason went under the buttons as the last resort's text came up)."""

    def on_resize(self) -> None:
        screen = self.screen
        if isinstance(screen, DatabaseTierModal):
            screen.tier_in_sight()


class DatabaseTierModal(FormModal[tuple[str, str] | None]):
    """Pick a database rollback tier and give a reason; dismiss with ``(tier_id, reason)``.

    The highlighted tier is the choice. A tier still waiting for its approval is
    selectable: the choice is recorded, and the app keeps the step blocked until
    the approval is recorded too.
    """

    DEFAULT_CSS = """
    DatabaseTierModal #tiers {
        height: auto;
        max-height: 9;
        margin-bottom: 1;
    }
    /* Whole: it says what the tier loses. Where the screen is short the dialog's
       body scrolls, never this text cut at three rows. */
    DatabaseTierModal #guidance-box {
        height: auto;
        margin-bottom: 1;
    }
    /* Under 24 rows the list scrolls to its highlighted tier in five rows (the last
       resort's, blocked, at 60 columns), so that tier and the reason fit together. */
    DatabaseTierModal.-cramped #tiers {
        max-height: 5;
        margin-bottom: 0;
    }
    DatabaseTierModal.-cramped #guidance-box {
        margin-bottom: 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "tier(-1)", show=False),
        Binding("down", "tier(1)", show=False),
    ]

    def __init__(
        self,
        tiers: Sequence[TierView],
        *,
        chosen: str | None = None,
        evidence: str = "",
        suggested: str | None = None,
    ) -> None:
        super().__init__()
        self.tiers = list(tiers)
        """The tiers, in the runbook's order."""
        ids = [t.id for t in self.tiers]
        start = chosen if chosen in ids else suggested
        self.initial_index = ids.index(start) if start in ids else 0
        """Index of the tier highlighted when the modal opens: the one chosen, else the
        one what the rollback undoes suggests."""
        self.evidence = evidence
        """What the rollback undoes (`lastgood changes --incident`), if it was read."""

    def compose(self) -> ComposeResult:
        options = [Option(tier_prompt(t), id=t.id) for t in self.tiers]
        with Vertical(classes="dialog"):
            yield title_line("Database rollback: choose a tier")
            if self.evidence:
                yield Static(
                    visible(f"What the rollback undoes: {self.evidence}"),
                    id="evidence",
                    markup=False,
                )
            yield MarkedOptionList(*options, id="tiers", compact=True)
            with VerticalScroll(id="guidance-box"):
                yield TierGuidance("", id="guidance", markup=False)
            yield field(
                "Reason", text_input(id="reason", placeholder="why this tier"), required=True
            )
            yield dialog_foot(
                error_line(),
                button_row(submit_button("Choose tier", variant="warning"), cancel_button()),
                hint_line("↑↓ tier · type the reason · Enter/ctrl+s choose · Esc cancel"),
            )

    def on_mount(self) -> None:
        tiers = self.query_one("#tiers", OptionList)
        if self.tiers:
            tiers.highlighted = self.initial_index
            self._show_guidance(self.tiers[self.initial_index])
        # Typing goes to the reason at once; ↑↓ still move the tier from there.
        self.query_one("#reason", Input).focus()
        self.call_after_refresh(self.tier_in_sight)  # after the focus's own scroll

    def on_resize(self) -> None:
        self.call_after_refresh(self.tier_in_sight)

    def tier_in_sight(self) -> None:
        """The highlighted tier on the screen, and the field being typed in.

        Where the dialog is taller than the screen (60x20) it scrolls; keeping the
        Reason field in view scrolled the list's top off it, the Best case line with it, and
        only the guidance said which tier Enter would choose (review11 #12). The list
        scrolls to its highlight, the dialog to the field and then to the list: where
        not both fit, the tier wins."""
        if self.is_dismissed:
            return
        tiers = self.query_one("#tiers", OptionList)
        tiers.scroll_to_highlight()
        focused = self.focused
        if focused is not None and focused is not tiers:
            focused.scroll_visible(animate=False, immediate=True)
        tiers.scroll_visible(animate=False, immediate=True)

    def action_tier(self, delta: int) -> None:
        """↑/↓ in the reason field: the previous or next tier."""
        tiers = self.query_one("#tiers", OptionList)
        if tiers.has_focus or not self.tiers:
            raise SkipAction()  # the list moves itself
        current = tiers.highlighted or 0
        tiers.highlighted = max(0, min(len(self.tiers) - 1, current + delta))

    @property
    def highlighted_tier(self) -> TierView | None:
        """The tier that would be chosen now."""
        index = self.query_one("#tiers", OptionList).highlighted
        return self.tiers[index] if index is not None else None

    def _show_guidance(self, tier: TierView) -> None:
        self.query_one("#guidance", Static).update(visible(f"{tier.title}: {tier.guidance}"))

    @on(OptionList.OptionHighlighted, "#tiers")
    def _tier_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_guidance(self.tiers[event.option_index])
        self.call_after_refresh(self.tier_in_sight)  # the guidance may not change size

    @on(OptionList.OptionSelected, "#tiers")
    def _tier_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#reason", Input).focus()

    def action_submit(self) -> None:
        tier = self.highlighted_tier
        reason = self.query_one("#reason", Input)
        if tier is None:
            self.show_error("Choose a tier.", focus=self.query_one("#tiers", OptionList))
            return
        if not reason.value.strip():
            self.show_error("Reason is required.", focus=reason)
            return
        self.dismiss((tier.id, reason.value.strip()))
