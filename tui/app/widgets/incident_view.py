"""One incident on screen: clocks, phases, checklist, guidance, health, timeline.

The coordinator's screen, `attach` and replay all compose this one widget; they
differ in where its events come from and which keys they bind, not in what it
shows. It records nothing. Its inputs are the folded state with the events just
folded into it (`update`), the passing of time (`tick`) and the phase on show
(`phase_id`, reactive); each redraws only the widgets it changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import OptionList

from incident.app.next_key import NextKey, next_key
from incident.app.pollers import poller_gone, poller_here
from incident.core.clock import Clock
from incident.core.events import Event, Kind
from incident.core.phase_clocks import PhaseClock, followed_phase, next_in_phase, phase_clocks
from incident.core.phase_windows import placed_window
from incident.core.state import IncidentState
from incident.health.no_reading import Polls, not_polled
from incident.health.poll_mark import PollMark, poll_mark
from tui.app.widgets.active_phase import ActivePhase
from tui.app.widgets.checklist import Checklist
from tui.app.widgets.guidance import Guidance
from tui.app.widgets.health import HealthPanel
from tui.app.widgets.incident_bar import IncidentBar
from tui.app.widgets.phase_strip import PhaseStrip, window_label
from tui.app.widgets.phase_title import PhaseTitle
from tui.app.widgets.timeline import Timeline

if TYPE_CHECKING:
    from incident.app.unrecorded_run import UnrecordedRun

PANEL_KINDS = frozenset({Kind.PROBE_SAMPLES, Kind.BASELINE_CAPTURED, Kind.CLOSED})
"""What the health panel draws from besides time (the last good version is the
declaration's): a step checked used to repaint every probe's row too. The close turns
a row without a reading to "never polled"."""


class IncidentView(Vertical):
    """The incident as a fold of its events, at the moment its clock says.

    Two columns under a head split off on top (the incident bar and the phase
    clocks), not the three rows with a body holding the columns that it was: Textual
    draws every row of a container, the columns' holder too, and cuts each row at
    every edge on it, though the columns cover it all. That body drew 35 rows into
    141 strips at 120x40; the head draws 4. The screen looks the same to the cell
    (every snapshot), and the first frame holds some 100 strips and 0.2 MiB less
    (`docs/PERFORMANCE.md`, "First frame").

    The checklist's column is split off on the left (app.tcss), Production, the
    guidance and the timeline beside it; under `STACKED_BELOW` columns (a phone) all
    of them are one column, Production first (`tui.app.plain.SCREEN_WIDTHS`)."""

    DEFAULT_CSS = """
    IncidentView { height: 1fr; }
    IncidentView > #head { split: top; height: auto; }
    """

    phase_id: reactive[str] = reactive("", init=False, repaint=False)
    """The phase whose checklist is on show; follows progress unless moved by hand.

    Not a repaint of the view: that redrew all of it (39 of 40 rows, 14 KB to the
    terminal at 120x40) for the three widgets a phase switch changes, which its
    watcher redraws."""

    def __init__(
        self,
        state: IncidentState,
        clock: Clock,
        *,
        key_hints: bool = True,
        follows_next_step: bool = False,
        live: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.key_hints = key_hints
        """Whether the guidance names the coordinator's keys: not in the read-only views."""
        self.live = live
        """Whether the view shows now (the coordinator's screen, attach), not a recorded
        moment (replay): a poller of this machine whose process has ended is marked
        stopped at once (`poll_mark`'s `gone`)."""
        self.follows_next_step = follows_next_step
        """Whether the highlight follows the phase's next required step as the record
        moves (`follow_next_step`): in a view that watches someone else work (attach,
        serve), not on the coordinator's screen, where it is what the next key acts on
        and moves with the coordinator's own keys (`advance`)."""
        self._followed_step: str | None = None
        """The next step the highlight was last moved to (`follow_next_step`)."""
        self.state = state
        """What is shown: the fold of every event given to `update`."""
        self.clock = clock
        """Where `now` comes from: the system's, a test's, or replay's moving clock."""
        self._pinned = False
        self._guided: tuple[str | None, int, int] | None = None
        self._hint: str | None = None
        """The key hint the guidance shows (`incident.app.next_key`)."""
        self.recording_as = ""
        """The name the screen records under, shown in the bar; "" for a view that
        records nothing (attach, replay). Set before the view is composed."""
        self.shop_url: str | None = None
        """The demo's or the drill's shop, named in the Production panel's title
        (`HealthPanel.shop_url`); set before the view is composed."""
        self.polls = Polls.HERE
        """What this face does about the probes (`mark_polls`): the coordinator's screen
        polls them unless told otherwise; a read-only view polls nothing."""
        self.unset: frozenset[str] = frozenset()
        """The probes this face leaves out, as its environment does not set a variable
        they read (`mark_unset`): their rows and the guidance say so."""
        self.unrecorded: dict[str, UnrecordedRun] = {}
        """Command steps whose command ran here and is not recorded yet, by step
        (`mark_unrecorded`): the checklist and the guidance say so."""
        self.record_away = False
        """Whether the record did not answer the screen's last read (`record_reached`):
        the Production panel's mark says the readings are not recorded, or not read,
        rather than that anyone stopped polling."""
        self._phase_drawn: tuple[str, bool, bool] | None = None
        """The phase `draw_phase` last drew, whether the incident was closed, and whether
        every required step was done: the footer's keys follow them (`P` in the last
        phase, the verbs a closed incident refuses, `X` once only the close is left)."""
        self.set_reactive(
            IncidentView.phase_id, self._progress_phase() or state.runbook.phases[0].id
        )

    def compose(self) -> ComposeResult:
        runbook = self.state.runbook
        with Vertical(id="head"):
            yield IncidentBar(recording_as=self.recording_as, id="bar")
            strip = PhaseStrip(len(runbook.phases))
            clocks = self._clocks()
            strip.show(self.state, *clocks)  # its cells' classes set before they mount
            yield strip
            active = ActivePhase()  # the strip's place in one column (app.tcss)
            active.show(self.state, *clocks)
            yield active
        # Production before the checklist: in one column (`-stacked`) it comes first;
        # side by side the checklist's column is split off on the left (app.tcss).
        if runbook.probes:
            panel = HealthPanel(runbook.probes, shop_url=self.shop_url, id="health")
            panel.polls = self.polls
            panel.unset = self.unset
            # Its class set before it mounts, as the strip's cells' (`-marked`).
            panel.mark_polling(self.poll_mark_at(self.state, self.now()))
            yield panel
        with Vertical(id="left"):
            yield PhaseTitle(id="phase-title")
            yield Checklist(id="checklist")
        yield Guidance(id="guidance")
        yield Timeline(id="timeline")

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def selected_step(self) -> str | None:
        """The highlighted step: the one a verb acts on."""
        return self.query_one(Checklist).highlighted_step

    # --- inputs ------------------------------------------------------------------------

    def update(self, state: IncidentState, events: Sequence[Event], *, reset: bool = False) -> None:
        """`events` were just folded into `state`: redraw what they change.

        `reset`: draw everything from scratch (the first draw, a replay that went back).
        """
        self.state = state
        timeline = self.query_one(Timeline)
        if reset:
            timeline.reset()
        timeline.append(state, events)
        progressed = reset or any(e.kind != Kind.PROBE_SAMPLES for e in events)
        if progressed:
            self.draw_clocks()
            if not self._pinned:
                self.set_reactive(IncidentView.phase_id, self._progress_phase() or self.phase_id)
            self.draw_phase()
            self.follow_next_step()
        elif events:
            self._rehint()
        now = self.now()
        for panel in self.query(HealthPanel):
            if reset or any(e.kind in PANEL_KINDS for e in events):
                panel.show(state, now)
            panel.mark_polling(self.poll_mark_at(state, now))

    def fold_in(self, events: Sequence[Event]) -> list[Event]:
        """Fold events the record holds into the state shown, then redraw; the new ones.

        For the live screens, whose state is a fold of their own (replay hands over
        the replayer's). Events already folded are passed over.
        """
        fresh = [e for e in events if e.seq > self.state.last_seq]
        for event in fresh:
            self.state.apply(event)
        if fresh:
            self.update(self.state, fresh)
        return fresh

    @property
    def not_polled(self) -> dict[str, str]:
        """Why each probe without a reading will have none from this face, by name
        (`incident.health.no_reading`): the guidance and the decision's triggers say so
        instead of waiting for its readings."""
        return not_polled(self.state, self.polls, self.unset)

    def mark_read_only(self) -> None:
        """A view that polls nothing (attach, serve, replay): a probe without a reading
        says why as `status` does (`not polled yet`, `not polled: default URL`, `never
        polled` once closed), not that it waits for a poll of its own."""
        self.mark_polls(Polls.NOTHING)

    def mark_unset(self, names: frozenset[str]) -> None:
        """The probes this face leaves out for an unset variable (`HealthPanel.unset`)."""
        self.unset = names
        for panel in self.query(HealthPanel):
            panel.mark_unset(names)
        if self.is_mounted:
            self._guided = None
            self.guide(self.query_one(Checklist).highlighted_step)

    def mark_polls(self, polls: Polls) -> None:
        """What this face does about the probes (`HealthPanel.polls`); the guidance says
        why a probe goes unpolled too, where its key waits on one of them."""
        self.polls = polls
        for panel in self.query(HealthPanel):
            panel.mark_polls(polls)
        if self.is_mounted:
            self._guided = None
            self.guide(self.query_one(Checklist).highlighted_step)

    def mark_unrecorded(self, runs: Mapping[str, UnrecordedRun]) -> None:
        """The runs of command steps the record does not hold yet (`UnrecordedRun`):
        each step says it ran, and its guidance not to run it again."""
        self.unrecorded = dict(runs)
        checklist = self.query_one(Checklist)
        checklist.ran = {step: run.mark(self.state) for step, run in runs.items()}
        checklist.show(self.state, self.phase_id)
        self._guided = None
        self.guide(checklist.highlighted_step)

    def tick(self) -> None:
        """Time passed: the clocks move, and readings age."""
        self.draw_clocks()
        now = self.now()
        for panel in self.query(HealthPanel):
            panel.tick(now)
            panel.mark_polling(self.poll_mark_at(self.state, now))

    def mark_polling(self) -> None:
        """Who polls production now, under the panel's rows (`incident.health.poll_mark`):
        this process (the coordinator's screen, or its child), another poller, or nobody
        since the last poller's ticks stopped. Told on every update and every second, as
        a turn lapses with time alone."""
        for panel in self.query(HealthPanel):
            panel.mark_polling(self.poll_mark_at(self.state, self.now()))

    def record_reached(self, reached: bool) -> None:
        """Whether the record answered the screen's last read (the live feed's, or the
        tick's): the mark under the Production panel follows."""
        if reached == (not self.record_away):
            return
        self.record_away = not reached
        self.mark_polling()

    def poll_mark(self) -> PollMark | None:
        """Who polls production now, as the Production panel says it (None: nothing to
        poll): what a screen tells as news when it changes (`screens/poller_news.py`)."""
        return self.poll_mark_at(self.state, self.now())

    def poll_mark_at(self, state: IncidentState, now: datetime) -> PollMark | None:
        gone = poller_gone if self.live else None
        return poll_mark(state, now, poller_here, away=self.record_away, gone=gone)

    def show_phase(self, delta: int) -> None:
        """The previous (-1) or next (+1) phase, wrapping; pinned until progress catches up."""
        phases = [p.id for p in self.state.runbook.phases]
        shown = phases[(phases.index(self.phase_id) + delta) % len(phases)]
        self._pinned = shown != self._progress_phase()
        self.phase_id = shown

    def advance(self) -> None:
        """On to the phase's next required step (`next_in_phase`), so the next key acts
        on it. With none left in the phase on show, the highlight stays on the step just
        done and the view stays: the coordinator just pressed a key to see it ticked,
        and a screen that then went to another phase hid the tick (and broke the
        keypress bench's wait for it). The phase being worked in is an arrow away;
        `brief`'s "Next step:" names its next step."""
        checklist = self.query_one(Checklist)
        checklist.highlight_next_open(self.state)
        self.guide(checklist.highlighted_step)
        self.call_after_refresh(checklist.get_ready_for_next_check)

    def follow_next_step(self) -> None:
        """In a view that `follows_next_step`, highlight the phase's next required step
        (`next_in_phase`, the step `brief` calls "Next step") each time it changes. The
        watcher saw `[x] Assess severity` all incident long, the first step, while the
        work went on (ux_review6 finding 10). Not while the phase on show was moved by
        hand, and not again while the next step stays the same: a step the watcher
        moved to, to read it, stays highlighted until the work moves on."""
        if not self.follows_next_step or self._pinned or not self.is_mounted:
            return
        found = next_in_phase(self.state, self.phase_id)
        step_id = found.step.id if found is not None else None
        if step_id is None or step_id == self._followed_step:
            return
        self._followed_step = step_id
        checklist = self.query_one(Checklist)
        if checklist.highlighted_step != step_id:
            checklist.highlight_step(step_id)
            self.guide(step_id)

    # --- drawing -----------------------------------------------------------------------

    def watch_phase_id(self) -> None:
        self.draw_phase()

    def _progress_phase(self) -> str | None:
        clock = followed_phase(self.state, self.now())
        return clock.phase.id if clock else None

    def draw_clocks(self) -> None:
        """The bar and the phase clocks (the strip, or in one column the phase being
        worked in): the clocks are computed once for them all."""
        now, clocks, current = self._clocks()
        self.query_one(IncidentBar).show(self.state, now)
        self.query_one(PhaseStrip).show(self.state, now, clocks, current)
        self.query_one(ActivePhase).show(self.state, now, clocks, current)

    def _clocks(self) -> tuple[datetime, list[PhaseClock], str | None]:
        """Now, every phase's clock, and the phase in progress (the first not finished)."""
        now = self.now()
        clocks = phase_clocks(self.state, now)
        current = next((c.phase.id for c in clocks if not c.state.finished), None)
        return now, clocks, current

    def draw_phase(self) -> None:
        """The phase on show: its title, its checklist, the highlighted step's guidance."""
        phases = self.state.runbook.phases
        index = next(i for i, p in enumerate(phases) if p.id == self.phase_id)
        phase = phases[index]
        self.query_one(PhaseTitle).show(
            index + 1, len(phases), phase.title, window_label(placed_window(self.state, phase))
        )
        checklist = self.query_one(Checklist)
        checklist.show(self.state, self.phase_id)
        self.guide(checklist.highlighted_step)
        # Keys shown in one phase only (`P` in the last), once every required step is
        # done (`X`), or while the incident is open (the verbs `accepts` once closed),
        # whether a key or another writer did it.
        state = self.state
        drawn = (self.phase_id, state.is_closed, not state.open_required_steps())
        if drawn != self._phase_drawn and self.is_mounted:
            self._phase_drawn = drawn
            self.screen.refresh_bindings()

    def guide(self, step_id: str | None) -> None:
        """The guidance for `step_id`, unless it already shows it as recorded now.

        Its height follows its text, so each redraw costs a layout of the screen:
        a phase switch highlights a step twice (rebuilt list, then the highlight
        message), and only the first needs drawing.
        """
        key = (step_id, id(self.state), self.state.last_seq)
        if key != self._guided:
            self._guided = key
            found = self.next_key(step_id)
            self._hint = found.hint if found is not None else None
            self.query_one(Guidance).show(self.state, step_id, found, keyed=self.key_hints)

    def _hint_for(self, step_id: str | None) -> str | None:
        found = self.next_key(step_id)
        return found.hint if found is not None else None

    def next_key(self, step_id: str | None) -> NextKey | None:
        """The key the guidance names for `step_id` (`incident.app.next_key`)."""
        if step_id is None or not self.key_hints:
            return None
        return next_key(self.state, step_id, self.now(), self.not_polled, self.unrecorded)

    def _rehint(self) -> None:
        """Samples alone: the guidance is drawn again only if its key's hint changed
        (evidence now holds, a trigger met), not on every tick of the probes."""
        step_id = self.query_one(Checklist).highlighted_step
        if self._hint_for(step_id) != self._hint:
            self.guide(step_id)

    @on(OptionList.OptionHighlighted, "#checklist")
    def _step_highlighted(self) -> None:
        self.guide(self.query_one(Checklist).highlighted_step)
