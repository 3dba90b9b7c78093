"""How the coordinator's screen records: one path from a verb to the timeline.

Every verb goes through `record` or `attempt`: its use case (from the verb table,
or the named one in `incident.app`) runs as a job on the recorder's thread, which
decides on fresh state and appends; the screen shows the events once they are
committed, and a refusal changes nothing. Verbs without a form of their own get
the generic `VerbForm`, built from their parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual.notifications import SeverityLevel
from textual.screen import Screen

from incident.app.outcome import Done
from incident.app.params import Kind, machine_zone
from incident.app.session import IncidentSession
from incident.app.verb import Verb
from incident.app.verbs import BY_NAME, run
from incident.core.errors import CommandError
from incident.core.state import IncidentState
from store.errors import StoreError
from tui.app.plain import reason_first
from tui.app.screens.recorder import Outcome, Recorder
from tui.app.screens.verb_keys import choices_for, in_tui_words
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
        self._catch_up = catch_up
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
        self._catch_up()
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
        self._catch_up()

    def run_verb(
        self, name: str, values: Values, *, after: After | None = None, quiet: bool = False
    ) -> None:
        """Record verb `name` with `values` through its use case in the verb table."""
        verb = BY_NAME[name]
        actor = self.actor
        self.record(
            lambda s: run(verb, s, actor, values, db=self.db), verb, after=after, quiet=quiet
        )

    def open_form(
        self,
        verb: Verb,
        *,
        fixed: Mapping[str, object] | None = None,
        after: After | None = None,
        initial: Mapping[str, str] | None = None,
    ) -> None:
        """The generic form for `verb`: a field for each parameter not `fixed` here,
        opening with `initial` in it (what the guidance named: `NextKey.prefill`).

        A step parameter takes the highlighted step; the form stays open on a refusal.
        """
        given = dict(fixed or {})
        context = ""
        for param in verb.params:
            if param.kind is Kind.STEP and param.name not in given:
                step_id = self.view.selected_step
                if step_id is None:
                    self.notify("Highlight a step first.")
                    return
                given[param.name] = step_id
        step = given.get("step")
        if isinstance(step, str) and step in self.state.steps:
            context = f"Step: {self.state.steps[step].step.title}"
        elif given:
            context = " · ".join(f"{name}: {value}" for name, value in given.items())
        shown = [p for p in verb.params if not p.cli_only and p.name not in given]
        choices = choices_for(verb, self.state, self.now())
        for param in shown:
            if param.kind is Kind.CHOICE and param.required and not choices.get(param.name):
                self.notify(f"{verb.title}: no {param.name} to choose from now.")
                return
        actor = self.actor
        from tui.app.examples import placeholders_for
        from tui.app.modals.verb_form import VerbForm

        now = self.now()
        held = None
        if self.kept is not None:
            from incident.app.kept import KEPT_VERBS
            from tui.app.screens.kept import HeldIntent

            held = HeldIntent(self, verb.name) if verb.name in KEPT_VERBS else None

        async def attempt(values: Values) -> Refusal | None:
            call_values = {**given, **values}
            job: Job = lambda s: run(verb, s, actor, call_values, db=self.db)  # noqa: E731
            if held is not None:  # kept on disk while the record refuses it
                return await held.attempt(call_values, job, after=after)
            return await self.attempt(job, after=after)

        def closed(values: Values | None) -> None:
            if held is not None and values is None:  # cancelled: not to be recorded
                held.closed()

        self.screen.app.push_screen(
            VerbForm(
                verb.title,
                verb.confirm or verb.help,
                shown,
                attempt=attempt,
                context=context,
                choices=choices,
                placeholders=placeholders_for(verb, now, self.state),
                now=now,
                initial=initial,
            ),
            closed,
        )

    # --- export ----------------------------------------------------------------------

    def export_report(self, *, after: After | None = None, check_step: bool | None = None) -> None:
        """Ask where, then write the Markdown report there (as `export` does).

        Whether it also checks the close-out step it completes ("Document the incident",
        with where the file is and its head hash) is a box on the form, ticked as
        `closeout.report_checks_step` says (not in a phase still to come), and absent
        when there is no open step to check. `check_step` given decides it without a box:
        checking that step itself (space on it) passes True.
        """
        from incident.app import closeout
        from tui.app.modals.verb_form import Refusal, VerbForm

        verb = BY_NAME["export"]
        output = verb.param("output").but(
            help="the file to write the Markdown report to", required=True
        )
        params = [output]
        about = "Write the incident report (Markdown) to a file."
        ticked: list[str] = []
        open_step = closeout.open_step_for(self.state, closeout.Artefact.REPORT)
        if check_step is None and open_step is not None:
            title = self.state.steps[open_step].step.title
            params.append(
                verb.param("check_step").but(
                    help=f'mark "{title}" done by this report',
                    required=False,
                )
            )
            about += (
                " Check step records where it is (its absolute path and this machine) and"
                " its head hash as the step's evidence."
            )
            if closeout.report_checks_step(self.state, self.now()):
                ticked.append("check_step")
        actor = self.actor

        async def write(values: Values) -> Refusal | None:
            path = Path(str(values["output"])).expanduser()
            checks = check_step if check_step is not None else values.get("check_step") is True
            outcome = await self.recorder.call(
                lambda s: closeout.export_report(
                    s,
                    actor,
                    str(path),
                    lambda text: write_atomically(path, text),
                    check_step=checks,
                    tz=machine_zone(),
                ),
                kind="export",
            )
            self._catch_up()
            if isinstance(outcome.error, OSError):
                from incident.app.whole_file import cannot_write

                return Refusal(cannot_write(path, outcome.error))
            return self.shown(outcome, after=after, quiet=False)

        self.screen.app.push_screen(
            VerbForm(
                verb.title,
                about,
                params,
                attempt=write,
                initial={"output": report_path(self.state)},
                ticked=ticked,
                now=self.now(),
            )
        )

    def preview_report(self) -> None:
        """The report `e` would write, read from the record on the recorder's thread,
        shown read-only (`closeout.report_preview`)."""
        from incident.app import closeout
        from tui.app.modals.report_preview import ReportPreviewModal

        async def read() -> None:
            outcome = await self.recorder.call(
                lambda s: closeout.report_preview(s, tz=machine_zone()), kind="export"
            )
            if outcome.error is not None:
                self.notify(str(outcome.error), title="No preview", severity="error")
                return
            self.screen.app.push_screen(ReportPreviewModal(outcome.unwrap()))

        self.screen.run_worker(read(), exclusive=False)


def report_path(state: IncidentState) -> str:
    """Where `e` offers to write the report: the file "Document the incident" names, when
    it was written on this machine (writing it again brings it up to date: the close says
    so), else `./ID-report.md`."""
    from incident.app.stale_report import report_place_here

    return report_place_here(state) or f"./{state.id}-report.md"


def write_atomically(path: Path, text: str) -> None:
    """The whole file or none of it (`incident.app.whole_file`, loaded when a report
    is written, not before the first frame)."""
    from incident.app.whole_file import write_whole

    write_whole(path, [text.encode()])
