"""One incident on screen: clocks, phases, checklist, guidance, health, timeline.

What the coordinator's screen, following (`attach`) and replay share: they differ in
where the events come from and what keys they bind, not in what they show. Nothing
here records; `IncidentScreen` adds the verbs.
"""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList

from incident.app.session import Session
from incident.core.errors import CommandError
from incident.core.events import Event
from incident.core.phase_clocks import PhaseState, current_phase, phase_clocks
from incident.core.state import IncidentState
from store.errors import StoreError
from tui.app.plain import plain
from tui.app.widgets.checklist import Checklist
from tui.app.widgets.guidance import Guidance
from tui.app.widgets.health import HealthPanels
from tui.app.widgets.incident_bar import IncidentBar
from tui.app.widgets.phase_strip import PhaseStrip, window_label
from tui.app.widgets.timeline import Timeline


class IncidentView(Screen[None]):
    """The incident as its session folds it, redrawn once a second and on every event."""

    def __init__(self, session: Session, events: list[Event], actor: str) -> None:
        super().__init__()
        self.session = session
        self.actor = actor
        self._initial_events = events
        self.phase_id = self._current_phase_id() or session.state.runbook.phases[0].id
        """The phase whose checklist is on show; follows progress unless moved by hand."""
        self._phase_pinned = False

    # --- layout ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield IncidentBar(id="bar")
        yield PhaseStrip(len(self.session.state.runbook.phases))
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield Label(id="phase-title")
                yield Checklist(id="checklist")
            with Vertical(id="right"):
                if self.session.state.runbook.probes:
                    yield HealthPanels(self.session.state.runbook.probes, id="health")
                yield Guidance(id="guidance")
                yield Timeline(id="timeline")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(Timeline).append(self.state, self._initial_events)
        self.redraw()
        self.redraw_health()
        self.query_one(Checklist).focus()
        self.set_interval(1.0, self.tick)
        self.start_background()
        self.call_after_refresh(self.catch_up)

    def start_background(self) -> None:
        """What runs for as long as the screen lives (probes, deliveries): none here."""

    def record_background(self) -> list[Event]:
        """What is recorded without a key (auto-sends, missed updates): none here."""
        return []

    @property
    def state(self) -> IncidentState:
        return self.session.state

    def now(self) -> datetime:
        return self.session.clock.now()

    @property
    def selected_step(self) -> str | None:
        return self.query_one(Checklist).highlighted_step

    # --- keeping up --------------------------------------------------------------

    def tick(self) -> None:
        """Once a second: pick up other writers' events and move the clocks."""
        try:
            fresh = self.session.refresh()
            fresh += self.record_background()
        except (StoreError, CommandError) as error:
            self.notify(str(error), severity="error", timeout=10)
            fresh = []
        if fresh:
            self.query_one(Timeline).append(self.state, fresh)
            self.redraw()
            self.redraw_health()
        else:
            self.redraw_clocks()

    def catch_up(self) -> None:
        """What follows a recorded action without a key (an auto-send), then redraw."""
        try:
            recorded = self.record_background()
        except (CommandError, StoreError) as error:
            self.notify(str(error), severity="error", timeout=10)
            recorded = []
        if recorded:
            self.query_one(Timeline).append(self.state, recorded)
        self.redraw()

    def show_events(self, events: list[Event]) -> None:
        """Events just recorded: into the timeline, then whatever they set off."""
        self.query_one(Timeline).append(self.state, events)
        self.catch_up()

    # --- drawing -----------------------------------------------------------------

    def redraw_health(self) -> None:
        for panels in self.query(HealthPanels):
            panels.show(self.state)

    def _current_phase_id(self) -> str | None:
        clock = current_phase(self.session.state, self.session.clock.now())
        return clock.phase.id if clock else None

    def redraw_clocks(self) -> None:
        """The once-a-second path: the phase clocks are computed once for all of it."""
        now = self.now()
        clocks = phase_clocks(self.state, now)
        current = next((c.phase.id for c in clocks if c.state != PhaseState.DONE), None)
        self.query_one(IncidentBar).show(self.state, now)
        self.query_one(PhaseStrip).show(self.state, now, clocks, current)

    def redraw(self) -> None:
        if not self._phase_pinned:
            self.phase_id = self._current_phase_id() or self.phase_id
        self.redraw_clocks()
        phases = self.state.runbook.phases
        index = next(i for i, p in enumerate(phases) if p.id == self.phase_id)
        phase = phases[index]
        self.query_one("#phase-title", Label).update(
            plain(f"Phase {index + 1}/{len(phases)} · {phase.title} · {window_label(phase)}")
        )
        checklist = self.query_one(Checklist)
        checklist.show(self.state, self.phase_id)
        self.query_one(Guidance).show(self.state, checklist.highlighted_step, self.now())

    @on(OptionList.OptionHighlighted, "#checklist")
    def _step_highlighted(self) -> None:
        self.query_one(Guidance).show(
            self.state, self.query_one(Checklist).highlighted_step, self.now()
        )

    def advance(self) -> None:
        """On to the first step still to do, so the next key acts on it."""
        checklist = self.query_one(Checklist)
        checklist.highlight_next_open(self.state)
        self.query_one(Guidance).show(self.state, checklist.highlighted_step, self.now())

    def action_phase(self, delta: int) -> None:
        phases = [p.id for p in self.state.runbook.phases]
        index = (phases.index(self.phase_id) + delta) % len(phases)
        self.phase_id = phases[index]
        self._phase_pinned = self.phase_id != self._current_phase_id()
        self.redraw()
