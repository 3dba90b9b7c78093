"""Use cases on the checklist: check, skip, reopen, approve, the decision and a manual
trigger (the database tier is `incident.app.database_tiers`; what a command step's
command did is recorded by `incident.app.command_runs`).

Each one decides on fresh state inside the append (`Session.run_many`), so
the CLI, the TUI and `monitor` record the same events for the same request.
"""

from __future__ import annotations

from incident import commands
from incident.app import channel_step, closeout, message_steps, rollback_steps
from incident.app.assessment import assessed
from incident.app.noted_decision import noted_decision
from incident.app.outcome import Done
from incident.app.session import Session
from incident.commands.rules import refuse_if_closed
from incident.core.errors import CommandError
from incident.core.events import Event, NewEvent
from incident.core.gates import DECISION_NOTE as DECISION_NOTE
from incident.core.gates import appointed_warning, decider, decision_gate, decision_refusal
from incident.core.gates import decision_recorded as decision_recorded
from incident.core.names import same_person
from incident.core.payloads import StepChecked
from incident.core.reversals import trigger_reversal
from incident.core.state import IncidentState, StepStatus


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
    evidence = rollback_steps.hand_check_evidence(state, step, evidence, override)
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
    checked = session.run_many(
        lambda s: [
            commands.check_step(s, step_id, actor=actor, clock=clock, note="initiate rollback"),
            *assessed(s, actor=actor, clock=clock),  # the guide's Assess severity, its evidence
        ]
    )
    assess = [e.data.step for e in checked[1:] if isinstance(e.data, StepChecked)]
    # Short enough for two rows of an 80x24 toast, the messages now due on the third;
    # the assessment's evidence (the gate's reading) is in the record.
    done = f"approved, {assess[0]} checked" if assess else "approved and checked"
    said = f"rollback decided: {step_id} {done}"
    # "Back to baseline" is judged against a baseline: asked for while it can be taken.
    from incident.app.baseline_offer import baseline_prompts

    return Done([*events, *checked], said, notes=baseline_prompts(session.state))


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
