"""Replay: the incident view, read-only, driven through the recorded timestamps.

The same view as live, fed by a `ReplaySession` instead of the log, so the
clocks, checklist, timeline, health panel and triggers read as they did at each
moment. Everything is in memory, so playback moves on the UI loop. Nothing here
can record: no verb is bound, and the session refuses them anyway.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.app import ComposeResult
from textual.binding import Binding

from incident.core.phase_clocks import t_plus
from incident.core.replay import ReplaySession, ShownMoment, parse_offset
from incident.core.state import IncidentState
from tui.app.heap import release_heap, settle_heap
from tui.app.screens.timeline_entries import ReadsTimelineEntries
from tui.app.steady_footer import SteadyFooter
from tui.app.styled_once import StyledOnce
from tui.app.widgets.bar import FittedBar, Piece
from tui.app.widgets.checklist import Checklist
from tui.app.widgets.incident_view import IncidentView

SPEEDS: tuple[float, ...] = (0.5, 1, 2, 4, 8, 16, 32, 64, 128)
FRAME_S = 0.1
"""How often playback moves the replay clock."""


class ReplayBar(FittedBar):
    DEFAULT_CSS = """
    ReplayBar { height: 1; background: $warning-muted; color: $text; padding: 0 1; }
    """


class ReplayScreen(StyledOnce, ReadsTimelineEntries):
    """An incident as it unfolded: pause, speed, step, jump."""

    BINDINGS = [
        Binding("space", "toggle_play", "Play/pause"),
        Binding("plus,equals_sign", "speed(1)", "Faster", key_display="+"),
        Binding("minus", "speed(-1)", "Slower", key_display="-"),
        Binding("n", "next_event", "Next event"),
        Binding("g", "go_to", "Go to T+"),
        # Before the focused checklist, an OptionList that takes home and end itself:
        # here they move the replay, as help says; the arrows still move the list.
        Binding("home", "restart", "Start", show=False, priority=True),
        Binding("end", "to_end", "End", show=False, priority=True),
        Binding("left,left_square_bracket", "phase(-1)", "Prev phase", show=False),
        Binding("right,right_square_bracket", "phase(1)", "Next phase", show=False),
    ]

    def __init__(self, session: ReplaySession, *, speed: float = 1.0, playing: bool = True) -> None:
        super().__init__()
        self.replay = session
        self.speed = speed
        self.playing = playing
        self.view = IncidentView(
            session.state, session.clock, key_hints=False, live=False, id="incident"
        )

    @property
    def state(self) -> IncidentState:
        return self.view.state

    def compose(self) -> ComposeResult:
        yield ReplayBar(id="replay-bar")
        yield self.view
        yield SteadyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.view.mark_read_only()
        self.view.update(self.replay.state, self.replay.visible_events(), reset=True)
        self.view.query_one(Checklist).focus()
        self.call_after_refresh(settle_heap)
        self.set_interval(FRAME_S, self.frame)
        self.sync()

    def on_unmount(self) -> None:
        release_heap()

    def frame(self) -> None:
        if not self.playing:
            return
        clock = self.replay.clock
        moment = clock.now() + timedelta(seconds=FRAME_S * self.speed)
        last = self.replay.replayer.last_at
        if moment >= last:
            moment = last
            self.playing = False
        clock.jump(moment)
        self.sync()

    def sync(self) -> None:
        """Bring the view to the replay clock's moment."""
        applied = self.replay.refresh()
        if self.replay.rewound:
            self.view.update(self.replay.state, self.replay.visible_events(), reset=True)
        else:
            self.view.update(self.replay.state, applied)
            self.view.tick()
        self.show_bar()

    def show_bar(self) -> None:
        replayer = self.replay.replayer
        now = self.replay.clock.now()
        offset = t_plus(self.state, now)
        damage = self.replay.damage
        at = f"event {replayer.position}/{len(replayer.events)}"
        pieces = [
            Piece(("REPLAY ",), "bold"),
            Piece(("▶ playing" if self.playing else "■ paused",), "bold"),
            # Before what may give way: cut at the edge, it went unseen at 80 columns.
            Piece((f"  DAMAGED at event {damage.first_bad_seq}",) if damage else ("",), "bold"),
            Piece((f"  {self.speed:g}×", "")),
            Piece((f"  {offset}",)),
            Piece((f"  {at}", f"  {replayer.position}/{len(replayer.events)}", "")),
            Piece(
                (f"  {now:%Y-%m-%d %H:%M:%S} UTC", f"  {now:%H:%M:%S} UTC", f"  {now:%H:%M}", "")
            ),
            Piece(("  (read-only)", "")),
        ]
        # The read-only mark, the date, the word "event", the speed, the time's seconds,
        # the event count, then the time: at 60 columns the time stays.
        self.query_one(ReplayBar).show(pieces, (7, 6, 5, 3, 6, 5, 6))

    # --- playback ------------------------------------------------------------------

    def action_toggle_play(self) -> None:
        if not self.playing and self.replay.clock.now() >= self.replay.replayer.last_at:
            self.action_restart()
        self.playing = not self.playing
        self.show_bar()

    def action_speed(self, direction: int) -> None:
        index = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - self.speed))
        self.speed = SPEEDS[max(0, min(len(SPEEDS) - 1, index + direction))]
        self.show_bar()

    def action_next_event(self) -> None:
        """Pause and move to the next recorded event."""
        self.playing = False
        upcoming = self.replay.replayer.next_event_at()
        if upcoming is not None:
            self.replay.clock.jump(upcoming)
        self.sync()

    def action_restart(self) -> None:
        self.replay.clock.jump(self.replay.replayer.first_at)
        self.sync()

    def action_to_end(self) -> None:
        self.playing = False
        self.replay.clock.jump(self.replay.replayer.last_at)
        self.sync()

    def action_go_to(self) -> None:
        """Ask for a moment; one that cannot be shown is refused in the prompt, which
        keeps what was typed (`moment_of`)."""

        def go(text: str | None) -> None:
            if text:
                self.seek_moment(self.moment_of(text))

        def refusal(text: str) -> str | None:
            try:
                self.moment_of(text)
            except ValueError as error:
                return str(error)
            return None

        from tui.app.modals.text_prompt import TextPrompt

        self.app.push_screen(
            TextPrompt("Go to", "Jump to which moment?", placeholder="T+12:30", check=refusal),
            go,
        )

    def moment_of(self, text: str) -> ShownMoment:
        """`T+MM:SS` as the record read shows it, as `replay --at` takes it
        (`replay_moment`); ValueError saying why not."""
        return self.replay.moment_at(parse_offset(text))

    def seek_offset(self, offset: timedelta) -> None:
        """To T+`offset`, by the same rule as Go to (ValueError where it refuses)."""
        self.seek_moment(self.replay.moment_at(offset))

    def seek_moment(self, moment: ShownMoment) -> None:
        """To `moment`, saying why it is not the one asked for, if it is not."""
        self.seek(moment.at)
        if moment.note:
            self.notify(moment.note[:1].upper() + moment.note[1:] + ".")

    def seek(self, moment: datetime) -> None:
        self.playing = False
        self.replay.clock.jump(moment)
        self.sync()

    def action_phase(self, delta: int) -> None:
        self.view.show_phase(delta)
