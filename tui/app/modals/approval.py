"""Record an approval: who approved, and why.

Why it exists: some rollback steps (restoring the database from backup, for one)
may only proceed once a named role -- leadership -- has approved. The record of
the incident must say who gave that approval and why, so this modal insists on
both before it returns.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from incident.core.text import visible
from tui.app.modals.base import (
    FormModal,
    button_row,
    cancel_button,
    error_line,
    field,
    hint_line,
    submit_button,
    text_input,
    title_line,
)


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
        self, what: str, approver_role: str, *, approver: str = "", reason: str = ""
    ) -> None:
        super().__init__()
        self.what = what
        """What is being approved (a step title, a tier)."""
        self.approver_role = approver_role
        """The role whose approval is needed."""
        self.approver = approver
        """Prefill of the Approver field."""
        self.reason = reason
        """Prefill of the Reason field."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield title_line("Record approval")
            yield Label(visible(f"Approve: {self.what}"), classes="what", markup=False)
            yield Label(
                visible(f"Needs approval by: {self.approver_role}"), classes="role", markup=False
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
            yield error_line()
            yield button_row(submit_button("Approve"), cancel_button())
            yield hint_line("Enter next/submit · ctrl+s approve · Esc cancel")

    def on_mount(self) -> None:
        # Start where typing is needed: the first empty field.
        for input_ in self.query(Input):
            if not input_.value.strip():
                input_.focus()
                return

    def action_submit(self) -> None:
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
        self.dismiss((approver.value.strip(), reason.value.strip()))
