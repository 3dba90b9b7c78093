"""The incident from the coordinator's screen: written to a file (`e`, as `export`
writes it: the report, the whole record or the invitation), or the report previewed
read-only; each read from the record on the recorder's thread through the application
layer (`incident.app.exports`, `incident.app.closeout`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from incident.app.params import machine_zone
from incident.app.verbs import BY_NAME

if TYPE_CHECKING:  # the form is loaded when one first opens
    from tui.app.modals.verb_form import Refusal, Values
    from tui.app.screens.desk import After, Desk


def export_report(
    desk: Desk, *, after: After | None = None, check_step: bool | None = None
) -> None:
    """Ask where and in which format (`export`'s three), then write it there with the
    use case `export` calls (`incident.app.exports.export_file`); the format follows
    the file's name (`tui.app.modals.export_form`).

    Whether the report also checks the close-out step it completes ("Document the
    incident", with where the file is and its head hash) is a box on the form, ticked as
    `closeout.report_checks_step` says (not in a phase still to come), and absent
    when there is no open step to check. `check_step` given decides it without a box:
    checking that step itself (space on it) passes True, and asks for the report alone.
    """
    from incident.app import closeout
    from incident.app.exports import FORMATS, MARKDOWN, named_format
    from incident.app.stale_report import offered_path
    from tui.app.modals.export_form import ExportForm
    from tui.app.modals.verb_form import Refusal

    verb = BY_NAME["export"]
    output = verb.param("output").but(
        help="the file to write: .md, .json or .ics chooses its format", required=True
    )
    params = [output]
    about = (
        "Write the incident report (Markdown), the whole record (JSON) or the post-mortem"
        " invitation (ics) to a file; the format follows the file's name."
    )
    if check_step is None:
        params.append(verb.param("format").but(help="what to write", required=True))
    else:
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
        from incident.app.exports import export_file

        path = Path(str(values["output"])).expanduser()
        checks = check_step if check_step is not None else values.get("check_step") is True
        chosen = values.get("format")
        fmt = str(chosen) if chosen is not None else MARKDOWN if check_step else None
        outcome = await desk.recorder.call(
            lambda s: export_file(
                s,
                actor,
                str(path),
                lambda parts: write_atomically(path, parts),
                fmt=fmt,
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

    path = offered_path(desk.state, actor)
    desk.screen.app.push_screen(
        ExportForm(
            verb.title,
            about,
            params,
            attempt=write,
            choices={"format": FORMATS},
            initial={"output": path, "format": named_format(path) or MARKDOWN},
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


def write_atomically(path: Path, parts: Iterable[bytes]) -> None:
    """The whole file or none of it (`incident.app.whole_file`, loaded when a file
    is written, not before the first frame)."""
    from incident.app.whole_file import write_whole

    write_whole(path, parts)
