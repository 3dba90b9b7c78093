"""`lastgood demo --headless`: a whole rollback with the bundled runbook, recorded into
the database named or a scratch one, its report written beside that database.

It drives the same domain commands the CLI and TUI use, so a newcomer sees in a few
seconds what gets recorded, what the report looks like and that the log verifies.
"""

from __future__ import annotations

import shlex
from datetime import timedelta
from functools import partial
from itertools import chain, count
from pathlib import Path

from incident import commands
from incident.app import closeout, messages, postmortem, steps
from incident.app.report_document import report_document
from incident.app.session import IncidentSession
from incident.core.clock import SystemClock
from incident.core.phase_clocks import elapsed, format_offset, resolved_at
from incident.core.state import StepStatus
from incident.core.text import counted
from incident.reports.status import status_text
from runbooks import load_runbook, resolve_runbook
from runbooks.model import StepKind
from store.sqlite_log import SqliteEventLog
from tui.demo.scenarios import DECLARATION

SEEN = {
    "confirm-version": "every instance reports 2.4.0 (kubectl get pods)",
    "check-health": "5xx back to 0.4% on the dashboard, the pre-release baseline",
}
"""What the demo's team saw, typed as the verification steps' evidence: the demo polls
no probe, and a tick alone is not evidence (`incident.commands.check_step`)."""


def report_files(directory: Path, incident_id: str) -> tuple[Path, Path, list[str]]:
    """The report and its draft the demo writes in `directory`, and the names it left
    alone: `report.md` and `report-draft.md`, or when either is there already
    `INC-…-report.md` and `INC-…-report-draft.md` (numbered on, `INC-…-report-2.md`,
    if those are too): a file already there is never overwritten."""
    taken: list[str] = []
    numbered = (f"{incident_id}-report-{n}" for n in count(2))
    for stem in chain(("report", f"{incident_id}-report"), numbered):
        pair = (directory / f"{stem}.md", directory / f"{stem}-draft.md")
        there = [path.name for path in pair if path.exists() or path.is_symlink()]
        if not there:
            return *pair, taken
        taken += there
    raise AssertionError("unreachable: the stems go on")  # pragma: no cover


def run_demo(log: SqliteEventLog) -> int:
    """Walk the rollback into `log` (the coordinator's database or the demo's own);
    the report and its draft go beside it (`report_files`), the report's path printed."""
    db = log.path
    clock = SystemClock()
    actor = "demo"
    runbook = load_runbook(resolve_runbook("rollback"))
    declaration = DECLARATION
    session = IncidentSession.declare(
        log, commands.declare(runbook, declaration, actor=actor, clock=clock), clock
    )
    state = session.state
    report, draft, taken = report_files(db.parent, state.id)
    print(f"Declared {state.id} in {db}")
    for step_id, record in list(state.steps.items()):
        if not record.step.required:
            continue
        step = record.step
        if step.approver:
            session.run(
                partial(
                    commands.approve,
                    target=step_id,
                    by=f"the {step.approver}",
                    reason="rollback criteria met",
                    actor=actor,
                    clock=clock,
                )
            )
        if step.kind == StepKind.DATABASE:
            session.run(
                lambda s: commands.choose_database_tier(
                    s,
                    "none",
                    reason="expand-contract: old code reads the new schema",
                    actor=actor,
                    clock=clock,
                )
            )
        if step.kind == StepKind.COMMUNICATION and step.template:
            # Sending the message checks its step, in the same append.
            messages.send(session, actor, template=step.template)
            print(f"  sent: {session.state.communications[-1].text}")
        artefact = closeout.artefact_of(session.state, step_id)
        if artefact is not None:  # close-out is done by doing it
            make_artefact(session, actor, artefact, draft)
        seen = SEEN.get(step_id, "")
        if session.state.status_of(step_id) == StepStatus.OPEN:
            steps.check(session, actor, step_id, evidence=seen)
        if session.state.status_of(step_id) == StepStatus.DONE:
            offset = format_offset(elapsed(session.state, clock.now()))
            print(f"  {offset}  checked {step_id}: {step.title}")
            evidence = session.state.steps[step_id].evidence
            if (artefact is not None or seen) and evidence:
                print(f"           evidence: {evidence}")
    session.run(lambda s: commands.close(s, actor=actor, clock=clock))
    print()
    print(status_text(session.state, clock.now()))
    report.write_text(report_document(log, state.id, clock.now())[1], encoding="utf-8")
    verdict = log.verify(state.id)
    print()
    # said, so no one reads the report.md already there for this run's
    kept = f" (already there, left alone: {', '.join(taken)})" if taken else ""
    print(f"Report: {report}{kept}")
    print(
        f"Log verifies: {verdict.ok}, {counted(verdict.count, 'event')}, head {verdict.head_hash}"
    )
    print(f"Look around: {shlex.join(['lastgood', '--db', str(db), 'status', state.id])}")
    return 0


def make_artefact(
    session: IncidentSession, actor: str, artefact: closeout.Artefact, draft: Path
) -> None:
    """Record what a close-out step asks for, through the use cases every face calls."""
    if artefact is closeout.Artefact.RCA:
        postmortem.rca(session, actor, "2.4.1 retried payment-gateway 502s without backoff.")
    elif artefact is closeout.Artefact.BOOKING:
        resolved = resolved_at(session.state) or session.clock.now()
        at = (resolved + timedelta(hours=25)).replace(minute=0, second=0, microsecond=0)
        postmortem.schedule(session, actor, at, attendees=["Ada", "Bo"])
    else:
        closeout.export_report(
            session,
            actor,
            str(draft),
            lambda text: draft.write_text(text, encoding="utf-8"),
            check_step=True,
        )
