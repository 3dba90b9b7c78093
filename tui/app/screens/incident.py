"""The coordinator's main screen: the incident view, and every verb of the table.

A thin screen: it composes the `IncidentView` and binds the verbs (from
`incident.app.verbs.VERBS`) to the handlers that run them (`Desk`, `StepVerbs`,
`Comms`). A verb's use case runs on the recorder's thread; the events it records
come back as `EventsRecorded`, like those of the probes, the deliveries and other
writers, and are folded into the view's state before anything shows them.
"""

from __future__ import annotations

from textual.app import ComposeResult

from incident.app.session import IncidentSession
from incident.core.errors import CommandError
from incident.core.events import Event, Kind
from incident.core.folding import copy_state
from incident.core.payloads import StepChecked, StepSkipped
from incident.core.text import visible
from store.errors import StoreError
from tui.app.heap import release_heap, settle_heap
from tui.app.plain import reason_first
from tui.app.screens.announcements import TriggerNews, announcements
from tui.app.screens.checking import StepVerbs
from tui.app.screens.comms import Comms
from tui.app.screens.desk import Desk
from tui.app.screens.incident_keys import IncidentKeys
from tui.app.screens.live_feed import start_live_feed
from tui.app.screens.poller_news import PollerNews, say_polling
from tui.app.screens.recorder import EventsRecorded, Outcome, Recorder
from tui.app.screens.screen_polling import ScreenPolling
from tui.app.screens.services import Services
from tui.app.screens.timeline_entries import ReadsTimelineEntries
from tui.app.screens.verb_keys import (
    CLOSE_READY_KEY,
    CLOSED_KEY,
    DECIDED_KEY,
    DUE_MESSAGE_KEY,
    FOOTER_IF_ROOM,
    HELP_FIRST,
    NAVIGATION,
    POSTMORTEM_ANY_PHASE,
    POSTMORTEM_KEY,
    RESEND_KEY,
    WIDE_FOOTER,
    verb_bindings,
)
from tui.app.steady_footer import SteadyFooter
from tui.app.styled_once import StyledOnce
from tui.app.widgets.checklist import Checklist
from tui.app.widgets.incident_view import IncidentView
from tui.app.widgets.timeline import Timeline

TICK_S = 1.0
"""How often the clocks move and other writers' events are read."""


