"""Use cases on the checklist: check, skip, reopen, approve, the decision, and recording
what a command step printed (the database tier is `incident.app.database_tiers`).

Each one decides on fresh state inside the append (`Session.run_many`), so
the CLI, the TUI and `monitor` record the same events for the same request.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from incident import commands
from incident.app import channel_step, closeout, message_steps
from incident.app.noted_decision import noted_decision
from incident.app.outcome import Done
from incident.app.session import Session
from incident.commands.rules import refuse_if_closed
from incident.core.errors import CommandError
from incident.core.events import Event, Kind, NewEvent, truncate_to_millis
from incident.core.gates import DECISION_NOTE as DECISION_NOTE
from incident.core.gates import appointed_warning, decision_gate, decision_refusal
from incident.core.gates import decision_recorded as decision_recorded
from incident.core.names import same_person
from incident.core.reversals import trigger_reversal
from incident.core.state import IncidentState, StepStatus
from incident.core.text import visible

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime

    from incident.app.command_step import Verification
    from runbooks.model import CommandCheck

OUTPUT_TAIL_CHARS = commands.OUTPUT_TAIL_CHARS


def check(
    session: Session,
    actor: str,
    step: str,
    *,
    by: str = "",
    note: str = "",
    evidence: str = "",
    override: str = "",
) -> Done:
    """Mark a step done by hand. A tick is not evidence: a verification step whose
    probe shows nothing yet needs evidence typed by hand (what was seen) or an override
    reason; evidence typed by hand does not stand in for samples that contradict it,
    nor for a close-out step's artefact (the report, the root cause, the booking), nor
    for a communication step's message: each of those still needs an override reason.
    What the record already holds (the artefact, the message) is the evidence."""
    clock = session.clock
    events = session.run_many(
        lambda s: [
            commands.check_step(
                s,
                step,
                actor=actor,
                clock=clock,
                by=by,
                note=note,
                evidence=hand_check_evidence(s, step, evidence, override),
                override=override,
            )
        ]
    )
    return Done(events, f"checked {step}")


def checked_first_note(state: IncidentState, step: str, *, evidence: str, override: str) -> str:
    """What was typed to check a step someone else checked first, as the note that keeps
    it: "Evidence for confirm-version (checked first: by Cy at T+02:11): /version says
    2.4.0". A second person's look at the version is worth the record's keeping."""
    from incident.commands.rules import known_step, when_by

    record = known_step(state, step)
    said = when_by(state, record).strip(" ()")
    first = f" (checked first: {said})" if said else ""
    label = "Evidence" if evidence.strip() else "Reason to check it anyway"
    return f"{label} for {step}{first}: {(evidence or override).strip()}"


def keep_as_note(
    session: Session, actor: str, step: str, *, evidence: str = "", override: str = ""
) -> Done:
    """The evidence or override reason typed for a step someone else checked first,
    recorded as a note (`checked_first_note`) instead of being lost with the refusal."""
    clock = session.clock

    def noted(state: IncidentState) -> list[NewEvent]:
        text = checked_first_note(state, step, evidence=evidence, override=override)
        return [commands.add_note(state, text, actor=actor, clock=clock)]

    return Done(session.run_many(noted), "note recorded")


def hand_check_evidence(state: IncidentState, step: str, evidence: str, override: str) -> str:
    """The evidence a check by hand records, or the refusal of a bare tick on a step
    done by doing something (`closeout`, `message_steps`, `channel_step`)."""
    evidence = closeout.hand_check_evidence(state, step, evidence, override)
    evidence = channel_step.hand_check_evidence(state, step, evidence)
    return message_steps.hand_check_evidence(state, step, evidence, override)


def skip(session: Session, actor: str, step: str, *, reason: str, by: str = "") -> Done:
    clock = session.clock
    events = session.run_many(
        lambda s: [commands.skip_step(s, step, reason=reason, actor=actor, clock=clock, by=by)]
    )
    return Done(events, f"skipped {step}")


