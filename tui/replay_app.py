"""`lastgood replay`: a recorded incident played back through the coordinator's screen."""

from __future__ import annotations

from datetime import timedelta

from textual.app import App
from textual.binding import Binding

from incident.events import Event
from incident.replay import ReplaySession
from tui.help import EXTRA_KEYS
from tui.modals import HelpModal
from tui.screens.replay import ReplayScreen


class ReplayApp(App[None]):
    """Read-only: built from events already read, it never holds a writable store."""

    CSS_PATH = "app.tcss"
    TITLE = "lastgood replay"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        events: list[Event],
        *,
        speed: float = 1.0,
        playing: bool = True,
        start_offset: timedelta | None = None,
    ) -> None:
        super().__init__()
        self.session = ReplaySession(events)
        if start_offset is not None:
            self.session.clock.jump(self.session.state.started_at + start_offset)
        self.speed = speed
        self.playing = playing

    def on_mount(self) -> None:
        self.push_screen(ReplayScreen(self.session, speed=self.speed, playing=self.playing))

    def action_help(self) -> None:
        keys = [
            (b.key_display or b.key, b.description)
            for b in ReplayScreen.BINDINGS
            if isinstance(b, Binding)
        ]
        self.push_screen(HelpModal([("Replay", keys), ("Moving around", EXTRA_KEYS)]))
