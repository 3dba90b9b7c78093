"""How the coordinator's screen records: one path from a verb to the timeline.

Every verb goes through `record` or `attempt`: its use case (from the verb table,
or the named one in `incident.app`) runs as a job on the recorder's thread, which
decides on fresh state and appends; the screen shows the events once they are
committed, and a refusal changes nothing. Verbs without a form of their own get
the generic `VerbForm` (`verb_forms`); the report is written and previewed by
`report_files`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from textual.notifications import SeverityLevel
from textual.screen import Screen

from incident.app.outcome import Done
from incident.app.session import IncidentSession
from incident.app.verb import Verb
from incident.app.verbs import BY_NAME, run
from incident.core.errors import CommandError
from incident.core.state import IncidentState
from store.errors import StoreError
from tui.app.plain import reason_first
from tui.app.screens.recorder import Outcome, Recorder
from tui.app.screens.verb_keys import in_tui_words
from tui.app.widgets.incident_view import IncidentView

if TYPE_CHECKING:  # the forms are loaded when one first opens
    from tui.app.modals.verb_form import Refusal, Values
    from tui.app.screens.kept import KeptOnDisk

After = Callable[[Done], None]
"""What the screen does once a verb is recorded and shown (move to the next step)."""
Job = Callable[[IncidentSession], Done]
T = TypeVar("T")
"""A use case, bound to everything but the session it runs on."""


def refusal_of(outcome: Outcome[Done]) -> Refusal | None:
    """Why a job recorded nothing, in the form's terms; None if it recorded.

    Anything but a refusal (a bug) is raised again, on the UI loop.
    """
    error = outcome.error
    if error is None:
        return None
    from tui.app.modals.verb_form import Refusal

    if isinstance(error, CommandError):  # the verbs it names, as this face reaches them
        return Refusal(in_tui_words(error), error.needs, error.needs_one_of, error.about)
    if isinstance(error, StoreError):
        return Refusal(str(error))
    raise error


class Desk:
    """The coordinator's verbs, recorded through the recorder and shown by the view."""

    def __init__(
        self,
        screen: Screen[None],
        view: IncidentView,
        recorder: Recorder,
        actor: str,
        *,
        catch_up: Callable[[], None],
    ) -> None:
        self.screen = screen
        self.view = view
        self.recorder = recorder
        self.actor = actor
        self.catch_up = catch_up
        """After a recorded action: whatever it made due, recorded next (the screen's)."""
        self.footnote: Callable[[], str] | None = None
        """A line the toast saying a verb was done leads with, if any: what that toast
        hides where only the newest toast shows (`Comms.due_footnote`)."""
        self.kept: KeptOnDisk | None = None
        """Where what the record refused is kept until recorded (`screens.kept`), if
        this screen keeps it on disk."""

    @property
    def state(self) -> IncidentState:
        """What the screen shows; a use case decides on the session's own, fresher one."""
        return self.view.state

    @property
    def db(self) -> str | None:
        """The record's location as the app was given it: its password is a secret."""
        return getattr(self.screen.app, "record_location", None)

    def now(self) -> datetime:
        return self.view.now()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
    ) -> None:
        self.screen.notify(message, title=title, severity=severity, timeout=timeout)

    def advance(self, done: Done | None = None) -> None:
        """On to the next step still to do (an `After`)."""
        self.view.advance()

    # --- recording -------------------------------------------------------------------

    def shown(self, outcome: Outcome[Done], *, after: After | None, quiet: bool) -> Refusal | None:
        """A job's outcome, its events already on screen: say so, then `after`."""
        refusal = refusal_of(outcome)
        if refusal is not None:
            return refusal
        done = outcome.unwrap()
        if not quiet:
            # A warning (a resolution sent while a trigger is met) next to what was
            # recorded, before the notes: a toast is cut at 3 rows.
            said = "\n".join([done.said, *done.warnings, *done.notes])
            # The due cue first (a toast is cut at 3 rows), unless the verb has notes: a
            # warning or a step left open outranks it, and the footer still says `m`.
            quiet_cue = done.notes or done.warnings
            footnote = self.footnote() if self.footnote is not None and not quiet_cue else ""
            said = said[:1].upper() + said[1:]
            said = f"{footnote}\n{said}" if footnote else said
            if done.warnings:
                self.notify(said, title="Recorded, but", severity="warning", timeout=10)
            else:
                self.notify(said, timeout=4)
        if after is not None:
            after(done)
        return None

    async def attempt(
        self,
        job: Job,
        *,
        after: After | None = None,
        quiet: bool = False,
        unreachable: Callable[[], None] | None = None,
    ) -> Refusal | None:
        """Record through `job` and wait until it is on screen; or why it was refused
        (`unreachable` called first if the record could not be written)."""
        outcome = await self.recorder.call(job, kind="verb")
        self.catch_up()
        if unreachable is not None and isinstance(outcome.error, StoreError):
            unreachable()
        return self.shown(outcome, after=after, quiet=quiet)

    def submit_for_dialog(
        self, job: Callable[[IncidentSession], T], reply: Callable[[Outcome[T]], None]
    ) -> None:
        """Run `job` off the UI loop; its `reply` may open a dialog. Keys typed meanwhile
        wait for that dialog (or, if none opens, go on once the reply has run): typed
        straight after `m` or space on a command step, they used to reach the checklist,
        where letters are verbs."""
        app = self.screen.app
        hold = getattr(app, "hold_keys", None)
        release = getattr(app, "release_keys", None)
        if hold is None or release is None:
            self.recorder.submit(job, reply)
            return
        hold()

        def replied(outcome: Outcome[T]) -> None:
            try:
                reply(outcome)
            finally:
                release()

        self.recorder.submit(job, replied)

    def record(
        self,
        job: Job,
        verb: Verb | None = None,
        *,
        after: After | None = None,
        quiet: bool = False,
        unrecorded: Callable[[str], str] | None = None,
        unreachable: Callable[[], None] | None = None,
    ) -> None:
        """Record through `job` without waiting; a refusal is a toast (its remedy in this
        face's terms), worded by `unrecorded` when what happened outside the record
        must be said with it (a command that ran); `unreachable` is called first if the
        record could not be written."""

        def reply(outcome: Outcome[Done]) -> None:
            if unreachable is not None and isinstance(outcome.error, StoreError):
                unreachable()
            refusal = self.shown(outcome, after=after, quiet=quiet)
            if refusal is None:
                return
            from tui.app.modals.verb_form import remedy

            hint = remedy(refusal.needs, verb.params, refusal.one_of) if verb is not None else ""
            message = f"{refusal.message} ({hint})" if hint else refusal.message
            if unrecorded is not None:  # the words first, the record's URL last
                error = outcome.error
                message = unrecorded(
                    reason_first(error) if isinstance(error, StoreError) else message
                )
            self.notify(message, title="Not recorded", severity="error", timeout=10)

        self.recorder.submit(job, reply, kind="verb")
        self.catch_up()

    def run_verb(
        self, name: str, values: Values, *, after: After | None = None, quiet: bool = False
    ) -> None:
        """Record verb `name` with `values` through its use case in the verb table."""
        verb = BY_NAME[name]
        actor = self.actor
        self.record(
            lambda s: run(verb, s, actor, values, db=self.db), verb, after=after, quiet=quiet
        )
