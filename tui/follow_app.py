"""`lastgood attach`: follow an incident live from another terminal, read-only."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from incident.clock import Clock, SystemClock
from incident.session import IncidentSession
from store.sqlite_log import SqliteEventLog
from tui.help import EXTRA_KEYS
from tui.modals import HelpModal
from tui.screens.follow import FollowScreen


class FollowApp(App[None]):
    """Holds only a read-only connection: it cannot write to the record."""

    CSS_PATH = "app.tcss"
    TITLE = "lastgood attach"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self, log: SqliteEventLog, incident_id: str, *, clock: Clock | None = None
    ) -> None:
        super().__init__()
        if not log.read_only:
            raise ValueError("attach needs a read-only log")
        self.event_log = log
        self.incident_id = incident_id
        self.clock: Clock = clock or SystemClock()

    def on_mount(self) -> None:
        session = IncidentSession(self.event_log, self.incident_id, self.clock)
        events = self.event_log.events(self.incident_id)
        self.push_screen(FollowScreen(session, events, actor="follower"))

    def action_help(self) -> None:
        keys = [
            (b.key_display or b.key, b.description)
            for b in FollowScreen.BINDINGS
            if isinstance(b, Binding)
        ]
        self.push_screen(HelpModal([("Following", keys), ("Moving around", EXTRA_KEYS)]))
