"""Following an incident from another terminal: live, read-only.

The incident view, fed by a read-only connection: once a second a job on the
recorder's thread reads whatever the coordinator's terminal (or a pipeline)
recorded and posts it, so a second terminal sees new events within a second.
There are no recording verbs to bind, and the connection could not record them
anyway; the one reading verb of the coordinator's screen is here, the handoff brief
(`i`, the palette's "Handoff brief", help and the footer): a commander following from
a phone found roles, decisions and why, and the last message nowhere (ux_review13 #7).
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding

from incident.app.next_key import due_cue
from incident.app.session import IncidentSession
from incident.app.verbs import BY_NAME
from incident.comms.due import due_messages
from incident.core.folding import copy_state
from incident.core.phase_clocks import elapsed, format_offset
from incident.core.state import IncidentState
from incident.core.text import counted
from store.errors import StoreError
from tui.app.heap import release_heap, settle_heap
from tui.app.plain import reason_first
from tui.app.screens.announcements import TriggerNews, announcements
from tui.app.screens.brief_shown import show_brief
from tui.app.screens.live_feed import start_live_feed
from tui.app.screens.poller_news import PollerNews, say_polling
from tui.app.screens.recorder import EventsRecorded, Outcome, Recorder
from tui.app.screens.timeline_entries import ReadsTimelineEntries
from tui.app.screens.verb_keys import HELP_FIRST
from tui.app.steady_footer import SteadyFooter
from tui.app.styled_once import StyledOnce
from tui.app.widgets.bar import FittedBar, Piece
from tui.app.widgets.checklist import Checklist
from tui.app.widgets.incident_view import IncidentView

TICK_S = 1.0

BRIEF = BY_NAME["brief"]
"""The handoff brief, the coordinator's verb that only reads: the same key and title."""


class FollowBar(FittedBar):
    DEFAULT_CSS = """
    FollowBar { height: 1; background: $success-muted; color: $text; padding: 0 1; }
    """


