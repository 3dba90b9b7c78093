"""The incident report from the coordinator's screen: written to a file (`e`, as
`export` writes it) or previewed read-only, each read from the record on the
recorder's thread through the application layer (`incident.app.closeout`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from incident.app.params import machine_zone
from incident.app.verbs import BY_NAME
from incident.core.state import IncidentState

if TYPE_CHECKING:  # the form is loaded when one first opens
    from tui.app.modals.verb_form import Refusal, Values
    from tui.app.screens.desk import After, Desk


def export_report(
    desk: Desk, *, after: After | None = None, check_step: bool | None = None
) -> None:
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
    open_step = closeout.open_step_for(desk.state, closeout.Artefact.REPORT)
    if check_step is None and open_step is not None:
        title = desk.state.steps[open_step].step.title
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
        if closeout.report_checks_step(desk.state, desk.now()):
            ticked.append("check_step")
    actor = desk.actor

    async def write(values: Values) -> Refusal | None:
        path = Path(str(values["output"])).expanduser()
        checks = check_step if check_step is not None else values.get("check_step") is True
        outcome = await desk.recorder.call(
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
        desk.catch_up()
        if isinstance(outcome.error, OSError):
            from incident.app.whole_file import cannot_write

            return Refusal(cannot_write(path, outcome.error))
        return desk.shown(outcome, after=after, quiet=False)

    desk.screen.app.push_screen(
        VerbForm(
            verb.title,
            about,
            params,
            attempt=write,
            initial={"output": report_path(desk.state)},
            ticked=ticked,
            now=desk.now(),
        )
    )


def preview_report(desk: Desk) -> None:
    """The report `e` would write, read from the record on the recorder's thread,
    shown read-only (`closeout.report_preview`)."""
    from incident.app import closeout
    from tui.app.modals.report_preview import ReportPreviewModal

    async def read() -> None:
        outcome = await desk.recorder.call(
            lambda s: closeout.report_preview(s, tz=machine_zone()), kind="export"
        )
        if outcome.error is not None:
            desk.notify(str(outcome.error), title="No preview", severity="error")
            return
        desk.screen.app.push_screen(ReportPreviewModal(outcome.unwrap()))

    desk.screen.run_worker(read(), exclusive=False)


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
