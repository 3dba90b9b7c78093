"""The gates: the rollback decision, and who may approve a database tier.

The guide's phase 1 ends in a formal decision to roll back. In a runbook that is the
first approval gate of the first phase (or, failing that, the first gate at all);
approving and checking it is "the decision": the one rule both the coordinator's key
and the report use. Whose word it records when nobody names one (`decider`, and the
decision form's `proposed_decider`) is the same rule for `decide` and the TUI's form.

Restoring the database from backup, the last resort, "requires leadership approval"
(the guide). A database tier's approval is the approval of the role the runbook
names, so it is recorded only from someone who holds that role then, and never from
the person who chose the tier: one person alone cannot both pick the tier that loses
data and sign it off. Every refusal says how to go on (assign the role, record the
holder's approval), so a coordinator is never left without a way to restore service.
"""

from __future__ import annotations

import re

from incident.core.attribution import approver, by_at
from incident.core.errors import CommandError
from incident.core.names import same_person
from incident.core.phase_clocks import t_plus
from incident.core.records import Approval, Note, RoleChange, StepRecord
from incident.core.state import IncidentState, StepStatus, tier_target
from incident.core.transitions import COMMANDER
from runbooks.model import DatabaseTier, StepKind

DECISION_NOTE = "Decision: initiate rollback."
"""How `decide` records the decision in a runbook without a gate."""


_DECISION_TITLE = re.compile(
    r"\b(decide|decision)\b.*\broll[ -]?back|\broll[ -]?back\b.*\bdecision\b", re.IGNORECASE
)
"""A task titled like the decision, either way round: `Decide to roll back`, `Decide to
initiate the rollback`, `Rollback decision`."""


def decision_recorded(state: IncidentState) -> bool:
    """Whether the rollback decision is in the record: its gate checked, or (without a
    gate in the runbook) the note `decide` writes."""
    gate = decision_gate(state)
    if gate is not None:
        return state.status_of(gate.step.id) is StepStatus.DONE
    return decision_note(state) is not None


def decision_note(state: IncidentState) -> Note | None:
    """The first note `decide` wrote, in a runbook without a gate: the decision."""
    return next((note for note in state.notes if note.text.startswith(DECISION_NOTE)), None)


def decision_reason(note: Note) -> str:
    """What a decision note says after its `DECISION_NOTE`: the reason given."""
    return note.text.removeprefix(DECISION_NOTE).strip()


def decision_task(state: IncidentState) -> StepRecord | None:
    """In a runbook without a gate (a Markdown checklist), its plain task titled like the
    decision (`Decide to roll back`), which `decide` checks with its note: it stayed
    open beside the note (ux_review8 #11). The first phase's first, else the first."""
    if decision_gate(state) is not None:
        return None
    tasks = [
        record
        for record in state.steps.values()
        if record.step.kind == StepKind.CHECK and _DECISION_TITLE.search(record.step.title)
    ]
    first_phase = state.runbook.phases[0].id if state.runbook.phases else None
    in_first = [r for r in tasks if r.step.phase_id == first_phase]
    return next(iter(in_first or tasks), None)


def decision_gate(state: IncidentState) -> StepRecord | None:
    """The step that records the decision to initiate the rollback, if the runbook has one."""
    gates = [r for r in state.steps.values() if r.step.approver or r.step.kind == StepKind.APPROVAL]
    if not gates:
        return None
    first_phase = state.runbook.phases[0].id if state.runbook.phases else None
    in_first = [r for r in gates if r.step.phase_id == first_phase]
    return (in_first or gates)[0]


def decision_refusal(state: IncidentState) -> str | None:
    """Why `decide` would record nothing: its gate is already checked. The use case
    refuses with it; the TUI says it before opening the decision dialog, and takes
    `d` out of the footer."""
    gate = decision_gate(state)
    note = decision_note(state) if gate is None else None
    if note is not None:  # a second `d` recorded a second note (ux_review8 #11)
        reason = decision_reason(note)
        said = f"{by_at(state, note.by, note.at)}, as a note" + (f": {reason}" if reason else "")
        return f"the rollback was already decided ({said.lstrip()})"
    if gate is not None and state.status_of(gate.step.id) is StepStatus.DONE:
        approval = state.approvals.get(gate.step.id)
        if approval is not None:
            done = f"approved {by_at(state, approver(approval), approval.at)}"
        else:
            done = f"checked {by_at(state, gate.by, gate.at)}".rstrip()
        return f"the rollback was already decided ({gate.step.id} {done})"
    return None


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


def refuse_tier_approver(state: IncidentState, tier: DatabaseTier, approver: str) -> None:
    """Refuse `approver`'s approval of `tier` unless they hold the role it needs and
    did not choose it; the refusal names the way on."""
    role = tier.approver or ""
    holder = state.roles.get(role, "")
    choice = state.tier_choice
    if choice is not None and choice.tier == tier.id and same_person(choice.by, approver):
        needs: tuple[str, ...] = ()
        way_on = f"assign the {role} role to that person first, then record their approval"
        if holder and not same_person(holder, approver):
            way_on, needs = f"{holder} holds it: record {holder}'s approval", ("by",)
        raise CommandError(
            f"{approver} chose the database tier '{tier.id}' and cannot also approve it: "
            f"it needs the approval of someone else in the {role} role; {way_on}",
            needs=needs,
        )
    if not holder:
        raise CommandError(
            f"the database tier '{tier.id}' needs {role} approval and no one holds the "
            f"{role} role: assign it to the approver first, then record their approval"
        )
    if not same_person(holder, approver):
        raise CommandError(
            f"the database tier '{tier.id}' needs {role} approval, and {holder} holds the "
            f"{role} role, not {approver}: {role_to(role, approver)}, or record {holder}'s "
            "approval",
            needs=("by",),
            fill={"by": holder},
            verbs=(role_verb(role),),
        )


