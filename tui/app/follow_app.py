"""`lastgood attach`: follow an incident live from another terminal, read-only."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from incident.app.session import IncidentSession
from incident.core.clock import Clock, SystemClock
from store.backends import EventRecord
from tui.app.read_only_app import ReadOnlyApp
from tui.app.refusal import UNREADABLE, unreadable
from tui.app.screens.follow import BRIEF, FollowScreen
from tui.app.screens.verb_keys import HELP_FIRST


class FollowApp(ReadOnlyApp):
    """Holds only a read-only connection: it cannot write to the record."""

    TITLE = "lastgood attach"
    HELP_TITLE = "Following"
    SCREEN_BINDINGS = [
        b for b in FollowScreen.BINDINGS if isinstance(b, Binding) and b is not HELP_FIRST
    ]
    """The screen's keys help lists: help itself is under "Moving around"."""

    def __init__(self, log: EventRecord, incident_id: str, *, clock: Clock | None = None) -> None:
        super().__init__()
        if not log.read_only:
            raise ValueError("attach needs a read-only log")
        self.event_log = log
        self.incident_id = incident_id
        self.clock: Clock = clock or SystemClock()

    def on_mount(self) -> None:
        try:
            session = IncidentSession(self.event_log, self.incident_id, self.clock, journal=True)
        except UNREADABLE as error:
            self.refuse(unreadable(self.event_log, self.incident_id, error), 2, error)
            return
        self.push_screen(FollowScreen(session))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own commands, then the handoff brief under the coordinator's title
        for it ("brief" found nothing here)."""
        yield from super().get_system_commands(screen)
        follow = next((s for s in self.screen_stack if isinstance(s, FollowScreen)), None)
        if follow is not None:
            yield SystemCommand(BRIEF.title, BRIEF.help, follow.action_brief)
