"""Who did something, and when, in the words every face uses.

Three people on one incident (a review): a refusal that lost a race said what was
in the way ("the database step 'database-rollback' is already done; reopen it
first") but not who had done it, when, or why; a hand-off Cy made from the command
line read "Incident command handed from Ada to Cy", as if Ada had given it away; and
an approval Ada recorded in Cy's name lost its "recorded by Ada" everywhere but the
brief. These are the words for each, so the refusals, the timeline, the report, the
brief and the screens' toasts say the same.
"""

from __future__ import annotations

from datetime import datetime

from incident.core.names import same_person
from incident.core.phase_clocks import t_plus
from incident.core.records import Approval, Handoff
from incident.core.state import IncidentState
from incident.core.transitions import COMMANDER


def by_at(state: IncidentState, by: str | None, at: datetime | None) -> str:
    """`by Ada at T+01:27`: who did it and when, as far as the record says ("" if neither)."""
    said = [f"by {by}"] if by else []
    if at is not None:
        said.append(f"at {t_plus(state, at)}")
    return " ".join(said)


def because(reason: str) -> str:
    """` (expand-contract, 2.4.0 reads the new schema)`: the reason given, if any."""
    return f" ({reason.strip()})" if reason.strip() else ""


def approver(approval: Approval) -> str:
    """`Cy`, or `Cy, recorded by Ada` when someone else recorded the approver's word."""
    return f"{approval.by}{recorder(approval)}"


def recorder(approval: Approval) -> str:
    """`, recorded by Ada` when someone else recorded the approver's word, else ""."""
    if not approval.recorded_by or approval.own_word:
        return ""
    return f", recorded by {approval.recorded_by}"


def already_approved(state: IncidentState, target: str, approval: Approval) -> str:
    """The refusal of a second approval: `'decide-rollback' was already approved by Ada
    at T+01:00 (p99 at 8s)`."""
    return f"'{target}' was already approved {by_at(state, approver(approval), approval.at)}" + (
        because(approval.reason)
    )


def command_change(from_: str, to: str, actor: str) -> str:
    """A hand-off of command as a sentence, its subject who made it: `Cy took command
    from Ada`, `Ada handed command to Bo`, `Dee handed command from Ada to Bo`."""
    if same_person(actor, to):
        return f"{to} took command from {from_}" if from_ else f"{to} took command"
    if from_ and same_person(actor, from_):
        return f"{from_} handed command to {to}"
    return f"{actor} handed command from {from_ or 'nobody'} to {to}"


def handoff_line(
    state: IncidentState, handoff: Handoff, *, since: bool = False, why: bool = True
) -> str:
    """`Cy took command from Ada at T+03:09: Cy takes command from the bastion`; with
    `since`, how long the outgoing commander had held it: `... at T+03:09 (Ada had it
    since T+00:00): ...`; without `why`, the reason left for the caller to place."""
    said = f"{command_change(handoff.from_, handoff.to, handoff.by)} at {t_plus(state, handoff.at)}"
    held = command_since(state, handoff.from_, handoff.at) if since and handoff.from_ else None
    if held is not None:
        said += f" ({handoff.from_} had it since {t_plus(state, held)})"
    return said + (f": {handoff.reason.strip()}" if why and handoff.reason.strip() else "")


def command_since(state: IncidentState, person: str, before: datetime) -> datetime | None:
    """When `person` took the incident command they held just before `before`; None
    if they did not hold it then."""
    found = None
    for change in state.role_history:
        if change.role == COMMANDER and change.at < before:
            found = change.at if change.person == person else None
    return found