def reopen(session: Session, actor: str, step: str, *, reason: str) -> Done:
    clock = session.clock
    events = session.run_many(
        lambda s: [commands.reopen_step(s, step, reason=reason, actor=actor, clock=clock)]
    )
    return Done(events, f"reopened {step}")


def approve(session: Session, actor: str, target: str, *, reason: str, by: str = "") -> Done:
    """Record an approval: the approver's own (no `by`: the approver runs it from their
    terminal) or their word recorded by the coordinator (`by` names the approver)."""
    clock = session.clock
    approver = " ".join(by.split()) or actor
    events = session.run_many(
        lambda s: [
            commands.approve(s, target, by=approver, reason=reason, actor=actor, clock=clock)
        ]
    )
    said = (
        f"approved {target} by {approver} (their own confirmation)"
        if same_person(approver, actor)
        else f"approved {target} by {approver}, recorded by {actor}"
    )
    state = session.state
    seq = events[-1].seq if events else None
    recorded = next((a for a in state.approvals.values() if a.seq == seq), None)
    lone = appointed_warning(state, recorded) if recorded is not None else None
    if lone is not None:  # said now, as the report will say it (ux_review7 F8)
        said += f" ⚠ {lone}"
    if target in state.steps and state.status_of(target) is StepStatus.OPEN:
        # `decide` approves and checks the decision at once; an approval alone leaves
        # its step to be checked, which `approve` said nothing of (as `db-tier` did not).
        return Done(events, said, [f"{target} left open: approved, not yet checked"])
    return Done(events, said)


def decider(state: IncidentState, actor: str) -> str:
    """Who decides when `decide` is given no `by`, and whom the TUI's decision form names
    first: the person recording, spelt as the record names the commander if it is them
    (`ada` at the keyboard is `Ada`). It was the commander, and once Cy had taken command
    from the command line Ada's decision went on record as Cy's approval, "recorded by
    Ada", with Cy none the wiser (ux_review6 finding 1); the form then named the person
    at the screen while `decide` still named the commander, so the faces disagreed.
    Recording the commander's word is `--by` (the form's By field)."""
    return state.commander if same_person(state.commander, actor) else actor


def proposed_decider(state: IncidentState, actor: str) -> tuple[str, str]:
    """Whom the TUI's decision form names in By, and what its label adds: the person at
    the screen if they hold the role the decision gate names (spelt as the record names
    them); else the holder, said plainly (`the incident commander is Cy: this records
    their word`), the way on `decide` names when it refuses the person's own
    (`refuse_gate_approver`). The demo's `ada` at the keyboard records the word of its
    commander, Ada Lovelace, as before; Ada after Cy took command is told it is Cy's."""
    gate = decision_gate(state)
    role = (gate.step.approver if gate is not None else None) or ""
    holder = state.roles.get(role, "") if role else ""
    if not holder or same_person(holder, actor):
        return decider(state, actor), ""
    return holder, f"the {role.replace('-', ' ')} is {holder}: this records their word"


def decide(session: Session, actor: str, *, reason: str, by: str = "") -> Done:
    """The phase 1 decision: approve the decision gate (as the commander unless `by`
    names someone else; see `decider`) and check it. Without a gate in the runbook,
    the decision is recorded as a note."""
    clock = session.clock
    refuse_if_closed(session.state)  # a note is allowed after the close; a decision is not
    if not reason.strip():
        raise CommandError("the decision to roll back needs a reason")
    refusal = decision_refusal(session.state)
    if refusal is not None:
        raise CommandError(refusal)
    gate = decision_gate(session.state)
    if gate is None:
        return noted_decision(session, actor, reason)
    step_id = gate.step.id
    events: list[Event] = []
    if step_id not in session.state.approvals:
        approver = by.strip() or decider(session.state, actor)
        events += session.run_many(
            lambda s: [
                commands.approve(s, step_id, by=approver, reason=reason, actor=actor, clock=clock)
            ]
        )
    events += session.run_many(
        lambda s: [
            commands.check_step(s, step_id, actor=actor, clock=clock, note="initiate rollback")
        ]
    )
    return Done(events, f"rollback decided: {step_id} approved and checked")


