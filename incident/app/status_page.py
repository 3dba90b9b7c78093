"""Use case: the status page updated by hand.

The runbook's page may have no target that posts to it, or its target's delivery may
have failed: then someone updates the page in a browser, and records that they did,
here, from every face (`lastgood status-page`, the TUI's key named where the guidance
names the page). The record then counts the page as updated, by hand
(`incident.comms.status_page.page_update`).

Where the runbook names a page no target posts to, the guide's "Update the status page
and notify all stakeholders" is the message and the page: the step stays open after
the message until the page is recorded updated, and recording it checks the step once
the message is sent (`page_pending`). With `status_page: none` the message alone does.
"""

from __future__ import annotations

from incident import commands
from incident.app.message_steps import sent_evidence
from incident.app.outcome import Done
from incident.app.session import Session
from incident.comms.status_page import RECORD_IT, page_pending
from incident.core.events import NewEvent
from incident.core.payloads import StepChecked
from incident.core.state import IncidentState, StepStatus


def updated_by_hand(session: Session, actor: str, *, note: str = "", by: str = "") -> Done:
    """Record that the status page was updated by hand: by `by` (default the actor), with
    an optional note (what was posted, or where)."""
    clock = session.clock

    def recorded(state: IncidentState) -> list[NewEvent]:
        update = commands.record_page_update(state, actor=actor, clock=clock, by=by, note=note)
        done = [
            commands.check_step(
                state, step_id, actor=actor, clock=clock, by=by, note="status page updated"
            )
            for step_id in _held(state)
            if sent_evidence(state, state.steps[step_id].step.template or "")
        ]
        return [update, *done]

    events = session.run_many(recorded)
    who = by.strip() or actor
    page = session.state.runbook.status_page
    notes = (
        []
        if page is not None
        else ["the runbook names no status page (status_page:): recorded all the same"]
    )
    notes += [
        f"checked {event.data.step}: the message was sent, the page updated"
        for event in events
        if isinstance(event.data, StepChecked)
    ]
    return Done(events, f"status page recorded as updated by hand by {who}", notes)


def _held(state: IncidentState) -> list[str]:
    """The open steps the status page holds open (`page_pending`)."""
    return [
        step_id
        for step_id, record in state.steps.items()
        if state.status_of(step_id) is StepStatus.OPEN and page_pending(state, record.step)
    ]


def page_left_open(state: IncidentState, template: str) -> str | None:
    """What a message from `template` left open for the status page, said after it is
    sent: `communicate-resolution stays open: the status page URL is not recorded as
    updated; update it, then record it (status-page), which checks it`. None when the
    message checked its step, or the page holds none."""
    for step_id in _held(state):
        step = state.steps[step_id].step
        if step.template == template and (why := page_pending(state, step)) is not None:
            return f"{step_id} stays open: {why}; {RECORD_IT}"
    return None
