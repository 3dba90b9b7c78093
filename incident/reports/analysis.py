"""What the post-mortem reads into the record: who responded, how the incident was
detected, who was paged, when it was resolved, and where the record contradicts itself.

Pure functions of the folded state and the events a person recorded, shared by the
Markdown report and the JSON export so that both say the same.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from msgspec import Struct, field

from incident.comms.due import unverified_resolution
from incident.comms.notifications import delivered_to
from incident.core.attribution import recorder
from incident.core.events import Event
from incident.core.gates import appointed_approval, unheld_approval
from incident.core.payloads import StepChecked
from incident.core.phase_clocks import PAGING_TEMPLATE, repeats, t_plus
from incident.core.records import Communication, StepRecord
from incident.core.reversals import reversals
from incident.core.state import CHANNEL_STEPS, Approval, IncidentState, fold
from incident.core.verification import verification
from incident.health.stability import met_at
from incident.reports.authorship import by_people
from incident.reports.markdown import inline
from incident.reports.postmortem import RESOLVED_TEMPLATE, resolved_at


def impact_start_known(state: IncidentState) -> bool:
    """Whether the impact start (the release time) was given, not taken from the declaration."""
    return state.started_at < state.declared_at


class Responder(Struct):
    """A person who acted during the incident, and the parts they had in it."""

    name: str
    roles: list[str] = field(default_factory=list)
    """Roles held (`incident-commander`) and parts played (`approved decide-rollback`)."""
    actions: int = 0
    """Events they recorded themselves."""
    first_at: datetime | None = None
    last_at: datetime | None = None

    def acted(self, at: datetime) -> None:
        self.first_at = at if self.first_at is None else min(self.first_at, at)
        self.last_at = at if self.last_at is None else max(self.last_at, at)

    def part(self, text: str) -> None:
        if text not in self.roles:
            self.roles.append(text)


def responders(state: IncidentState, events: Sequence[Event]) -> list[Responder]:
    """Everyone who recorded something, held a role, approved or checked a step,
    in order of first appearance."""
    found: dict[str, Responder] = {}

    def person(name: str) -> Responder:
        name = " ".join(name.split())
        return found.setdefault(name, Responder(name))

    for position, event in enumerate(events):
        if position == 0:
            person(event.actor).part("declared the incident")
        if not by_people(event):
            continue
        who = person(event.actor)
        who.actions += 1
        who.acted(event.at)
        if isinstance(event.data, StepChecked) and event.data.by and event.data.by != event.actor:
            other = person(event.data.by)
            other.part(f"did {event.data.step}")
            other.acted(event.at)
    for change in state.role_history:
        holder = person(change.person)
        holder.part(change.role)
        holder.acted(change.at)
    for approval in sorted(state.approvals.values(), key=lambda a: a.at):
        approver = person(approval.by)
        approver.part(f"approved {approval.target}{recorder(approval)}")
        approver.acted(approval.at)
    for trigger_id, mark in state.trigger_history:
        if mark.source == "manual":
            person(mark.by).part(f"marked {trigger_id}")
    for page in state.pages:
        person(page.by).part("paged responders")
    for note in state.rca:
        person(note.by).part("root cause")
    for factor in state.contributing_factors:
        person(factor.by).part("contributing factors")
    for message in state.communications:
        if not message.auto:
            person(message.by).part("sent messages")
    return [r for r in found.values() if r.name]


class PageRecord(Struct, frozen=True):
    """Someone paged: by the `page` verb or by a paging message."""

    at: datetime
    target: str
    by: str
    how: str
    """"page" (recorded with `page`) or "paging message" (sent from its template)."""
    note: str = ""


def pages(state: IncidentState) -> list[PageRecord]:
    """Every page, in time order: recorded pages and paging messages alike."""
    found = [PageRecord(p.at, p.target, p.by, "page", p.note) for p in state.pages]
    for message in state.communications:
        if message.template == PAGING_TEMPLATE:
            # Who the message reached: the targets it goes to, never the channel it asks
            # people to join (those not yet assembled cannot see it, ux_review15 #3).
            targets = delivered_to(state, message.template)
            where = f"recorded for {message.channel}" if message.channel else ""
            if targets:
                paged, note = ", ".join(targets), where
            else:
                paged = "no one named (not delivered)"
                note = "; ".join(n for n in (where, "record who was paged with page WHO") if n)
            found.append(PageRecord(message.at, paged, message.by, "paging message", note))
    return sorted(found, key=lambda p: p.at)


class Detection(Struct, frozen=True):
    """How the incident came to light: the first signal recorded."""

    at: datetime
    how: str
    """In words: `rollback trigger error-rate met (probe)`, `declared`."""
    by: str
    lag: timedelta | None
    """From the impact start to the signal; None when the impact start is not known
    apart from the declaration (it would always read 0 s)."""


def detection(state: IncidentState) -> Detection:
    """The earlier of the first rollback trigger met and the declaration."""
    lag_known = impact_start_known(state)
    first = next(((t, mark) for t, mark in state.trigger_history if mark.met), None)
    if first is not None and first[1].at < state.declared_at:
        trigger, mark = first
        how = f"rollback trigger {trigger} met ({mark.source})"
        lag = mark.at - state.started_at if lag_known else None
        return Detection(mark.at, how, mark.by, lag)
    lag = state.declared_at - state.started_at if lag_known else None
    return Detection(state.declared_at, "incident declared", state.declared_by, lag)


def resolution(state: IncidentState) -> datetime | None:
    """The one resolution time: the resolution message, else the close."""
    return resolved_at(state)


class Inconsistency(Struct, frozen=True):
    """A place where the record contradicts itself, to be looked at in the review."""

    at: datetime
    text: str
    seq: int | None = None
    """The event it is about, whose line the timelines mark with ⚠; None for none."""


_CLAIMS_TRIGGER = re.compile(r"\btriggers?\b.*\b(met|fired|hit|breached)\b", re.IGNORECASE)


def claims_unmet_trigger(state: IncidentState, approval: Approval) -> bool:
    """Whether an approval's reason says a trigger was met when none was."""
    if not state.runbook.triggers or not _CLAIMS_TRIGGER.search(approval.reason):
        return False
    return not met_at(state, approval.at)