class IncidentScreen(StyledOnce, ReadsTimelineEntries, IncidentKeys):
    """Where the coordinator lives for the length of the rollback; its keys' actions, and
    its `state` (the view's), are `IncidentKeys`'s.

    `ReadsTimelineEntries` first of the Textual bases: Textual's CSS types follow a
    class's first DOMNode base alone, and `app.tcss` styles this screen's toasts as
    a `ReadsTimelineEntries`'s."""

    BINDINGS = [
        HELP_FIRST,
        POSTMORTEM_KEY,
        POSTMORTEM_ANY_PHASE,
        CLOSE_READY_KEY,
        DUE_MESSAGE_KEY,
        RESEND_KEY,
        *verb_bindings(),
        DECIDED_KEY,
        CLOSED_KEY,
        *NAVIGATION,
    ]

    def __init__(
        self, session: IncidentSession, actor: str, *, shop_url: str | None = None
    ) -> None:
        """`shop_url`: the demo's or the drill's shop, named over the probes' rows."""
        super().__init__()
        opening = session.take_applied()
        if not opening:
            raise ValueError("the coordinator's screen needs a session opened with journal=True")
        self.actor = actor
        self.recorder = Recorder(session, self)
        self.view = IncidentView(copy_state(session.state), session.clock, id="incident")
        self.view.shop_url = shop_url
        self.view.recording_as = actor
        self.desk = Desk(self, self.view, self.recorder, actor, catch_up=self.catch_up)
        self.comms = Comms(self.desk)
        self.steps = StepVerbs(self.desk, self.comms)
        self.desk.footnote = self.comms.due_footnote
        self.probes = ScreenPolling(self.notify)
        """Production polled from this screen, once its first frame is up."""
        self.trigger_news = TriggerNews()
        self.poller_news = PollerNews()
        """Who polls production, told as it changes while this screen does not poll."""
        self.reads = 0
        """Once-a-second reads of the record started so far (each a job; one at a time)."""
        self._opening: list[Event] = opening
        self._log = session.log
        self.live = False
        """Told of each commit (PostgreSQL): the tick reads no events, the feed does."""
        self._gone = False
        """Unmounted: what waited for the first frame (`start_background`) starts nothing."""

    def compose(self) -> ComposeResult:
        yield self.view
        yield SteadyFooter(
            compact=True,
            show_command_palette=False,
            if_room=FOOTER_IF_ROOM,
            room_from=WIDE_FOOTER,
        )

    def on_mount(self) -> None:
        self.view.query_one(Timeline).hold_marks()  # until the first frame is drawn
        self.view.update(self.view.state, self._opening, reset=True)
        self._opening = []
        self.view.query_one(Checklist).focus()
        self.tell_polling()  # as it opens: no news, what the panel says already
        kept_dir = getattr(self.app, "kept_dir", None)
        if kept_dir is not None:
            from tui.app.screens.kept import KeptOnDisk

            self.desk.kept = KeptOnDisk(self.desk, kept_dir, self.state)
        self.live = start_live_feed(
            self, self._log, self.state.id, self.read_now, self.view.record_reached
        )
        if isinstance(self.app, Services):
            self.app.after_first_frame(self, self.start_background)
        else:
            self.call_after_refresh(self.start_background)

    def say_unfilled_commands(self) -> None:
        """The runbook's commands that name what the declaration left out (no last-good
        version), said once as the screen opens: such a command is refused when run."""
        from incident.app.command_runs import unfilled_commands  # after the first frame

        if unfilled := unfilled_commands(self.state):
            self.notify(
                visible(unfilled), title="Commands to run by hand", severity="warning", timeout=30
            )

    def start_background(self) -> None:
        """After the first frame: what is due at once, then the network (if the app has one)."""
        if self._gone:
            return  # replaced within the moment after its first frame: nothing to stop later
        self.view.query_one(Timeline).mark_from_now(self.state)
        # The clocks' tick from here: a tick reads and records what time made due,
        # which loads the messages' use cases; on a slow machine, ticking from the
        # mount, it ran before the first frame was on the terminal.
        self.set_interval(TICK_S, self.tick)
        settle_heap()
        if self.desk.kept is not None:  # what an earlier screen kept, recorded as this one's
            self.desk.kept.open(self.steps.found)
        self.comms.remind()
        self.comms.offer_due()
        self.say_unfilled_commands()
        self.catch_up()
        services = self.app if isinstance(self.app, Services) else None
        network = services.network() if services is not None else None
        if services is None or network is None:
            return
        self.probes.start(
            self.state,
            actor=self.actor,
            poll_probes=services.poll_probes,
            probes_in_child=services.probes_in_child,
            keys_first=services.keys_first,
            network=network,
            recorder=self.recorder,
            clock=self.view.clock,
            mark_polls=self.view.mark_polls,
            on_error=self._samples_refused,
            mark_unset=self.view.mark_unset,
        )
        self.comms.deliveries.open(
            network, services.outbox, services.delivery_attempts, gone=lambda: self._gone
        )

    def unrecorded_work(self) -> list[str]:
        """The runs kept on this screen alone until the record takes them
        (`HoldsUnrecorded`): quitting asks, as it loses them."""
        if self.desk.kept is not None:
            return []
        return [ran.lost_on_quit(self.state) for ran in self.steps.unrecorded.values()]

    def kept_work(self) -> list[str]:
        """The runs kept on disk too until the record takes them: quitting asks, saying
        that the next screen on the incident records them."""
        if self.desk.kept is None:
            return []
        return [ran.kept_on_quit(self.state) for ran in self.steps.unrecorded.values()]

    def on_unmount(self) -> None:
        self._gone = True
        self.probes.stop()
        self.comms.deliveries.stop()
        self.recorder.close()
        if self.desk.kept is not None:
            self.desk.kept.close()
        release_heap()

    # --- keeping up ------------------------------------------------------------------

    def tick(self) -> None:
        """Once a second: the clocks move; other writers' events (unless a live feed
        brings them) and what time makes due are read and recorded off the UI loop
        (unless the last tick's job still runs)."""
        self.view.tick()
        self._redraw_dialogs_between()
        self.comms.remind()
        self.comms.offer_due()
        self.probes.watch(self.state, self.view.clock.now())
        if self.probes.probe_turn is None:  # one that polls says who took the turn itself
            self.tell_polling()
        self.steps.retry_unrecorded()
        if self.desk.kept is not None:
            self.desk.kept.retry()
        if not self.recorder.busy("tick"):
            comms, live = self.comms, self.live
            self.reads += 1
            self.recorder.submit(
                lambda s: (s.refresh() if not live else []) + comms.background(s),
                self._background_done,
                kind="tick",
            )

    def tell_polling(self) -> None:
        """The poller's end, and polling resumed, each said once (`PollerNews`)."""
        toast = self.poller_news.toast(self.view.poll_mark(), self.state)
        if toast is not None:
            say_polling(self, toast)

    def _redraw_dialogs_between(self) -> None:
        """Dialogs stacked over this screen show it through their translucent backdrop;
        Textual redraws the top one when this screen changes, but a dialog between
        keeps the picture of this screen it drew last, so with two stacked the clocks
        froze until the top one closed. Those in between are redrawn with the clocks."""
        stack = self.app.screen_stack
        if self in stack:
            for dialog in stack[stack.index(self) + 1 : -1]:
                dialog.refresh()

    def read_now(self) -> None:
        """Another machine committed: fold its events in now, not at the next tick."""
        self.recorder.submit(lambda s: s.refresh(), self._background_done, kind="feed")

    def catch_up(self) -> None:
        """After a recorded action: whatever it made due (an auto-send), recorded next."""
        self.recorder.submit(self.comms.background, self._background_done, kind="catch-up")

    def _background_done(self, outcome: Outcome[list[Event]]) -> None:
        if isinstance(outcome.error, StoreError):
            self.view.record_reached(False)
        elif outcome.error is None and not self.live:  # the tick read the file
            self.view.record_reached(True)
        if isinstance(outcome.error, CommandError | StoreError):
            self.notify(reason_first(outcome.error), severity="error", timeout=10)
        elif outcome.error is not None:
            raise outcome.error

    def _samples_refused(self, outcome: Outcome[str | None]) -> None:
        """A batch the record did not take, said; polling goes on either way. A failure
        nobody foresaw is said too, by its class: it went unsaid, and the panel sat on
        "waiting for first poll" with polling on and nothing recorded (a review)."""
        error = outcome.error
        if error is None:
            return
        why = reason_first(error) if isinstance(error, CommandError | StoreError) else None
        if why is None:
            why = f"unexpected failure ({type(error).__name__}: {error}); polling goes on"
        self.notify(why, title="Samples not recorded", severity="error")

    def on_events_recorded(self, message: EventsRecorded) -> None:
        """Fold what the record accepted, redraw what it changed, say what is news."""
        fresh = self.view.fold_in(message.events)
        if message.recorded_here:  # the record takes writes: the runs it refused, next
            self.steps.record_soon()
            if self.desk.kept is not None:
                self.desk.kept.record_soon()
        if fresh:
            news = announcements(fresh, self.state, self.trigger_news, message.recorded_here)
            for text, title, severity, timeout in news:
                self.notify(text, title=title, severity=severity, timeout=timeout)
            self._past_done_elsewhere(fresh, message.recorded_here)
            self.comms.offer_due()
            if self.state.drill and any(event.kind == Kind.CLOSED for event in fresh):
                self.show_score()
        if message.reply is not None:
            message.reply()

    def _past_done_elsewhere(self, fresh: list[Event], recorded_here: frozenset[int]) -> None:
        """Another terminal checked or skipped the step highlighted here: on to the
        phase's next required step, as when it is checked here (a key's own reply moves
        it so; the events this screen recorded, `recorded_here`, are left to it).

        Told by where the event was recorded, not by its actor: the same person checking
        from a second terminal (Ada on her laptop and on the bastion) left the highlight
        on the done step."""
        checklist = self.view.query_one(Checklist)
        step_id = checklist.highlighted_step
        record = self.state.steps.get(step_id) if step_id is not None else None
        if record is None or not (record.done or record.skipped):
            return
        if any(
            event.seq not in recorded_here
            and isinstance(event.data, StepChecked | StepSkipped)
            and event.data.step == step_id
            for event in fresh
        ):
            self.view.advance()
