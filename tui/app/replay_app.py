"""`lastgood replay`: a recorded incident played back through the coordinator's screen."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from textual.binding import Binding

from incident.core.chain import ChainReport
from incident.core.clock import Clock, SystemClock
from incident.core.events import Event
from incident.core.replay import ReplaySession
from tui.app.read_only_app import ReadOnlyApp
from tui.app.screens.replay import ReplayScreen


class ReplayApp(ReadOnlyApp):
    """Read-only: built from events already read (a list, or a `Recording` over a
    read-only log), it never holds a writable store."""

    TITLE = "lastgood replay"
    HELP_TITLE = "Replay"
    SCREEN_BINDINGS = [b for b in ReplayScreen.BINDINGS if isinstance(b, Binding)]

    def __init__(
        self,
        events: Sequence[Event],
        *,
        speed: float = 1.0,
        playing: bool = True,
        start_offset: timedelta | None = None,
        damage: ChainReport | None = None,
        clock: Clock | None = None,
    ) -> None:
        """`clock`: the present, read once, as when the record was read (`ReplaySession`).
        `start_offset`: where to open, as Go to takes it (`replay_moment`): ValueError
        saying why not."""
        super().__init__()
        read_at = (clock or SystemClock()).now()
        self.session = ReplaySession(events, damage, read_at=read_at)
        self.start_note = ""
        """Why the replay opens elsewhere than at `start_offset` (a closed incident's
        moment to come): shown once it is up."""
        if start_offset is not None:
            start = self.session.moment_at(start_offset)
            self.session.clock.jump(start.at)
            self.start_note = start.note
        self.speed = speed
        self.playing = playing

    def on_mount(self) -> None:
        self.push_screen(ReplayScreen(self.session, speed=self.speed, playing=self.playing))
        if self.start_note:
            self.notify(self.start_note[:1].upper() + self.start_note[1:] + ".")
