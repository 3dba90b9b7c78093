"""The lastgood Textual app: finds or declares the incident, then hands over.

Routing only: which incident to open (the open one, a picker when several, a
declare form when none). The work happens on `IncidentScreen`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from incident.app.listing import incident_state, listed
from incident.app.session import IncidentSession
from incident.core.chain import DamagedRecord
from incident.core.clock import Clock, SystemClock
from incident.core.log import EventLog
from incident.core.names import not_a_person
from incident.core.phase_clocks import elapsed, format_offset
from incident.core.state import IncidentState
from runbooks.model import Runbook
from tui.app.colour_depth import ColourDepth
from tui.app.drafts import KeepsDrafts
from tui.app.frames_first import FramesFirst
from tui.app.help import help_sections
from tui.app.key_characters import NamedKeys
from tui.app.lends_network import LendsNetwork
from tui.app.palette import in_our_words, incident_commands
from tui.app.plain import SCREEN_HEIGHTS, SCREEN_WIDTHS, PlainToasts
from tui.app.refusal import (
    NO_NAME,
    NOTHING_DECLARED,
    NOTHING_PICKED,
    UNREADABLE,
    Refusing,
    Unreadable,
    unreadable,
)
from tui.app.screens.incident import IncidentScreen
from tui.app.terminal_input import InputAsData
from tui.app.type_ahead import TypeAhead

if TYPE_CHECKING:
    from pathlib import Path

    from tui.app.modals.declare_form import DeclareForm


class LastGoodApp(
    ColourDepth,
    FramesFirst,
    LendsNetwork,
    NamedKeys,
    TypeAhead,
    KeepsDrafts,
    PlainToasts,
    Refusing,
    InputAsData,
):
    """Opens the incident where it was left, or helps declare one. Its frames come first
    (`FramesFirst`); the network it lends the screen is `LendsNetwork`'s. `ColourDepth`
    stays the first base: Textual's CSS types follow the first base alone."""

    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = SCREEN_WIDTHS
    VERTICAL_BREAKPOINTS = SCREEN_HEIGHTS
    TITLE = "lastgood"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        log: EventLog,
        runbook: Runbook | None,
        *,
        clock: Clock | None = None,
        actor: str | None = "coordinator",
        incident_id: str | None = None,
        new_incident_id: str | None = None,
        network: bool = True,
        poll_probes: bool = True,
        probes_in_child: str | None = None,
        prepare: Callable[[str], str] | None = None,
        record_location: str | None = None,
        kept_dir: Path | None = None,
        shop_url: str | None = None,
    ) -> None:
        super().__init__()
        self.event_log = log
        self.runbook = runbook
        """The runbook new incidents are declared with; None when `incident_id` names the
        incident to open (it carries its own runbook), so none is loaded."""
        self.clock: Clock = clock or SystemClock()
        self.actor: str = actor or ""
        """Who records from this terminal; "" until the coordinator has said their name."""
        self.prepare = prepare
        """Makes the incident to open once the coordinator is named (the demo declares
        its incident with them as commander); returns its id."""
        self.shop_url = shop_url
        """The demo's or the drill's shop (http://127.0.0.1:PORT): the Production panel's
        title names it, so that the player can curl what the probes read (its
        `/version` lists the release's migrations); None: no shop of lastgood's own."""
        self.requested_incident = incident_id
        self.new_incident_id = new_incident_id
        """A fixed id for the next declaration, for tests and screenshots."""
        self.with_network = network
        """The network on: deliver the runbook's webhook messages, and poll its probes
        unless `poll_probes` is off (tests and screenshots turn it all off)."""
        self.poll_probes = network and poll_probes
        """Poll the runbook's probes (off for `start --no-probes`, which still delivers)."""
        self.probes_in_child = probes_in_child if self.poll_probes else None
        """Where the record is (a file or a PostgreSQL URL) for a child `lastgood
        monitor` to poll the probes into (`tui/app/probe_child.py`); None: the network
        thread polls them, in this process."""
        self.record_location = record_location
        """The `--db` it was started with (a file or a PostgreSQL URL, password and all):
        a command step's output is redacted of that password before it is shown or
        recorded, as `lastgood run` redacts it."""
        self.kept_dir = kept_dir
        """Where the coordinator's screen keeps what the record could not take, until
        recorded (`tui.app.screens.kept`); None: on screen alone."""
        self.delivery_attempts: int | None = None
        """Tries before a message fails for good (None: the deliverer's default)."""

    def on_mount(self) -> None:
        # After start-up's batch: a screen pushed inside it renders a frame that is never
        # written, and its first written frame then lacks what that one drew (the bar).
        self.call_later(self.route)

    def route(self) -> None:
        """Ask who is coordinating if nothing said it, then open the incident asked for,
        the one open, a picker, or the declare form."""
        if not self.actor:
            self.ask_name()
            return
        if self.prepare is not None:
            self.requested_incident = self.prepare(self.actor)
            self.prepare = None
        if self.requested_incident is not None:
            self.open_incident(self.requested_incident)
            return
        # Drills stay out of the picker: `start --incident ID` opens one.
        try:
            open_states = [s for s in listed(self._states()) if not s.is_closed]
        except Unreadable as error:
            self.refuse(str(error), 2, error.cause)
            return
        if len(open_states) == 1:
            self.open_incident(open_states[0].id)
        elif open_states:
            self.show_picker(open_states)
        else:
            self.show_declare()

    def ask_name(self) -> None:
        """Once, when neither --as, $LASTGOOD_USER, git nor the login names a person."""
        from tui.app.modals.text_prompt import TextPrompt

        def named(name: str | None) -> None:
            if name is None:
                self.refuse(NO_NAME, 1)
                return
            self.actor = " ".join(name.split())
            self.route()

        self.push_screen(
            TextPrompt(
                "Who is coordinating?",
                "Your name, as the record, the messages and the report will show it. "
                "(--as NAME or $LASTGOOD_USER skips this question.)",
                placeholder="e.g. Ada Lovelace",
                check=not_a_person,
            ),
            named,
        )

    async def action_quit(self) -> None:
        """Quitting before anyone is named (ctrl+q at "Who is coordinating?") is
        cancelling the question, and quitting the picker is leaving it: nothing was
        opened, and the command says so."""
        from tui.app.modals.picker import IncidentPicker

        if not self.actor:
            self.refuse(NO_NAME, 1)
            return
        if isinstance(self.screen, IncidentPicker):
            self.refuse(NOTHING_PICKED, 1)
            return
        await super().action_quit()

    def leave(self) -> None:
        """Quitting the declaration form before any incident is open is leaving it:
        nothing was declared, and the command says so (as the picker's Esc does)."""
        from tui.app.modals.declare import DeclareModal

        stack = self.screen_stack
        opened = any(isinstance(screen, IncidentScreen) for screen in stack)
        if not opened and any(isinstance(screen, DeclareModal) for screen in stack):
            self.refuse(NOTHING_DECLARED, 1)
        else:
            super().leave()

    def _states(self) -> Iterable[IncidentState]:
        for incident_id in self.event_log.incident_ids():
            try:
                yield incident_state(self.event_log, incident_id)
            except UNREADABLE as error:
                raise Unreadable(unreadable(self.event_log, incident_id, error), error) from None

    def show_picker(self, states: list[IncidentState]) -> None:
        from incident.app.listing import standing
        from tui.app.modals.picker import IncidentPicker, IncidentRow

        now = self.clock.now()
        rows = [
            IncidentRow(
                id=s.id,
                severity=s.severity,
                title=s.title,
                elapsed=format_offset(elapsed(s, now)),
                status=standing(s, now),
                commander=s.commander,
            )
            for s in states
        ]

        def picked(choice: str | None) -> None:
            if choice is None:
                self.refuse(NOTHING_PICKED, 1)
            elif choice == "new":
                self.show_declare()
            else:
                self.open_incident(choice)

        self.push_screen(IncidentPicker(rows), picked)

    def show_declare(self) -> None:
        from tui.app.declaring import Declaring

        if self.runbook is None:
            raise ValueError("declaring needs a runbook")
        declaring = Declaring(
            self.event_log,
            self.runbook,
            actor=self.actor,
            clock=self.clock,
            incident_id=self.new_incident_id,
            db=self.record_location,
        )

        def closed(form: DeclareForm | None) -> None:
            if form is None or declaring.declared is None:
                self.refuse(NOTHING_DECLARED, 1)
            else:
                self.open_incident(declaring.declared)

        self.push_screen(declaring.modal(), closed)

    def open_incident(self, incident_id: str) -> None:
        try:
            session = IncidentSession(self.event_log, incident_id, self.clock, journal=True)
        except UNREADABLE as error:
            self.refuse(unreadable(self.event_log, incident_id, error), 2, error)
            return
        if session.damage is not None:
            # The coordinator's screen records; on a damaged chain it must not open.
            self.refuse(str(DamagedRecord(session.damage)), 1)
            return
        self.switch_or_push(IncidentScreen(session, self.actor, shop_url=self.shop_url))

    def switch_or_push(self, screen: Screen[None]) -> None:
        if isinstance(self.screen, IncidentScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    @property
    def incident_screen(self) -> IncidentScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, IncidentScreen):
                return screen
        return None

    def action_help(self) -> None:
        from tui.app.modals.help import HelpModal

        self.push_screen(HelpModal(help_sections()))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own commands in lastgood's words (`tui.app.palette`), then the
        coordinator's, when its screen is open."""
        yield from in_our_words(super().get_system_commands(screen))
        incident = self.incident_screen
        if incident is not None:
            yield from incident_commands(incident)
