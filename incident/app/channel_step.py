"""The channel step done by doing it: the incident channel named.

The guide's phase 1 says "Create a dedicated communication channel". A tick proves no
channel: the step could be checked with none named, the report's Channel was empty,
the messages said "the incident channel", and the report's consistency check passed
(ux_review7 F6). So naming the channel (`channel`) checks the step, in the same append,
and checking the step by hand with no channel in the record is refused, saying the
way on: name it (the CLI spells the verb out, the TUI opens its form). A channel
named already (at the declaration, or before) is the check's evidence.

The step is known by its id in the bundled runbooks (as close-out's are,
`incident.app.closeout`). Records written before (a checked step, no channel) read as
they were written; the report lists them under Inconsistencies
(`incident.reports.analysis`).
"""

from __future__ import annotations

from incident.core.clock import Clock
from incident.core.errors import CommandError
from incident.core.events import NewEvent
from incident.core.state import CHANNEL_STEPS, IncidentState, StepStatus

CHANNEL_VERB = "channel"
"""The verb that names the channel (and so checks its step)."""


def channel_step(state: IncidentState) -> str | None:
    """This incident's channel step, if its runbook has one."""
    return next((step for step in state.steps if step in CHANNEL_STEPS), None)


def channel_missing(state: IncidentState, step_id: str) -> bool:
    """Whether `step_id` is the channel step, open, with no channel named yet: checking
    it asks for the channel."""
    return (
        step_id in CHANNEL_STEPS
        and step_id in state.steps
        and not state.channel
        and not state.is_closed
        and state.status_of(step_id) is StepStatus.OPEN
    )


def channel_evidence(channel: str) -> str:
    """What a check of the channel step records as its evidence."""
    return f"incident channel {channel}"


def hand_check_evidence(state: IncidentState, step_id: str, evidence: str) -> str:
    """The evidence a check by hand records on `step_id`, or the refusal: the channel
    named is the evidence when none is typed; with no channel, naming it is the way on.
    Another step, or one not open, is left to the check's own rules."""
    if step_id not in CHANNEL_STEPS or step_id not in state.steps:
        return evidence
    if state.is_closed or state.status_of(step_id) is not StepStatus.OPEN:
        return evidence
    if state.channel:
        return evidence or channel_evidence(state.channel)
    raise CommandError(
        f"'{step_id}' is done by naming the incident channel ({CHANNEL_VERB}), which "
        "checks it: no channel is named yet",
        verbs=(CHANNEL_VERB,),
        way=CHANNEL_VERB,
    )


def channel_checks(
    state: IncidentState, channel: str, *, actor: str, clock: Clock
) -> list[NewEvent]:
    """The check of the channel step that naming `channel` makes, if that step is open;
    else nothing. Decided on the state before the channel's own event."""
    from incident import commands  # here: the TUI's guidance reads this module at start-up

    step_id = channel_step(state)
    if step_id is None or state.is_closed or state.status_of(step_id) is not StepStatus.OPEN:
        return []
    evidence = channel_evidence(channel.strip())
    return [
        commands.check_step(
            state, step_id, actor=actor, clock=clock, note="channel named", evidence=evidence
        )
    ]