def unheld_warning(state: IncidentState, approval: Approval) -> str:
    """` ⚠ Ada held the incident-commander role then, not Zed (see Inconsistencies).`
    after an approval by someone not in its role (`unheld_approval`), else ""."""
    if unheld_approval(state, approval) is None:
        return ""
    holder = approval.role_holder or "no one"
    return (
        f" ⚠ {inline(holder)} held the {inline(approval.role)} role then, not "
        f"{inline(approval.by)} (see Inconsistencies)."
    )


def inconsistencies(state: IncidentState, events: Sequence[Event]) -> list[Inconsistency]:
    """What the record says that the record itself does not bear out, in time order;
    `events`, every event but the probe ticks (`ReportRecord.entries`)."""
    found: list[Inconsistency] = []
    for approval in state.approvals.values():
        if claims_unmet_trigger(state, approval):
            found.append(
                Inconsistency(
                    approval.at,
                    f"{approval.target} was approved by {approval.by} as "
                    f'"{approval.reason}", but no rollback trigger was met then.',
                    approval.seq,
                )
            )
        for said in (unheld_approval(state, approval), appointed_approval(state, approval)):
            if said is not None:
                found.append(Inconsistency(approval.at, said, approval.seq))
    resolved = resolution(state)
    message = next((m for m in state.communications if m.template == RESOLVED_TEMPLATE), None)
    if message is not None:
        unverified = told_restored(state, events, message)
        if unverified is not None:
            found.append(unverified)
        still_met = met_at(state, message.at)  # the send warned of them (incident.app.stability)
        if still_met:
            found.append(
                Inconsistency(
                    message.at,
                    "The resolution message went out while rollback triggers were met: "
                    f"{', '.join(still_met)}.",
                    message.seq,
                )
            )
    if resolved is not None:
        for trigger_id, mark in state.trigger_history:
            if mark.met and mark.at > resolved:
                found.append(
                    Inconsistency(
                        mark.at,
                        f"Rollback trigger {trigger_id} was met again after resolution.",
                        mark.seq,
                    )
                )
    for record in state.steps.values():
        if record.done and record.override and record.at is not None:
            found.append(
                Inconsistency(
                    record.at,
                    f"{record.step.id} was checked although the probes' samples contradicted "
                    f"it (override: {record.override}).",
                    record.seq,
                )
            )
    found += _channel_unnamed(state)
    found += _repeated_messages(state)
    found += [Inconsistency(r.at, r.in_report(state)) for r in reversals(state)]
    if state.forced_close and state.closed_at is not None:
        found.append(
            Inconsistency(
                state.closed_at,
                "The incident was closed with required steps open: "
                f"{', '.join(state.open_required_steps()) or 'none named'} "
                f"(forced: {state.close_reason}).",
                state.closed_seq,
            )
        )
    return sorted(found, key=lambda i: i.at)


