"""Assign an incident role to a person.

Why it exists: the guide names who does what during a rollback (incident
commander, communications, database owner, ...). When someone joins, leaves or
hands over, the coordinator records the new holder; seeing the current holder of
each role next to it avoids assigning the wrong one under stress.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Select

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

VACANT = "(vacant)"
"""Shown for a role nobody holds yet."""


def role_label(role: str, holder: str | None) -> str:
    """How a role appears in the list: its name and who holds it now."""
    return f"{role} — {holder or VACANT}"


class RoleModal(FormModal[tuple[str, str] | None]):
    """Pick a role and type the person taking it; dismiss with ``(role, person)``.

    ``holders`` maps role to its current holder (missing roles are vacant).
    ``role`` preselects a role. Both role and person are required.
    """

    def __init__(
        self,
        roles: Sequence[str],
        holders: Mapping[str, str],
        *,
        role: str | None = None,
    ) -> None:
        super().__init__()
        self.roles = list(roles)
        """The roles that can be assigned, in display order."""
        self.holders = dict(holders)
        """Current holder of each role."""
        self.initial_role = role if role in self.roles else None
        """The role preselected when the modal opens."""

    def compose(self) -> ComposeResult:
        options = [(Text(role_label(r, self.holders.get(r))), r) for r in self.roles]
        select: Select[str] = Select(
            options,
            prompt="Choose a role",
            value=self.initial_role if self.initial_role is not None else Select.NULL,
            id="role",
            compact=True,
        )
        with Vertical(classes="dialog"):
            yield title_line("Assign role")
            yield field("Role", select, required=True)
            yield field("Person", text_input(id="person", placeholder="name"), required=True)
            yield error_line()
            yield button_row(submit_button("Assign"), cancel_button())
            yield hint_line("Enter open list/submit · ctrl+s assign · Esc cancel")

    def on_mount(self) -> None:
        if self.initial_role is not None:
            self.query_one("#person", Input).focus()

    @on(Select.Changed, "#role")
    def _role_changed(self, event: Select.Changed) -> None:
        person = self.query_one("#person", Input)
        if isinstance(event.value, str):
            holder = self.holders.get(event.value)
            person.placeholder = f"replacing {holder}" if holder else "name"

    def action_submit(self) -> None:
        select: Select[str] = self.query_one("#role", Select)
        person = self.query_one("#person", Input)
        if select.is_blank():
            self.show_error("Choose a role.", focus=select)
            return
        if not person.value.strip():
            self.show_error("Person is required.", focus=person)
            return
        self.dismiss((str(select.value), person.value.strip()))
