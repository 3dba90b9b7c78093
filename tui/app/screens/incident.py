"""The coordinator's main screen: every verb of the table, by key or by palette.

A thin adapter: a key (or a palette entry) starts a verb; the verb's use case
records it through the session, durably, before the screen redraws from the new
state. A refused verb shows its message and changes nothing. The bindings come
from `incident.app.verbs.VERBS`; only keys that move around are the screen's own.
"""

from __future__ import annotations

from collections.abc import Callable

from incident.app.verbs import BY_NAME
from incident.comms.due import awaiting_confirmation
from tui.app.screens.checking import ChecklistScreen
from tui.app.screens.verb_keys import HELP_FIRST, NAVIGATION, verb_bindings


class IncidentScreen(ChecklistScreen):
    """Where the coordinator lives for the length of the rollback."""

    BINDINGS = [HELP_FIRST, *verb_bindings(), *NAVIGATION]

    def forms(self, *, from_palette: bool) -> dict[str, Callable[[], None]]:
        """The verbs with a form or a flow of their own; the rest get the generic form."""
        return {
            "check": lambda: self.check_step(form=from_palette),
            "run": self.run_highlighted,
            "approve": self.approve_highlighted,
            "decide": self.open_decision,
            "db-tier": self.open_tiers,
            "send": self.action_compose,
            "deliver": self.action_resend_failed,
            "export": self.export_report,
        }

    def action_verb(self, name: str) -> None:
        """A verb's key: its own form or flow, else the form built from its parameters."""
        self.start_verb(name, from_palette=False)

    def start_verb(self, name: str, *, from_palette: bool) -> None:
        own = self.forms(from_palette=from_palette).get(name)
        if own is not None:
            own()
            return
        after = self._advance if name == "skip" else None
        self.open_form(BY_NAME[name], after=after)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`m` only while a message waits for confirmation, `f` while one failed for good."""
        if action == "due_message":
            return bool(awaiting_confirmation(self.state, self.now()))
        if action == "verb" and parameters == ("deliver",):
            return self.can_resend()
        return True
