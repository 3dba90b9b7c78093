"""The declare form's two questions to the application layer, as `lastgood declare` asks them.

Which runbook a name or path finds (`incident.app.runbook_lookup`, as `--runbook` finds
it), and the declaration itself (`incident.app.lifecycle.declare`). A refusal answers
the form, which stays open with everything typed: it used to come back empty, or the
app to end in a traceback on a store error such as a full disk.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from incident.app.runbook_lookup import find_runbook, runbook_name
from incident.core.clock import Clock
from incident.core.errors import CommandError
from incident.core.log import EventLog
from incident.core.text import visible
from runbooks.model import Runbook
from store.errors import StoreError

if TYPE_CHECKING:
    from tui.app.modals.declare import DeclareModal
    from tui.app.modals.declare_form import DeclareForm, RunbookView
    from tui.app.modals.verb_form import Refusal


class Declaring:
    """One declare form's answers: the runbooks its names find, and the declaration."""

    def __init__(
        self,
        log: EventLog,
        runbook: Runbook,
        *,
        actor: str,
        clock: Clock,
        incident_id: str | None = None,
        db: str | None = None,
    ) -> None:
        self.log = log
        self.db = db
        """The record's location as the app was given it: its password is a secret
        typed text may not hold (`incident.app.typed_secrets`)."""
        self.actor = actor
        self.clock = clock
        self.incident_id = incident_id
        """A fixed id for the declaration, for tests and screenshots."""
        self.runbook = runbook
        """The runbook the app was started with, which the form offers first."""
        self.found: dict[str, Runbook] = {runbook_name(runbook): runbook}
        """Runbooks by the name or path that found them: each file is read once."""
        self.declared: str | None = None
        """The new incident's id, once recorded."""

    def modal(self) -> DeclareModal:
        from tui.app.modals.declare import DeclareModal

        return DeclareModal(
            self.view(runbook_name(self.runbook), self.runbook),
            commander=self.actor,  # the coordinator's name, theirs to change
            record=self.record,
            find_runbook=self.look_up,
            now=self.clock.now(),
        )

    @staticmethod
    def view(name: str, runbook: Runbook) -> RunbookView:
        from incident.app.declare_notes import runbook_notes
        from tui.app.modals.declare_form import RunbookView

        default = runbook.default_pattern
        return RunbookView(
            name=name,
            title=runbook.title,
            patterns=tuple(str(p.id) for p in runbook.patterns),
            default_pattern=None if default is None else str(default),
            notes=tuple(runbook_notes(runbook)),  # as `lastgood declare` says them
        )

    async def _runbook(self, name: str) -> Runbook:
        """The runbook `name` finds (read off the UI loop); CommandError if none."""
        if name not in self.found:
            self.found[name] = await asyncio.to_thread(find_runbook, name)
        return self.found[name]

    async def look_up(self, name: str) -> RunbookView | Refusal:
        from tui.app.modals.verb_form import Refusal

        try:
            return self.view(name, await self._runbook(name))
        except CommandError as error:
            return Refusal(visible(str(error)), error.needs)

    async def record(self, form: DeclareForm) -> Refusal | None:
        """None once recorded (`declared` holds the id); else why not."""
        from incident.app.lifecycle import declare  # the commands, when declaring
        from tui.app.modals.verb_form import Refusal

        try:
            runbook = await self._runbook(form.runbook)
            session = declare(
                self.log,
                runbook,
                form.declaration(),
                actor=self.actor,
                clock=self.clock,
                incident_id=self.incident_id,
                db=self.db,
            )
        except CommandError as error:
            from tui.app.modals.field_labels import label_of

            return Refusal(visible(error.said_as(label_of)), error.needs, about=error.about)
        except StoreError as error:
            return Refusal(visible(str(error)))
        self.declared = session.state.id
        return None
