"""Use cases about people and the record's prose: notes, pages, roles, command."""

from __future__ import annotations

from incident import commands
from incident.app.channel_step import channel_checks
from incident.app.outcome import Done
from incident.app.session import Session
from incident.core.attribution import command_change
from incident.core.payloads import CommanderHandedOff, StepChecked
from incident.core.reversals import role_change_at, role_reversal


def note(session: Session, actor: str, text: str, *, pin: bool = False) -> Done:
    """A note on the timeline; pinned ones are called out in the post-mortem."""
    clock = session.clock
    events = session.run_many(
        lambda s: [commands.add_note(s, text, actor=actor, clock=clock, pinned=pin)]
    )
    return Done(events, "pinned note recorded" if pin else "note recorded")


def page(session: Session, actor: str, target: str, *, note: str = "") -> Done:
    clock = session.clock
    events = session.run_many(
        lambda s: [commands.record_page(s, target, actor=actor, clock=clock, note=note)]
    )
    return Done(events, f"paged {target}")


def assign(session: Session, actor: str, role: str, person: str) -> Done:
    clock = session.clock
    events = session.run_many(
        lambda s: [commands.assign_role(s, role, person, actor=actor, clock=clock)]
    )
    # Given to someone else by another person a moment before: said (`reversals`).
    change = role_change_at(session.state, role, events[-1].at) if events else None
    reversal = role_reversal(session.state, change) if change is not None else None
    return Done(events, f"{person} is {role}" + (f" ({reversal.said})" if reversal else ""))


def set_channel(session: Session, actor: str, channel: str) -> Done:
    """Name the incident channel; the runbook's channel step, if open, is checked with it
    in the same append (`incident.app.channel_step`)."""
    clock = session.clock
    events = session.run_many(
        lambda s: [
            commands.set_channel(s, channel, actor=actor, clock=clock),
            *channel_checks(s, channel, actor=actor, clock=clock),
        ]
    )
    said = f"the incident channel is {channel.strip()}: messages name it"
    checked = [e.data.step for e in events if isinstance(e.data, StepChecked)]
    return Done(events, said + "".join(f"; checked {step}" for step in checked))


def hand_off(session: Session, actor: str, to: str, *, reason: str = "") -> Done:
    clock = session.clock
    events = session.run_many(
        lambda s: [commands.hand_off(s, to, actor=actor, clock=clock, reason=reason)]
    )
    handed = [e.data for e in events if isinstance(e.data, CommanderHandedOff)]
    if not handed:
        return Done(events, f"incident command handed to {to}")
    # In the timeline's words: `Cy took command from Ada`, `Ada handed command to Bo`.
    return Done(events, command_change(handed[-1].from_, handed[-1].to, actor))