VERDICTS = ("met", "cleared")
"""What a manual trigger can be marked."""


def mark_trigger(
    session: Session, actor: str, trigger: str, verdict: str, *, note: str = ""
) -> Done:
    """A manual rollback trigger (core functionality broken, say) marked met or cleared."""
    if verdict not in VERDICTS:
        raise CommandError(f"a trigger is marked met or cleared, not '{verdict}'")
    met = verdict == "met"
    clock = session.clock
    events = session.run_many(
        lambda s: [commands.mark_trigger(s, trigger, met, actor=actor, clock=clock, note=note)]
    )
    # Someone else's opposite mark a moment before stands too: said (`reversals`).
    reversal = trigger_reversal(session.state, trigger, events[-1].seq) if events else None
    return Done(
        events, f"trigger {trigger} {verdict}" + (f" ({reversal.said})" if reversal else "")
    )


def command_to_run(session: Session, step: str) -> str:
    """The shell command a command step runs; refused if the step cannot run now."""
    return commands.command_for(session.state, step)


SECRET_ROOM_CHARS = 4_096
"""More than any secret takes to write, percent-encoded or escaped: what is redacted
beyond the tail kept, so a secret across the cut is found whole."""


def output_tail(output: bytes | str) -> str:
    """What the record keeps of a command's merged stdout and stderr: its tail."""
    text = output.decode("utf-8", errors="replace") if isinstance(output, bytes) else output
    return text[-OUTPUT_TAIL_CHARS:]


def shown_output(
    state: IncidentState,
    output: bytes | str,
    *,
    db: str | None = None,
    env: Mapping[str, str] | None = None,
) -> str:
    """What of a command's output is printed, shown and recorded (a failed command's
    toast quotes it too): its tail, without the secrets the incident knows of
    (`incident.app.command_output`)."""
    from incident.app.command_output import output_secrets
    from incident.core.secrets import redact

    secrets = output_secrets(state.runbook, os.environ if env is None else env, db)
    text = output.decode("utf-8", errors="replace") if isinstance(output, bytes) else output
    # Redacted before the cut, with room for any secret across it: cut first, a
    # secret's last characters were left at the start of the tail (a review).
    return output_tail(redact(text[-(OUTPUT_TAIL_CHARS + SECRET_ROOM_CHARS) :], secrets))


def record_command_result(
    session: Session,
    actor: str,
    step: str,
    *,
    command: str,
    exit_code: int,
    output: bytes | str,
    verification: Verification | None = None,
    db: str | None = None,
    env: Mapping[str, str] | None = None,
    ran_at: datetime | None = None,
) -> Done:
    """Record what a command step's command did; on exit 0, check the step with it.

    Each face runs the command its own way (the CLI waits, the TUI keeps drawing),
    both with stderr merged into stdout, and hands the result here. A step with a
    `verify` command is checked only once that command showed the rollback took;
    its answer is recorded too, and is the step's evidence. What either command
    printed is recorded as `shown_output` gives it: without the secrets of `env`
    (by default this process's) that the runbook reads, nor `db`'s password.

    `ran_at`: the command ran then and the record could not take it (the database
    unreachable); recorded now, each run saying when it ran (`CommandRan.ran_at`), and
    the step checked only if it is still open: another terminal may have checked it
    by hand meanwhile, as the screen said to, and the run is a fact all the same.
    """
    clock = session.clock
    ran_at = truncate_to_millis(ran_at) if ran_at is not None else None
    tail = shown_output(session.state, output, db=db, env=env)
    if verification is not None:
        verification = redacted_verification(session.state, verification, db=db, env=env)

    def recorded(state: IncidentState) -> list[NewEvent]:
        def ran(text: str, code: int, out: bytes | str) -> NewEvent:
            return commands.record_command(
                state,
                step,
                command=text,
                exit_code=code,
                output_tail=output_tail(out),
                actor=actor,
                clock=clock,
                ran_at=ran_at,
            )

        if ran_at is not None and recorded_already(state, step, command, ran_at):
            return []  # recorded before the screen that kept it could forget it
        events = [ran(command, exit_code, tail)]
        if exit_code != 0:
            return events
        if ran_at is not None and state.status_of(step) is not StepStatus.OPEN:
            return [*events, *_verified(ran, verification)]
        note = f"`{command}` exited 0"
        if verification is None:
            return [*events, commands.check_step(state, step, actor=actor, clock=clock, note=note)]
        events.append(ran(verification.check.command, verification.exit_code, verification.output))
        if not verification.passed:
            return events
        evidence = verification.evidence
        check = commands.check_step(
            state, step, actor=actor, clock=clock, note=note, evidence=evidence
        )
        return [*events, check]

    events = session.run_many(recorded)
    if ran_at is not None:
        return Done(events, _recorded_late(session.state, step, command, exit_code, ran_at, events))
    if exit_code != 0:
        return Done(events, f"`{visible(command)}` exited {exit_code}; step {step} left open")
    if verification is not None and not verification.passed:
        within = f"{verification.check.within_s:g} s"
        return Done(
            events,
            f"`{visible(command)}` exited 0 but did not verify within {within}: "
            f"{visible(verification.evidence)}; step {step} left open",
        )
    return Done(events, f"checked {step}")


