"""Each message the runbook made due once (at the declaration, a step or a phase done),
and what became of it: sent, declined (by whom, why), settled by its step done or
skipped by hand, or never sent.

The communications log listed the messages sent and nothing else: the guide's
"Initiating rollback due to [issue]" declined after the decision was a Timeline line
and a count under Responders, so the section about what stakeholders were told read as
complete without it (ux_review16 #5). The update cadence's rounds, declined or missed,
are `incident.reports.cadence`'s; the log and the export's `communications` read both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from msgspec import Struct

from incident.comms.due import moment_at
from incident.core.events import JSONValue, format_timestamp
from incident.core.records import Communication, DeclinedMessage, StepRecord
from incident.core.state import IncidentState
from incident.reports.cadence import updates_due
from runbooks.model import MomentKind, StepKind

Fate = Literal["sent", "declined", "settled", "not_sent"]
"""What became of it: `settled` is its communication step checked or skipped without it."""


class MessageDue(Struct, frozen=True):
    """A message a runbook rule made due once, when, and what became of it."""

    template: str
    moment: str
    """The rule's moment, as the runbook writes it (`step:decide-rollback`)."""
    due_at: datetime
    fate: Fate
    sent: Communication | None = None
    declined: DeclinedMessage | None = None
    step: StepRecord | None = None
    """Its communication step, checked or skipped by hand (`settled`)."""


def messages_due(state: IncidentState) -> list[MessageDue]:
    """The once-per-incident messages whose moment came, in the order they came due."""
    found: list[MessageDue] = []
    for rule in state.runbook.timed_rules():
        if rule.on is None or not rule.on.once:
            continue
        at = moment_at(state, rule.on)
        if at is None:
            continue
        moment = str(rule.on)
        sent = next((c for c in state.communications if c.template == rule.template), None)
        declined = next(
            (d for d in state.declined if d.template == rule.template and d.moment == moment),
            None,
        )
        step = _by_hand(state, rule.template)
        if sent is not None:
            found.append(MessageDue(rule.template, moment, at, "sent", sent=sent))
        elif declined is not None:
            found.append(MessageDue(rule.template, moment, at, "declined", declined=declined))
        elif step is not None:
            found.append(MessageDue(rule.template, moment, at, "settled", step=step))
        else:
            found.append(MessageDue(rule.template, moment, at, "not_sent"))
    return sorted(found, key=lambda m: m.due_at)


def _by_hand(state: IncidentState, template: str) -> StepRecord | None:
    """The communication step for `template`, checked or skipped (as `_step_settled`)."""
    return next(
        (
            record
            for record in state.steps.values()
            if record.step.kind == StepKind.COMMUNICATION
            and record.step.template == template
            and (record.done or record.skipped)
        ),
        None,
    )


def communications_data(state: IncidentState, end: datetime) -> list[JSONValue]:
    """The export's `communications`: every message sent (`status` "sent", with the
    time it was due when the runbook made it due, the earlier if two), and each one
    due and not sent: a declined one (`declined`, by whom, why), one settled by its
    step done or skipped by hand or never sent (`not_sent`, with the step's reason);
    the update cadence's rounds (`incident.reports.cadence`) as the report's log gives
    them. In time order: sent or settled at `at`, never sent at `due_at`."""
    updates = updates_due(state, end)
    answered = [(m.sent, m.due_at) for m in messages_due(state) if m.sent is not None]
    answered += [(c, u.due) for u in updates for c in state.communications if c.at == u.sent]
    due_of: dict[int, datetime] = {}
    for sent, due in answered:  # the earliest it was due, for one answering two
        due_of[id(sent)] = min(due, due_of.get(id(sent), due))
    found: list[dict[str, JSONValue]] = [
        _entry("sent", c.template, due_of.get(id(c)), c.at, c.by, text=c.text, channel=c.channel)
        for c in state.communications
    ]
    for message in messages_due(state):
        if (declined := message.declined) is not None:
            found.append(
                _entry(
                    "declined",
                    message.template,
                    message.due_at,
                    declined.at,
                    declined.by,
                    reason=declined.reason,
                )
            )
        elif (step := message.step) is not None:
            what = f"its step {step.step.id} {'checked' if step.done else 'skipped'} without it"
            why = f": {step.reason}" if step.skipped and step.reason else ""
            found.append(
                _entry(
                    "not_sent",
                    message.template,
                    message.due_at,
                    step.at,
                    step.by or None,
                    reason=what + why,
                )
            )
        elif message.fate == "not_sent":
            found.append(_entry("not_sent", message.template, message.due_at, None, None))
    update = next(
        (
            r.template
            for r in state.runbook.timed_rules()
            if r.on is not None and r.on.kind is MomentKind.UPDATE_DUE
        ),
        None,
    )
    for round_due in updates:
        if (declined := round_due.declined) is not None:
            found.append(
                _entry(
                    "declined",
                    declined.template,
                    round_due.due,
                    declined.at,
                    declined.by,
                    reason=declined.reason,
                )
            )
        elif round_due.sent is None:
            found.append(_entry("not_sent", update, round_due.due, None, None))
    found.sort(key=lambda e: str(e["at"] or e["due_at"]))
    return [*found]


def _entry(
    status: str,
    template: str | None,
    due_at: datetime | None,
    at: datetime | None,
    by: str | None,
    *,
    text: str | None = None,
    channel: str | None = None,
    reason: str | None = None,
) -> dict[str, JSONValue]:
    return {
        "status": status,
        "at": format_timestamp(at) if at is not None else None,
        "by": by,
        "channel": channel,
        "template": template,
        "text": text,
        "due_at": format_timestamp(due_at) if due_at is not None else None,
        "reason": reason,
    }
