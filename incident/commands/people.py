"""Who does what: notes, roles, hand-off of command, pages."""

from __future__ import annotations

from datetime import datetime

from incident.commands.rules import make_event, refuse_if_closed
from incident.core.attribution import handoff_line
from incident.core.clock import Clock
from incident.core.errors import (
    CommandError as CommandError,  # re-exported: callers import it from here
)
from incident.core.events import NewEvent
from incident.core.names import control_in_name, not_a_person
from incident.core.payloads import ChannelSet, CommanderHandedOff, NoteAdded, PageSent, RoleAssigned
from incident.core.state import IncidentState


def add_note(
    state: IncidentState,
    text: str,
    *,
    actor: str,
    clock: Clock,
    pinned: bool = False,
    written_at: datetime | None = None,
) -> NewEvent:
    """Notes stay possible after close: the post-mortem keeps adding to the record.

    `written_at`: when it was written, if the record could not take it then."""
    if not text.strip():
        raise CommandError("a note cannot be empty")
    return make_event(state.id, actor, clock, NoteAdded(text, actor, pinned, written_at))


def assign_role(
    state: IncidentState, role: str, person: str, *, actor: str, clock: Clock, reason: str = ""
) -> NewEvent:
    refuse_if_closed(state)
    if role not in state.runbook.roles:
        from runbooks.checks import choices_hint  # here: only a refusal lists the roles

        hint = choices_hint(role, state.runbook.roles, "roles")
        raise CommandError(f"unknown role '{role}'{hint}")
    if not person.strip():
        raise CommandError(f"who takes the role '{role}'?")
    if problem := not_a_person(person):
        raise CommandError(f"the role '{role}': {problem}")
    if role == "incident-commander":
        return hand_off(state, person, actor=actor, clock=clock, reason=reason)
    return make_event(state.id, actor, clock, RoleAssigned(role, person.strip()))


def set_channel(state: IncidentState, channel: str, *, actor: str, clock: Clock) -> NewEvent:
    """Name the incident channel after the declaration, for the messages from then on."""
    refuse_if_closed(state)
    channel = channel.strip()
    if not channel:
        raise CommandError("which channel? e.g. '#inc-checkout'")
    if channel == state.channel:
        raise CommandError(f"the incident channel is {channel} already")
    return make_event(state.id, actor, clock, ChannelSet(channel))


def hand_off(
    state: IncidentState, to: str, *, actor: str, clock: Clock, reason: str = ""
) -> NewEvent:
    """Pass incident command on; the record keeps who held it and when."""
    refuse_if_closed(state)
    to = to.strip()
    if not to:
        raise CommandError("hand off to whom?")
    if problem := not_a_person(to):
        raise CommandError(f"the new incident commander: {problem}")
    if to == state.commander:
        last = state.handoffs[-1] if state.handoffs else None
        since = f" ({handoff_line(state, last)})" if last is not None and last.to == to else ""
        raise CommandError(f"{to} is already the incident commander{since}")
    return make_event(state.id, actor, clock, CommanderHandedOff(state.commander, to, reason))


def record_page(
    state: IncidentState, target: str, *, actor: str, clock: Clock, note: str = ""
) -> NewEvent:
    refuse_if_closed(state)
    if not target.strip():
        raise CommandError("who was paged?")
    if problem := control_in_name(target):  # a person or a team: "you" may name the on-call
        raise CommandError(f"who was paged: {problem}", needs=("target",))
    return make_event(state.id, actor, clock, PageSent(target.strip(), actor, note))