def recorded_already(state: IncidentState, step: str, command: str, ran_at: datetime) -> bool:
    """Whether this run, recorded late, is in the record already: a screen that recorded
    it and was killed before it forgot it (`incident.app.kept`), or a commit that went
    unanswered and was made. A run is known by its step, command and when it ran."""
    ran_at = truncate_to_millis(ran_at)
    return any(
        run.step == step and run.command == command and run.at == ran_at and run.recorded_at
        for run in state.commands_run
    )


def _verified(
    ran: Callable[[str, int, bytes | str], NewEvent], verification: Verification | None
) -> list[NewEvent]:
    """The verify command's run, if there was one."""
    if verification is None:
        return []
    return [ran(verification.check.command, verification.exit_code, verification.output)]


def _recorded_late(
    state: IncidentState,
    step: str,
    command: str,
    exit_code: int,
    ran_at: datetime,
    events: list[Event],
) -> str:
    """What recording a run late did: when it ran, and whether the step was checked."""
    from incident.core.phase_clocks import t_plus

    ran = f"`{visible(command)}` (ran at {t_plus(state, ran_at)}, exit {exit_code})"
    if not events:
        return f"{ran} was recorded already; nothing recorded again"
    if any(event.kind == Kind.STEP_CHECKED for event in events):
        return f"recorded {ran}; checked {step}"
    status = state.status_of(step)
    left = "left open" if status is StepStatus.OPEN else f"already {status}"
    return f"recorded {ran}; step {step} {left}"


def redacted_verification(
    state: IncidentState,
    verification: Verification,
    *,
    db: str | None,
    env: Mapping[str, str] | None = None,
) -> Verification:
    """`verification` with its output and its reading (the step's evidence, which may
    quote the output) as `shown_output` gives them."""
    from msgspec.structs import replace

    return replace(
        verification,
        output=shown_output(state, verification.output, db=db, env=env).encode(),
        why=shown_output(state, verification.why, db=db, env=env),
    )


def command_check(state: IncidentState, step: str) -> CommandCheck | None:
    """How the step reads back that its command took, if the runbook says: its verify
    command as it runs, placeholders filled in."""
    from incident.commands.command_text import filled_check

    record = state.steps.get(step)
    return None if record is None else filled_check(state, record.step)


def unfilled_commands(state: IncidentState) -> str | None:
    """What the declaration left out that the runbook's commands name, in one line
    (`incident.commands.command_text.missing_at_declaration`): said by `declare` and
    by the screen as it opens; such a command is refused when run."""
    from incident.commands.command_text import unfilled_at_declaration

    return unfilled_at_declaration(state)