class FollowScreen(StyledOnce, ReadsTimelineEntries):
    """Watch, don't touch: only the keys that move around are bound."""

    BINDINGS = [
        # Help, then the brief, first: at a phone's width (46 columns) the footer leaves
        # out its last keys (`] Next phase`) before them, and `q Quit` stays.
        HELP_FIRST,
        Binding(BRIEF.key or "i", "brief", BRIEF.title),
        Binding("left,left_square_bracket", "phase(-1)", "Prev phase"),
        Binding("right,right_square_bracket", "phase(1)", "Next phase"),
    ]

    def __init__(self, session: IncidentSession) -> None:
        super().__init__()
        opening = session.take_applied()
        if not opening:
            raise ValueError("following needs a session opened with journal=True")
        self.session = session
        """Read by the recorder's thread; here only for whether its chain is damaged."""
        self.recorder = Recorder(session, self)
        self.view = IncidentView(
            copy_state(session.state),
            session.clock,
            key_hints=False,
            follows_next_step=True,
            id="incident",
        )
        self._opening = opening
        self.live = False
        """Told of each commit (PostgreSQL): the tick only moves the clocks."""
        self._read_again = False
        self.trigger_news = TriggerNews()
        self.poller_news = PollerNews()
        self._due: frozenset[tuple[str, datetime]] = frozenset()
        """The messages due at the last look, by template and when due (`tell_due`)."""

    @property
    def state(self) -> IncidentState:
        return self.view.state

    def compose(self) -> ComposeResult:
        yield FollowBar(id="follow-bar")
        yield self.view
        yield SteadyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.view.mark_read_only()
        self.view.update(self.view.state, self._opening, reset=True)
        self._opening = []
        self.view.query_one(Checklist).focus()
        self.call_after_refresh(settle_heap)
        self.draw_bar()
        self.tell_due()
        self.tell_polling()  # as it opens: no news, what the panel says already
        self.set_interval(TICK_S, self.tick)
        self.live = start_live_feed(
            self, self.session.log, self.state.id, self.read_now, self.view.record_reached
        )

    def on_unmount(self) -> None:
        self.recorder.close()
        release_heap()

    def tick(self) -> None:
        self.view.tick()
        self.draw_bar()
        self.tell_due()
        self.tell_polling()
        if not self.live:
            self.read_now()

    def tell_polling(self) -> None:
        """The poller's end, and polling resumed, each said once (`PollerNews`)."""
        toast = self.poller_news.toast(self.view.poll_mark(), self.state)
        if toast is not None:
            say_polling(self, toast)

    def read_now(self) -> None:
        """Fold in what other writers recorded; once more after a read under way, which
        may have begun before the commit that asked for this one."""
        if self.recorder.busy("tick"):
            self._read_again = True
            return
        self.recorder.submit(lambda s: s.refresh(), self._read, kind="tick")

    def _read(self, outcome: Outcome[object]) -> None:
        if isinstance(outcome.error, StoreError):
            self.view.record_reached(False)
        elif outcome.error is None and not self.live:
            self.view.record_reached(True)
        if isinstance(outcome.error, StoreError):
            self.notify(reason_first(outcome.error), severity="error", timeout=10)
        elif outcome.error is not None:
            raise outcome.error
        if self._read_again:
            self._read_again = False
            self.read_now()

    def on_events_recorded(self, message: EventsRecorded) -> None:
        fresh = self.view.fold_in(message.events)
        if fresh:
            self.draw_bar()
            # The coordinator's news, without its keys: command changing hands, the
            # decision, a note, triggers, a missed update (`announcements`).
            news = announcements(fresh, self.state, self.trigger_news, keyed=False)
            for text, title, severity, timeout in news:
                self.notify(text, title=title, severity=severity, timeout=timeout)
            self.tell_due()
        if message.reply is not None:
            message.reply()

    def due_now(self) -> list[str]:
        """The templates of the messages due now, as `status` and `brief` list them."""
        return [m.template for m in due_messages(self.state, self.view.now())]

    def tell_due(self) -> None:
        """Messages newly due are told in a toast, as the coordinator's screen tells
        them (without its key: nothing is sent from here). attach said nothing of them
        while `status` listed them and the coordinator's screen offered them (ux_review6
        finding 10); the bar says how many while they wait (`draw_bar`)."""
        due = due_messages(self.state, self.view.now())
        waiting = frozenset((m.template, m.due_at) for m in due)
        fresh = waiting - self._due
        self._due = waiting
        if fresh:
            cue = due_cue([m.template for m in due], keyed=False)
            self.notify(cue, title="Message due", severity="warning", timeout=10)

    def draw_bar(self) -> None:
        state = self.state
        damage = self.session.damage
        due = self.due_now()
        named = due_cue(due, keyed=False)  # `3 messages due: announce, paging, …`
        counted_only = due_cue(due, naming=False, keyed=False)
        short = named.replace(counted_only, f"{len(due)} due", 1)  # `3 due: announce, …`
        pieces = [
            Piece(("FOLLOWING ",), "bold"),
            Piece((f"{state.id}  {format_offset(elapsed(state, self.view.now()))}",)),
            # Before what may give way: cut at the edge, it went unseen at 80 columns.
            Piece((f"  DAMAGED at event {damage.first_bad_seq}",) if damage else ("",), "bold"),
            Piece(
                (f"  {named}", f"  {short}", f"  {counted_only}", f"  {len(due)} due")
                if due
                else ("",),
                "bold",
            ),
            Piece((f"  {counted(state.last_seq, 'event')}", "")),
            Piece(("  read-only: nothing is recorded here", "  read-only", "")),
        ]
        # The sentence to its first word, then the count of events, then the due
        # messages' names (the toast has them), then the word.
        self.query_one(FollowBar).show(pieces, (5, 4, 3, 3, 3, 5))

    def action_phase(self, delta: int) -> None:
        self.view.show_phase(delta)

    def action_brief(self) -> None:
        """The handoff brief, as the coordinator's `i` shows it: a dialog that only reads."""
        show_brief(self.app, self.state, self.view.now(), self.view.poll_mark_at)
