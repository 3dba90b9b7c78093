"""`lastgood demo --headless`: a whole rollback with the bundled runbook, recorded into
the database named or a scratch one, its report written beside that database.

It drives the same domain commands the CLI and TUI use, so a newcomer sees in a few
seconds what gets recorded, what the report looks like and that the log verifies.
"""

from __future__ import annotations

import shlex
from datetime import datetime, timedelta
from functools import partial
from itertools import chain, count
from pathlib import Path

from msgspec.structs import replace

from incident import commands
from incident.app import closeout, messages, postmortem, steps
from incident.app.lifecycle import declare
from incident.app.report_document import report_document
from incident.app.session import IncidentSession
from incident.app.whole_file import write_whole
from incident.comms.due import due_messages
from incident.core.clock import ManualClock, SystemClock
from incident.core.phase_clocks import elapsed, format_offset, resolved_at
from incident.core.rollback_step import app_rollback_step
from incident.core.samples import Outcome, Sample
from incident.core.state import StepStatus
from incident.core.text import counted, visible
from incident.reports.status import status_text
from runbooks import load_runbook, resolve_runbook
from runbooks.model import Runbook, StepKind
from store.sqlite_log import SqliteEventLog
from tui.demo.scenarios import DECLARATION

SEEN = {
    "app-rollback-blue-green": "load balancer switched back to blue (2.4.0) in the LB console",
    "confirm-version": "every instance reports 2.4.0 (kubectl get pods)",
    "check-health": "5xx back to 0.4% on the dashboard, the pre-release baseline",
    "smoke-test": "logged in and checked out a test order",
}
"""What the demo's team did and saw, typed as the application rollback's and the
verification steps' evidence: the demo polls no probe, none backs the smoke test, and
a tick alone is not evidence (`incident.commands.check_step`,
`incident.app.rollback_steps`)."""


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


DEMO_MINUTES = 55
"""How long before now the demo's incident is declared. Its steps are then taken at
the pace a team would take them, each well inside its phase's window (`step_minutes`),
with the probes' samples every `SAMPLE_EVERY_S` between them and each stakeholder
update sent when due, so the report reads as a real one's: a whole rollback recorded
in milliseconds read "users were affected for 0.012s", with no readings at all."""
DETECTED_AFTER_MIN = 1
"""The checkout errors began this long before the incident was declared: T+0, from
which T+ counts. Every phase's window counts from the declaration, at T+01:00."""
SAMPLE_EVERY_S = 20


def step_minutes(runbook: Runbook) -> dict[str, float]:
    """When the demo's team takes each required step, in minutes after T+0: a phase's
    steps evenly through the first seven tenths of its window, placed from the
    declaration at `DETECTED_AFTER_MIN` (ten minutes for close-out, which has none),
    each phase after the one before, none before the declaration."""
    minutes: dict[str, float] = {}
    declared = last = float(DETECTED_AFTER_MIN)
    for phase in runbook.phases:
        required = [step.id for step in phase.steps if step.required]
        window = phase.window
        start = max(declared + window.start_min if window else last, last)
        end = declared + window.end_min if window and window.end_min is not None else start + 10
        span = 0.7 * (end - start)
        for n, step_id in enumerate(required, start=1):
            minutes[step_id] = start + span * n / (len(required) + 1)
        last = max([start, *(minutes[step_id] for step_id in required)])
    return minutes


def demo_samples(at: datetime, rolled_back: bool) -> tuple[Sample, ...]:
    """What the demo shop's probes read at `at`: 2.4.1 failing 12% of checkouts until
    the rollback, 2.4.0 at its 0.4% baseline after."""
    seconds = int(at.timestamp())
    jitter = (seconds * 7919 % 13) / 1000
    version, rate = ("2.4.0", 0.004 + jitter / 10) if rolled_back else ("2.4.1", 0.12 + jitter)
    return (
        Sample("health", at, Outcome.OK, 11.0 + seconds % 5, 200, text="ok"),
        Sample("version", at, Outcome.OK, 6.0, 200, text=version),
        Sample("error-rate", at, Outcome.OK, 30.0, 200, value=round(rate, 4)),
    )