def warned(state: IncidentState, events: Sequence[Event]) -> dict[int, list[str]]:
    """Sequence number -> what the report's Inconsistencies say of that event: the
    report's timeline, `lastgood timeline` and the live panel mark its line with ⚠ and
    say it too, so a reader of any one alone is told (ux_review16 #1)."""
    said: dict[int, list[str]] = {}
    for found in inconsistencies(state, events):
        if found.seq is not None:
            said.setdefault(found.seq, []).append(found.text)
    return said


def told_restored(
    state: IncidentState, events: Sequence[Event], message: Communication
) -> Inconsistency | None:
    """The resolution message sent while the service was not verified, by the rule
    `send` warned by then (`unverified_resolution`), read on the record as that send
    read it: the events before the message, folded. With the smoke test skipped, the
    warning was printed once on a terminal and the report said "None found" (ux_review16
    #1); a step skipped or left open then is not undone by a check after the message."""
    if not verification(state).records:
        return None
    then = fold(event for event in events if event.seq < message.seq)
    why = unverified_resolution(then, RESOLVED_TEMPLATE)
    if why is None:
        return None
    left = [(r.step.id, _left(state, r)) for r in verification(then).records if not r.done]
    since = [said for _, said in left if said is not None]
    never = [step for step, said in left if said is None]
    if never:
        since.append(f"{', '.join(never)} never checked")
    return Inconsistency(
        message.at,
        "The resolution message told stakeholders the service is restored; it was sent "
        f"while {why}: {'; '.join(since)}.",
        message.seq,
    )


def _left(state: IncidentState, then: StepRecord) -> str | None:
    """What became of a verification step not done when the resolution message went:
    `smoke-test skipped at T+17:42 and never checked`, `confirm-version checked only at
    T+36:00`; None for one open then and never checked since."""
    step = then.step.id
    now = state.steps.get(step)
    checked = now.at if now is not None and now.done else None
    if not then.skipped:
        return None if checked is None else f"{step} checked only at {t_plus(state, checked)}"
    skipped = f"{step} skipped at {t_plus(state, then.at)}" if then.at else f"{step} skipped"
    if checked is None:
        return f"{skipped} and never checked"
    return f"{skipped}, checked at {t_plus(state, checked)}"


def _channel_unnamed(state: IncidentState) -> list[Inconsistency]:
    """The channel step checked with no channel in the record (`channel_step`): an
    older release ticked it with none named, and the messages said "the incident
    channel" (ux_review7 F6)."""
    if state.channel:
        return []
    return [
        Inconsistency(
            record.at,
            f"{record.step.id} was checked{' by ' + record.by if record.by else ''}, but no "
            "incident channel is named in the record.",
        )
        for step_id, record in state.steps.items()
        if step_id in CHANNEL_STEPS and record.done and record.at is not None
    ]


def _repeated_messages(state: IncidentState) -> list[Inconsistency]:
    """A message the runbook makes due once per incident, sent again: stakeholders told
    the same news twice (two terminals, or a `send --again`)."""
    found: list[Inconsistency] = []
    for message in repeats(state):
        sent = [m for m in state.communications if m.template == message.template]
        first = sent[0]
        times = next(n for n, m in enumerate(sent, 1) if m is message)
        told = "twice" if times == 2 else f"{times} times"
        found.append(
            Inconsistency(
                message.at,
                f"The {message.template} message, due once per incident, was sent again by "
                f"{message.by}: stakeholders got it {told} (first sent by {first.by} at "
                f"{t_plus(state, first.at)}).",
            )
        )
    return found