def refuse_gate_approver(state: IncidentState, step_id: str, approver: str) -> None:
    """Refuse `approver`'s approval of a gated step unless they hold the role the gate
    names, then: the rule a database tier's approval follows. The decision gate says it
    needs the incident commander; it took anyone's name (`decide --by Zed`) and the
    report called that the decision (ux_review7 F7). The refusal names the way on: the
    holder's word recorded (`by`), or the role given to the approver first."""
    record = state.steps[step_id]
    role = record.step.approver or ""
    holder = state.roles.get(role, "")
    if holder and same_person(holder, approver):
        return
    gate = decision_gate(state)
    what = (
        f"the rollback decision ({step_id})"
        if gate is not None and gate.step.id == step_id
        else f"step '{step_id}'"
    )
    verb = role_verb(role)
    if not holder:
        raise CommandError(
            f"{what} needs {role} approval and no one holds the {role} role: give it to "
            f"the approver first ({verb}), then record their approval",
            verbs=(verb,),
        )
    raise CommandError(
        f"{what} needs {role} approval, and {holder} holds the {role} role, not {approver}: "
        f"{role_to(role, approver)}, or record {holder}'s word",
        needs=("by",),
        fill={"by": holder},
        verbs=(verb,),
    )


def role_verb(role: str) -> str:
    """The verb that gives `role` to someone: `handoff` for incident command (which the
    record keeps as a hand-off, with who had it), else `assign`."""
    return "handoff" if role == COMMANDER else "assign"


def role_to(role: str, person: str) -> str:
    """The way on that gives `role` to `person`, naming its verb in brackets."""
    if role == COMMANDER:
        return f"hand command to {person} first ({role_verb(role)})"
    return f"assign the {role} role to {person} first ({role_verb(role)})"


def refuse_tier_chooser(state: IncidentState, tier: DatabaseTier, chooser: str) -> None:
    """Refuse `chooser`'s choice of `tier` when they approved it already (an approval
    may come before the choice): the same two people rule, from the other side."""
    approval = state.approvals.get(tier_target(tier.id))
    if approval is not None and same_person(approval.by, chooser):
        raise CommandError(
            f"{chooser} approved the database tier '{tier.id}' and cannot also choose it: "
            "the choice must be recorded by someone else"
        )


def undecided_warning(state: IncidentState, step_id: str) -> str | None:
    """What to say before running `step_id`'s command while the rollback is not decided:
    a step outside the decision gate's phase while the gate is open. Judged by the gate's
    state, not by where the phases stand in the list: a runbook with its execute phase
    above its decision ran the rollback with no word (ux_review17 #3). Said, not
    refused: a coordinator may have acted first ("act decisively"), and the record keeps
    the order it happened in."""
    gate = decision_gate(state)
    record = state.steps.get(step_id)
    if gate is None or record is None or state.status_of(gate.step.id) is StepStatus.DONE:
        return None
    if record.step.phase_id == gate.step.phase_id:
        return None
    return f"the rollback is not decided yet ({gate.step.id} is open)"


def unheld_approval(state: IncidentState, approval: Approval) -> str | None:
    """An approval by someone who did not hold the role its gate or tier names, then, as
    the report's Inconsistencies says it: `decide` and `approve` refuse one now, and an
    older record's stands as recorded. None for one by the holder, or needing no role."""
    if not approval.role or approval.by_role:
        return None
    holder = approval.role_holder or "no one"
    return (
        f"{approval.target} was approved by {approver(approval)}, who did not hold the "
        f"{approval.role} role ({holder} held it then)."
    )


def appointed_by_chooser(state: IncidentState, approval: Approval) -> RoleChange | None:
    """A database tier's approval that one person produced alone: recorded by whoever
    chose the tier, in the name of a holder of the role that same person gave them (F8
    of ux_review7: `db-tier restore-backup`, `assign leadership Lee`, `approve --by Lee`,
    three commands by Ada within a second, and "Approved by Lee (leadership)"). The
    approver's own word (`approve --as Lee`, their own confirmation) is not this.
    The appointment, or None."""
    choice = state.tier_choice
    if (
        choice is None
        or approval.target != tier_target(choice.tier)
        or approval.own_word
        or not same_person(approval.recorded_by, choice.by)
    ):
        return None
    given = [
        change
        for change in state.role_history
        if change.role == approval.role and change.at <= approval.at
    ]
    if not given or not same_person(given[-1].person, approval.by):
        return None
    return given[-1] if same_person(given[-1].by, choice.by) else None


def appointed_approval(state: IncidentState, approval: Approval) -> str | None:
    """`appointed_by_chooser`, as the report's Inconsistencies says it; else None."""
    appointed = appointed_by_chooser(state, approval)
    if appointed is None or state.tier_choice is None:
        return None
    choice = state.tier_choice
    return (
        f"{approval.target} was approved in {approval.by}'s name by {choice.by}, who chose "
        f"the tier at {t_plus(state, choice.at)} and gave {approval.by} the {approval.role} "
        f"role at {t_plus(state, appointed.at)}: {approval.by} did not record it themself, "
        "so the record holds one person's word for both."
    )


def appointed_warning(state: IncidentState, approval: Approval) -> str | None:
    """`appointed_by_chooser`, as the approval's own confirmation says it; else None."""
    if appointed_by_chooser(state, approval) is None or state.tier_choice is None:
        return None
    return (
        f"{state.tier_choice.by} chose the tier and gave {approval.by} the {approval.role} "
        f"role, and {approval.by} did not record this themself: the report lists it under "
        "Inconsistencies"
    )