def live_until(session: IncidentSession, clock: ManualClock, moment: datetime, actor: str) -> None:
    """The demo's incident as time passes up to `moment`: the probes' samples every
    `SAMPLE_EVERY_S` (a rollback once its step is done shows in them) and each message
    sent when it falls due (a stakeholder update, the resolution once verified), as
    the coordinator would."""
    step = timedelta(seconds=SAMPLE_EVERY_S)
    while clock.now() + step <= moment:
        clock.advance(SAMPLE_EVERY_S)
        reverted = app_rollback_step(session.state)
        rolled_back = reverted is not None and reverted.done
        samples = demo_samples(clock.now(), rolled_back)
        record = partial(commands.record_samples, samples=samples, actor="probes", clock=clock)
        session.run_many(record)
        for due in due_messages(session.state, clock.now()):
            messages.send(session, actor, template=due.template)
            say_sent(session)
    clock.set(max(moment, clock.now()))


def say_sent(session: IncidentSession) -> None:
    """The message just sent, after its T+ as each step checked is said."""
    sent = session.state.communications[-1]
    offset = format_offset(elapsed(session.state, sent.at))
    print(f"  {offset}  sent: {sent.text}")


DEMO_ACTOR = "demo"
"""Who the headless demo records as when nothing names a person."""


def run_demo(log: SqliteEventLog, actor: str = DEMO_ACTOR) -> int:
    """Walk the rollback into `log` (the coordinator's database or the demo's own) as
    `actor`; the report and its draft go beside it (`report_files`), the report's path
    printed."""
    db = log.path
    clock = ManualClock(SystemClock().now() - timedelta(minutes=DEMO_MINUTES))
    runbook = load_runbook(resolve_runbook("rollback"))
    started = clock.now() - timedelta(minutes=DETECTED_AFTER_MIN)
    declaration = replace(DECLARATION, started_at=started.replace(microsecond=0))
    session = declare(log, runbook, declaration, actor=actor, clock=clock)
    state = session.state
    pace = step_minutes(runbook)
    report, draft, taken = report_files(db.parent, state.id)
    print(
        f"Declared {state.id} in {db}, {DEMO_MINUTES} minutes ago as the demo tells it, "
        f"recorded as {visible(actor)}"
    )
    by_declaration = [step_id for step_id, record in state.steps.items() if record.done]
    for step_id in by_declaration:  # the commander and channel it named
        done = state.steps[step_id]
        at = format_offset(elapsed(state, done.at)) if done.at is not None else "T+?"
        print(f"  {at}  checked {step_id}: {done.step.title} ({visible(done.note)})")
    for step_id, record in list(state.steps.items()):
        if not record.step.required or step_id in by_declaration:
            continue
        live_until(session, clock, state.t0 + timedelta(minutes=pace[step_id]), actor)
        step = record.step
        if step.approver:
            session.run(
                partial(
                    commands.approve,
                    target=step_id,
                    # the holder of the gate's role: no one else's approval opens it
                    by=session.state.roles.get(step.approver) or f"the {step.approver}",
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
        open_now = session.state.status_of(step_id) == StepStatus.OPEN
        if step.kind == StepKind.COMMUNICATION and step.template and open_now:
            # Sending the message checks its step, in the same append (unless it was
            # sent already, when it fell due).
            messages.send(session, actor, template=step.template)
            say_sent(session)
        artefact = closeout.artefact_of(session.state, step_id)
        if artefact is not None:  # close-out is done by doing it
            make_artefact(session, actor, artefact, draft)
        seen = SEEN.get(step_id, "")
        if session.state.status_of(step_id) == StepStatus.OPEN:
            steps.check(session, actor, step_id, evidence=seen)
        done = session.state.steps[step_id]
        if done.done and done.at is not None:  # by its message, maybe, sent when due
            offset = format_offset(elapsed(session.state, done.at))
            print(f"  {offset}  checked {step_id}: {step.title}")
            evidence = session.state.steps[step_id].evidence
            if (artefact is not None or seen) and evidence:
                print(f"           evidence: {evidence}")
    live_until(session, clock, clock.now() + timedelta(minutes=1), actor)
    session.run(lambda s: commands.close(s, actor=actor, clock=clock))
    print()
    print(status_text(session.state, clock.now()))
    write_whole(report, [report_document(log, state.id, clock.now())[1].encode()])
    verdict = log.verify(state.id)
    print()
    # said, so no one reads the report.md already there for this run's
    kept = f" (already there, left alone: {', '.join(taken)})" if taken else ""
    print(f"Report: {report}{kept}")
    said = "ok" if verdict.ok else f"BROKEN at event {verdict.first_bad_seq}: {verdict.problem}"
    print(f"verify: {said}, {counted(verdict.count, 'event')}, head {verdict.head_hash}")
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
            lambda text: write_whole(draft, [text.encode()]),
            check_step=True,
        )
