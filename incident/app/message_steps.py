"""Communication steps done by doing it: the message sent.

The guide's communication steps are the message: "announce that a rollback is being
initiated", "notify stakeholders". Sending it from the step's template records the
message and checks the step in the same append (`incident.app.messages.send`). A
tick proves no one was told, so checking such a step by hand, with no message from
its template in the record, needs an override reason, recorded like close-out's
(`incident.app.closeout`). A message already recorded (sent while the step was open,
the step reopened since) is the check's evidence, the latest one.

Paging the team is the paging template's step either way: a page recorded with
`page` is in the record as much as a paging message (the report lists both as pages,
`incident.reports.analysis.pages`), so it is evidence for that step too; `page`
itself checks nothing, as before.

These rules are the application's, so the CLI, the TUI and `monitor` obey them alike;
a message sent checks its step through `send`, not through here.
"""

from __future__ import annotations

from datetime import datetime

from incident.app.closeout import done_by_doing, one_line
from incident.comms.status_page import RECORD_IT, page_pending
from incident.core.errors import CommandError
from incident.core.phase_clocks import PAGING_TEMPLATE, t_plus
from incident.core.state import IncidentState, StepStatus
from runbooks.model import StepKind


def message_template(state: IncidentState, step_id: str) -> str | None:
    """The template whose message does `step_id`, or None for a step of another kind."""
    record = state.steps.get(step_id)
    if record is None or record.step.kind != StepKind.COMMUNICATION:
        return None
    return record.step.template or None


def sent_evidence(state: IncidentState, template: str) -> str:
    """What the record holds of the message `template` sends, as a check's evidence
    (the latest such message, or for paging the latest page too); "" if nothing."""
    found: list[tuple[datetime, str]] = [
        (m.at, f"'{template}' message sent by {m.by} at {_offset(state, m.at)}")
        for m in state.communications
        if m.template == template
    ]
    if template == PAGING_TEMPLATE:
        found += [
            (p.at, f"paged {p.target} (recorded by {p.by} at {_offset(state, p.at)})")
            for p in state.pages
        ]
    if not found:
        return ""
    return one_line(max(found, key=lambda f: f[0])[1])


def message_missing(state: IncidentState, step_id: str) -> bool:
    """Whether `step_id` is a message step with nothing in the record to show it was
    done: checking it by hand would need an override reason."""
    template = message_template(state, step_id)
    return template is not None and not sent_evidence(state, template)


def hand_check_evidence(state: IncidentState, step_id: str, evidence: str, override: str) -> str:
    """The evidence a check by hand records on `step_id`, or the refusal.

    The message already recorded is the evidence when none is typed; with no message
    from its template, only an override reason lets the step be ticked. A step not
    open is left to the check's own refusal (done, skipped, blocked, closed)."""
    template = message_template(state, step_id)
    if template is None or state.is_closed or state.status_of(step_id) is not StepStatus.OPEN:
        return evidence
    how = f"send the '{template}' message (send), which checks it"
    verbs: tuple[str, ...] = ("send",)
    if template == PAGING_TEMPLATE:
        how += ", or record the page (page) and check it"
        verbs += ("page",)
    found = sent_evidence(state, template)
    held = page_pending(state, state.steps[step_id].step)
    if found and held is not None and not override.strip():
        raise CommandError(
            f"'{step_id}' is the message and the status page: {held}; {RECORD_IT}. "
            "Checking it without that needs an override reason",
            needs=("override",),
            verbs=("status-page",),
        )
    return done_by_doing(step_id, evidence, found, override, how, verbs)


def _offset(state: IncidentState, at: datetime) -> str:
    return t_plus(state, at)
