"""`lastgood attach`: follow an incident live from another terminal, read-only."""

from __future__ import annotations

from textual.binding import Binding

from incident.app.session import IncidentSession
from incident.core.clock import Clock, SystemClock
from store.backends import EventRecord
from tui.app.read_only_app import ReadOnlyApp
from tui.app.refusal import UNREADABLE, unreadable
from tui.app.screens.follow import FollowScreen


class FollowApp(ReadOnlyApp):
    """Holds only a read-only connection: it cannot write to the record."""

    TITLE = "lastgood attach"
    HELP_TITLE = "Following"
    SCREEN_BINDINGS = [b for b in FollowScreen.BINDINGS if isinstance(b, Binding)]

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
            self.refuse(unreadable(self.event_log, self.incident_id, error), 2)
            return
        self.push_screen(FollowScreen(session))
