"""Close-out done by doing it: the steps whose proof is an artefact in the record.

The guide's close-out asks for things that leave something behind: an incident
report, a preliminary root cause, a booked post-mortem. A tick proves none of
them, so those steps are checked by recording the artefact (the report exported,
`rca`, `schedule-postmortem`), with the artefact as the check's evidence: where the
report is (its absolute path and the machine it was written on) and the head hash it
covers, the root cause's text, the booking.
Checking one by hand, with no artefact in the record, needs an override reason,
recorded like any other. These rules are the application's, so the CLI and the
TUI obey them alike; records written by other means (fixtures, older releases)
read as they were written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from enum import StrEnum
from pathlib import Path

from incident.app.outcome import Done
from incident.app.session import IncidentSession
from incident.core.clock import Clock
from incident.core.errors import CommandError
from incident.core.events import NewEvent
from incident.core.payloads import StepChecked
from incident.core.phase_clocks import PhaseState, phase_clocks
from incident.core.state import IncidentState, StepStatus
from incident.reports.postmortem import utc_text


class Artefact(StrEnum):
    """What a close-out step leaves in the record when it is really done."""

    REPORT = "report"
    RCA = "rca"
    BOOKING = "booking"


ARTEFACT_STEPS: dict[str, Artefact] = {
    "document-incident": Artefact.REPORT,
    "preliminary-rca": Artefact.RCA,
    "schedule-post-mortem": Artefact.BOOKING,
    # The same steps as `runbooks/examples/rollback-checklist.md` names them.
    "document-the-incident": Artefact.REPORT,
}
"""Close-out steps by their ids in the bundled runbooks, and the artefact each needs."""

HOW: dict[Artefact, str] = {
    Artefact.REPORT: "export the incident report to a file",
    Artefact.RCA: "record the root cause",
    Artefact.BOOKING: "book the post-mortem",
}
"""How each artefact is made, in words every face shows: the TUI's guidance and
post-mortem screen say it so (its keys do it), and a refusal adds the verb (`HOW_BY_VERB`)."""

VERB: dict[Artefact, str] = {
    Artefact.REPORT: "export",
    Artefact.RCA: "rca",
    Artefact.BOOKING: "schedule-postmortem",
}
"""The verb that makes each artefact (and so checks its step)."""

NAMED_VERBS: dict[Artefact, tuple[str, ...]] = {
    Artefact.REPORT: (VERB[Artefact.REPORT],),
    Artefact.RCA: (VERB[Artefact.RCA],),
    Artefact.BOOKING: (VERB[Artefact.BOOKING],),
}
"""The verbs a refusal names in brackets after `HOW`; a face names its own way to them
(`CommandError.verbs`): the command line's export checks the step only when asked
(`export ID -o FILE --check-step`), which "export the report to a file" left unsaid
(ux_review17 #5)."""

HOW_BY_VERB: dict[Artefact, str] = {
    artefact: HOW[artefact] + "".join(f" ({verb})" for verb in NAMED_VERBS[artefact])
    for artefact in Artefact
}
"""How each artefact is made with the verb that makes it, in the words a refusal uses."""

DONE_NOTE: dict[Artefact, str] = {
    Artefact.REPORT: "report exported",
    Artefact.RCA: "root cause recorded",
    Artefact.BOOKING: "post-mortem booked",
}

EVIDENCE_CHARS = 300
"""How much of a root cause a check keeps as its evidence (the record keeps it all)."""


def artefact_of(state: IncidentState, step_id: str) -> Artefact | None:
    """The artefact `step_id` needs, or None for a step checked by hand."""
    if step_id not in state.steps:
        return None
    return ARTEFACT_STEPS.get(step_id)


def step_for(state: IncidentState, artefact: Artefact) -> str | None:
    """This incident's close-out step that `artefact` completes, if it has one."""
    return next((s for s in state.steps if ARTEFACT_STEPS.get(s) is artefact), None)


def open_step_for(state: IncidentState, artefact: Artefact) -> str | None:
    """The close-out step `artefact` would check now: this incident's, open (not done,
    skipped nor blocked), in an incident not closed; else None."""
    step_id = step_for(state, artefact)
    if step_id is None or state.is_closed or state.status_of(step_id) is not StepStatus.OPEN:
        return None
    return step_id


def report_checks_step(state: IncidentState, now: datetime) -> bool | None:
    """Whether exporting the report checks "Document the incident" unless told otherwise.

    True while that step is open and its phase has begun (its clock, as the faces show
    it, is not upcoming); False while it waits in a phase still to come: a report shared
    in Phase 1 is a snapshot, not the incident documented. None when there is nothing to
    check (no such step, the step done, skipped or blocked, the incident closed): a face
    offers no choice then, and an export records nothing.
    """
    step_id = open_step_for(state, Artefact.REPORT)
    if step_id is None:
        return None
    phase_id = state.steps[step_id].step.phase_id
    clock = next((c for c in phase_clocks(state, now) if c.phase.id == phase_id), None)
    return clock is None or clock.state is not PhaseState.UPCOMING


def artefact_evidence(state: IncidentState, artefact: Artefact) -> str:
    """What the record already holds of `artefact`, as a check's evidence; "" if nothing.

    A report is evidence only as it is exported: nothing in the record says a file
    still holds it, so it never stands in for a later check.
    """
    if artefact is Artefact.RCA and state.rca:
        return one_line(state.rca[-1].text)
    if artefact is Artefact.BOOKING and state.postmortem is not None:
        return booking_text(state.postmortem.starts_at, state.postmortem.duration_min)
    return ""


def one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EVIDENCE_CHARS else flat[: EVIDENCE_CHARS - 1] + "…"


def booking_text(starts_at: datetime, duration_min: int) -> str:
    return f"post-mortem booked for {utc_text(starts_at)} ({duration_min} min)"


def hand_check_evidence(state: IncidentState, step_id: str, evidence: str, override: str) -> str:
    """The evidence a check by hand records on `step_id`, or the refusal.

    The artefact already in the record is the evidence when none is typed; with no
    artefact, only an override reason lets the step be ticked. A step not open is left
    to the check's own refusal (already done, skipped, blocked, closed), as a message
    step's is (`message_steps.hand_check_evidence`).
    """
    artefact = artefact_of(state, step_id)
    if artefact is None or state.is_closed or state.status_of(step_id) is not StepStatus.OPEN:
        return evidence
    found = artefact_evidence(state, artefact)
    how = f"{HOW_BY_VERB[artefact]}, which checks it"
    return done_by_doing(step_id, evidence, found, override, how, NAMED_VERBS[artefact])


def done_by_doing(
    step_id: str, evidence: str, found: str, override: str, how: str, verbs: tuple[str, ...]
) -> str:
    """The evidence a hand check records on a step done by doing it (a close-out step, a
    message step): what is typed, else what the record holds of it (`found`); with
    nothing found, only an override reason lets it through, and the refusal says `how`
    (naming `verbs` in brackets)."""
    if found:
        return evidence or found
    if override.strip():
        return evidence
    raise CommandError(
        f"'{step_id}' is done by doing it: {how}; "
        "checking it without that needs an override reason",
        needs=("override",),
        verbs=verbs,
    )


def artefact_checks(
    state: IncidentState, artefact: Artefact, evidence: str, *, actor: str, clock: Clock
) -> list[NewEvent]:
    """The check of the step `artefact` completes, if that step is open; else nothing.

    Decided on the state before the artefact's own event, like a message's step.
    """
    from incident import commands  # here: the TUI's guidance reads this module at start-up

    step_id = open_step_for(state, artefact)
    if step_id is None:
        return []
    note = DONE_NOTE[artefact]
    return [
        commands.check_step(state, step_id, actor=actor, clock=clock, note=note, evidence=evidence)
    ]


def checked_notes(done: Done) -> Done:
    """`done`, with a line for each close-out step its artefact checked."""
    notes = [
        f"checked {event.data.step} ({event.data.note})"
        for event in done.events
        if isinstance(event.data, StepChecked)
        and event.data.step in ARTEFACT_STEPS
        and event.data.note in DONE_NOTE.values()
    ]
    return Done(done.events, done.said, [*done.notes, *notes], done.warnings) if notes else done


Write = Callable[[str], object]
"""Writes the report's text where the face was asked to (the file I/O is the face's)."""


def export_report(
    session: IncidentSession,
    actor: str,
    path: str,
    write: Write,
    *,
    check_step: bool,
    tz: tzinfo | None = None,
    host: str | None = None,
) -> Done:
    """Write the Markdown report, as `lastgood export` writes it; with `check_step`,
    then check the close-out step it completes (if open) with where the report is
    (`report_place`: `host`, this machine's name unless given) and the head hash it
    covers. Without, nothing is recorded, and the `Done` says so."""
    from incident.app.report_document import report_document  # only when exporting
    from incident.app.whole_file import is_kept_file  # `tempfile`: not on the first frame
    from incident.app.written import REPORT, written_line

    if check_step and not is_kept_file(Path(path)):
        # /dev/null or a pipe would tick the step with no report left to read
        raise CommandError(f"checking the step needs the report kept in a file: {path} is not one")
    record, text = report_document(session.log, session.state.id, session.clock.now(), tz=tz)
    write(text)
    if not check_step:
        return report_written(record.state, path, record.head_hash)
    evidence = f"report {report_place(path, host)}, head {record.head_hash}"
    clock = session.clock
    events = session.run_many(
        lambda s: artefact_checks(s, Artefact.REPORT, evidence, actor=actor, clock=clock)
    )
    if not events:  # asked to check a step that was not open: say why nothing was
        return report_written(session.state, path, record.head_hash, asked=True)
    return checked_notes(Done(events, written_line(REPORT, path, record.head_hash)))


def report_place(path: str, host: str | None = None) -> str:
    """Where a report written to `path` is, for others on the record to find it: its
    absolute path and the machine's name (`host`, this machine's unless given), as
    `/home/bo/INC-20261207-3CAF-report.md on bastion-1`. The evidence said `report
    INC-20261207-3CAF-report.md`, relative to the exporter's working directory on a
    machine it did not name: on a record shared across hosts, nobody else could find it
    (ux_review6 finding 14). A path too long for the evidence keeps its end."""
    import os
    import socket

    absolute = os.path.abspath(os.path.expanduser(path))
    shown = absolute if len(absolute) <= EVIDENCE_CHARS else "…" + absolute[-EVIDENCE_CHARS:]
    machine = socket.gethostname() if host is None else host
    return f"{shown} on {machine}" if machine else shown


def report_preview(session: IncidentSession, *, tz: tzinfo | None = None) -> str:
    """The Markdown report `export` would write now, to read before writing it: the
    screen never showed it, and checking its Summary meant leaving the TUI (a fresh
    user's review). Records nothing."""
    from incident.app.report_document import report_document  # only when asked

    _record, text = report_document(session.log, session.state.id, session.clock.now(), tz=tz)
    return text


def report_written(state: IncidentState, path: str, head_hash: str, *, asked: bool = False) -> Done:
    """A report written and nothing recorded, as `export` without `--check-step` says it
    (whichever face wrote it, and however it read the record): with the step it could
    have checked, when that is open, named as left so; `asked` (the check was asked
    for), with why it was not made."""
    # Here, not with the module: the guidance reads this module at start-up, and the
    # written line's module brings `whole_file` (24 KiB the first frame does without).
    from incident.app.written import REPORT, written_line

    notes = [note] if (note := _unchecked(state, asked=asked)) else []
    return Done([], f"{written_line(REPORT, path, head_hash)}; nothing recorded", notes)


def _unchecked(state: IncidentState, *, asked: bool) -> str:
    """Why the report's step was not checked; "" when there is nothing worth saying."""
    step_id = step_for(state, Artefact.REPORT)
    if step_id is None:
        return ""
    if open_step_for(state, Artefact.REPORT) is not None:
        return f"{step_id} left open (not checked by this export: --check-step checks it)"
    if not asked:
        return ""
    if state.is_closed:
        return f"{step_id} not checked: the incident is closed"
    status = state.status_of(step_id)
    if status is StepStatus.BLOCKED:
        return f"{step_id} not checked: {state.blocker(step_id)}"
    return f"{step_id} was {'skipped' if status is StepStatus.SKIPPED else 'checked already'}"
