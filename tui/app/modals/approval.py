"""Record an approval: who approved, and why.

Why it exists: some rollback steps (restoring the database from backup, for one)
may only proceed once a named role -- leadership -- has approved. The record of
the incident must say who gave that approval and why, so this modal insists on
both before it returns.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from incident.core.text import visible
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

if TYPE_CHECKING:
    from tui.app.modals.verb_form import Refusal

Approve = Callable[[tuple[str, str]], Awaitable["Refusal | None"]]
"""Records (approver, reason): None once recorded, else why not."""


class ApprovalModal(FormModal[tuple[str, str] | None]):
    """Ask who approves ``what`` and why; dismiss with ``(approver, reason)``.

    Both fields are required and returned stripped. Escape dismisses ``None``.
    """

    DEFAULT_CSS = """
    ApprovalModal .what {
        width: 100%;
        text-style: bold;
    }
    ApprovalModal .role {
        width: 100%;
        margin-bottom: 1;
    }
    """

    def __init__(
        self,
        what: str,
        approver_role: str,
        *,
        approver: str = "",
        reason: str = "",
        role_note: str = "",
        approve: Approve | None = None,
    ) -> None:
        super().__init__()
        self.what = what
        """What is being approved (a step title, a tier)."""
        self.approver_role = approver_role
        """The role whose approval is needed."""
        self.role_note = role_note
        """Said after the role: that no one holds it, say, before an approval is tried."""
        self.approve = approve
        """Records the approval; on a refusal the dialog stays open, what was typed kept,
        the refusal shown in it. Without it the dialog dismisses with the values."""
        self.approver = approver
        """Prefill of the Approver field."""
        self.reason = reason
        """Prefill of the Reason field."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield title_line("Record approval")
            yield Label(visible(f"Approve: {self.what}"), classes="what", markup=False)
            note = f" ({self.role_note})" if self.role_note else ""
            yield Label(
                visible(f"Needs approval by: {self.approver_role}{note}"),
                classes="role",
                markup=False,
            )
            yield field(
                "Approver",
                text_input(self.approver, id="approver", placeholder="name"),
                required=True,
            )
            yield field(
                "Reason",
                text_input(self.reason, id="reason", placeholder="why this is approved"),
                required=True,
            )
            yield dialog_foot(
                error_line(),
                button_row(submit_button("Approve"), cancel_button()),
                hint_line("Enter next/submit · ctrl+s approve · Esc cancel"),
            )

    def on_mount(self) -> None:
        # Start where typing is needed: the first empty field.
        for input_ in self.query(Input):
            if not input_.value.strip():
                input_.focus()
                return

    def action_submit(self) -> None:
        if self.is_dismissed or self._recording:
            return  # a second ctrl+s while the first records
        approver = self.query_one("#approver", Input)
        reason = self.query_one("#reason", Input)
        missing = [
            (name, widget)
            for name, widget in (("Approver", approver), ("Reason", reason))
            if not widget.value.strip()
        ]
        if missing:
            names = " and ".join(name for name, _ in missing)
            verb = "is" if len(missing) == 1 else "are"
            self.show_error(f"{names} {verb} required.", focus=missing[0][1])
            return
        result = (approver.value.strip(), reason.value.strip())
        if self.approve is None:
            self.dismiss(result)
            return
        self.dismiss_once_recorded(self.approve(result), result, self._refused)

    def _refused(self, refusal: Refusal) -> None:
        """The refusal in the dialog (a tier's approval from its chooser, or with no
        one in its role), the focus on the approver: the field a way on goes through."""
        field_id = "reason" if refusal.needs == ("reason",) else "approver"
        self.show_error(visible(refusal.message), focus=self.query_one(f"#{field_id}", Input))
