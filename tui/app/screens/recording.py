"""How the coordinator's screen records: one path from a verb to the timeline.

Every verb goes through `attempt`: its use case (from the verb table, or the named
one in `incident.app`) decides on fresh state and appends; only then does the screen
show the events, and a refusal changes nothing. Verbs without a form of their own get
the generic `VerbForm`, built from their parameters. Probe samples are recorded here
too, as the probes, off the keyboard.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from textual import work

from incident.app.health import record_samples
from incident.app.outcome import Done
from incident.app.params import Kind, machine_zone
from incident.app.session import IncidentSession
from incident.app.verb import Verb
from incident.app.verbs import BY_NAME, run
from incident.core.errors import CommandError
from incident.core.payloads import TriggerChanged
from incident.core.samples import Sample
from incident.reports.describe import describe
from incident.reports.report import markdown_report
from store.errors import StoreError
from tui.app.modals.verb_form import Refusal, Values, VerbForm, remedy
from tui.app.screens.incident_view import IncidentView
from tui.app.screens.verb_keys import choices_for
from tui.app.widgets.timeline import Timeline
from tui.net.client import HttpClient
from tui.net.poller import ProbePoller

After = Callable[[Done], None]
"""What the screen does once a verb is recorded (move to the next open step)."""


class RecordingScreen(IncidentView):
    """The coordinator's screen without its keys: recording, forms, probes, export."""

    def start_background(self) -> None:
        super().start_background()
        client = getattr(self.app, "http", None)
        if client is not None and self.state.runbook.probes and not self.state.is_closed:
            self.poll_probes(client)

    # --- recording -------------------------------------------------------------------

    def attempt(
        self, call: Callable[[], Done], *, after: After | None = None, quiet: bool = False
    ) -> Refusal | None:
        """Run a use case; show what it recorded, or hand back why it was refused."""
        try:
            done = call()
        except CommandError as error:
            return Refusal(str(error), error.needs)
        except StoreError as error:
            return Refusal(str(error))
        self.show_events(done.events)
        if not quiet:
            said = "\n".join([done.said, *done.notes])
            self.notify(said[:1].upper() + said[1:], timeout=4)
        if after is not None:
            after(done)
        return None

    def record(
        self,
        call: Callable[[], Done],
        verb: Verb | None = None,
        *,
        after: After | None = None,
        quiet: bool = False,
    ) -> bool:
        """`attempt`, with a refusal shown as a toast (its remedy in this face's terms)."""
        refusal = self.attempt(call, after=after, quiet=quiet)
        if refusal is None:
            return True
        hint = remedy(refusal.needs, verb.params) if verb is not None else ""
        message = f"{refusal.message} ({hint})" if hint else refusal.message
        self.notify(message, title="Not recorded", severity="error", timeout=10)
        return False

    def run_verb(
        self, name: str, values: Values, *, after: After | None = None, quiet: bool = False
    ) -> bool:
        """Record verb `name` with `values` through its use case in the verb table."""
        verb = BY_NAME[name]
        return self.record(
            lambda: run(verb, self.session, self.actor, values), verb, after=after, quiet=quiet
        )

    def open_form(
        self,
        verb: Verb,
        *,
        fixed: Mapping[str, object] | None = None,
        after: After | None = None,
    ) -> None:
        """The generic form for `verb`: a field for each parameter not `fixed` here.

        A step parameter takes the highlighted step; the form stays open on a refusal.
        """
        given = dict(fixed or {})
        context = ""
        for param in verb.params:
            if param.kind is Kind.STEP and param.name not in given:
                step_id = self.selected_step
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

        def attempt(values: Values) -> Refusal | None:
            call_values = {**given, **values}
            return self.attempt(
                lambda: run(verb, self.session, self.actor, call_values), after=after
            )

        self.app.push_screen(
            VerbForm(
                verb.title,
                verb.confirm or verb.help,
                shown,
                attempt=attempt,
                context=context,
                choices=choices,
            )
        )

    # --- export ------------------------------------------------------------------------

    def export_report(self) -> None:
        """Ask where, then write the Markdown report there (as `export` does)."""
        verb = BY_NAME["export"]
        output = verb.param("output")._replace(
            help="the file to write the Markdown report to", required=True
        )

        def write(values: Values) -> Refusal | None:
            if not isinstance(self.session, IncidentSession):
                return Refusal("this screen has no record to export")
            path = Path(str(values["output"])).expanduser()
            try:
                events = self.session.log.events(self.state.id)
                text = markdown_report(self.state, events, self.now(), tz=machine_zone())
                write_atomically(path, text)
            except StoreError as error:
                return Refusal(str(error))
            except OSError as error:
                return Refusal(f"{path}: cannot write: {error.strerror or error}")
            self.notify(f"Report written to {path}", timeout=6)
            return None

        self.app.push_screen(
            VerbForm(
                verb.title,
                "Write the incident report (Markdown) to a file.",
                [output],
                attempt=write,
                initial={"output": f"./{self.state.id}-report.md"},
            )
        )

    # --- probes ------------------------------------------------------------------------

    @work(exclusive=True, group="probes")
    async def poll_probes(self, client: HttpClient) -> None:
        """Poll production for as long as the screen lives; never blocks a key."""
        poller = ProbePoller(
            self.state.runbook.probes, client=client, clock=self.session.clock, env=os.environ
        )
        while not self.state.is_closed:
            batch = await poller.poll_due()
            if batch:
                self.record_samples(batch)
            await asyncio.sleep(max(poller.seconds_until_next(), 0.05))

    def record_samples(self, batch: list[Sample]) -> None:
        """One tick of samples (and any trigger they flip), in one transaction."""
        try:
            events = record_samples(self.session, batch).events
        except (CommandError, StoreError) as error:
            self.notify(str(error), title="Samples not recorded", severity="error")
            return
        self.query_one(Timeline).append(self.state, events)
        for event in events:
            if isinstance(event.data, TriggerChanged):
                met = event.data.met
                self.notify(
                    describe(event),
                    title="Rollback trigger met" if met else "Trigger cleared",
                    severity="warning" if met else "information",
                    timeout=8,
                )
        if len(events) > 1:
            self.redraw()
        self.redraw_health()


def write_atomically(path: Path, text: str) -> None:
    """The whole file or none of it: written beside `path`, then renamed over it."""
    directory = path.parent if str(path.parent) else Path(".")
    temp: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", newline="", dir=directory, delete=False, suffix=".tmp"
        ) as handle:
            temp = Path(handle.name)
            handle.write(text)
        temp.replace(path)
    except OSError:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise
