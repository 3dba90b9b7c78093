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
        """`clock`: the present, read once, as when the record was read (`ReplaySession`)."""
        super().__init__()
        read_at = (clock or SystemClock()).now()
        self.session = ReplaySession(events, damage, read_at=read_at)
        if start_offset is not None:
            self.session.clock.jump(self.session.state.t0 + start_offset)
        self.speed = speed
        self.playing = playing

    def on_mount(self) -> None:
        self.push_screen(ReplayScreen(self.session, speed=self.speed, playing=self.playing))
