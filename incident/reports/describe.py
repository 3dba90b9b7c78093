"""One line of plain English per event, for timelines in the TUI, CLI and report."""

from __future__ import annotations

from incident.core.events import Event, Kind, Payload, parse_timestamp
from incident.core.text import visible


def _get(payload: Payload, key: str) -> str:
    """A payload field as one line of shown text: stored text is data, never obeyed.

    Line breaks and tabs fold to spaces, as in any one-line summary; every other
    control character is shown.
    """
    value = payload.get(key)
    return "" if value is None else visible(" ".join(str(value).split()))


def _when(text: str) -> str:
    try:
        return parse_timestamp(text).strftime("%Y-%m-%d %H:%M:%S UTC")
    except ValueError:
        return text


def describe(event: Event) -> str:
    p = event.payload
    match event.kind:
        case Kind.DECLARED:
            text = f'Declared {_get(p, "severity")} "{_get(p, "title")}"'
            if _get(p, "commander"):
                text += f", commander {_get(p, 'commander')}"
            return text
        case Kind.STEP_CHECKED:
            text = f"Checked {_get(p, 'step')}"
            if _get(p, "by") and _get(p, "by") != event.actor:
                text += f" (by {_get(p, 'by')})"
            if _get(p, "note"):
                text += f": {_get(p, 'note')}"
            if _get(p, "evidence"):
                text += f" [evidence: {_get(p, 'evidence')}]"
            return text
        case Kind.STEP_SKIPPED:
            return f"Skipped {_get(p, 'step')}: {_get(p, 'reason')}"
        case Kind.STEP_REOPENED:
            return f"Reopened {_get(p, 'step')}: {_get(p, 'reason')}"
        case Kind.APPROVAL_GRANTED:
            return f"Approved {_get(p, 'target')} by {_get(p, 'by')}: {_get(p, 'reason')}"
        case Kind.DATABASE_TIER_CHOSEN:
            return f"Database tier chosen: {_get(p, 'tier')}: {_get(p, 'reason')}"
        case Kind.NOTE_ADDED:
            prefix = "Pinned note" if p.get("pinned") is True else "Note"
            return f"{prefix}: {_get(p, 'text')}"
        case Kind.ROLE_ASSIGNED:
            return f"{_get(p, 'person')} is {_get(p, 'role')}"
        case Kind.COMMANDER_HANDED_OFF:
            text = f"Incident command handed from {_get(p, 'from') or 'nobody'} to {_get(p, 'to')}"
            return text + (f": {_get(p, 'reason')}" if _get(p, "reason") else "")
        case Kind.PAGE_SENT:
            text = f"Paged {_get(p, 'target')}"
            return text + (f": {_get(p, 'note')}" if _get(p, "note") else "")
        case Kind.COMMUNICATION_SENT:
            how = "Message sent automatically" if p.get("auto") is True else "Message sent"
            return f"{how}: {_get(p, 'text')}"
        case Kind.COMMUNICATION_DECLINED:
            text = f"Chose not to send the {_get(p, 'template')} message due at {_get(p, 'moment')}"
            return text + (f": {_get(p, 'reason')}" if _get(p, "reason") else "")
        case Kind.COMMAND_RAN:
            return f"Ran `{_get(p, 'command')}` for {_get(p, 'step')}: exit {_get(p, 'exit_code')}"
        case Kind.TRIGGER_CHANGED:
            verdict = "met" if p.get("met") is True else "cleared"
            text = f"Trigger {_get(p, 'trigger')} {verdict}"
            return text + (f": {_get(p, 'detail')}" if _get(p, "detail") else "")
        case Kind.SEVERITY_CHANGED:
            text = f"Severity {_get(p, 'previous')} -> {_get(p, 'severity')}"
            return text + (f": {_get(p, 'reason')}" if _get(p, "reason") else "")
        case Kind.UPDATE_OVERDUE:
            which = "first stakeholder update" if p.get("first") is True else "stakeholder update"
            due = _get(p, "due_at")[11:19]
            return f"The {which} due at {due} UTC was not sent"
        case Kind.NOTIFICATION_QUEUED:
            return f"Queued for {_get(p, 'target')}"
        case Kind.NOTIFICATION_DELIVERED:
            tries = _get(p, "attempts")
            return f"Delivered to {_get(p, 'target')}" + (
                f" after {tries} tries" if tries not in ("", "1") else ""
            )
        case Kind.NOTIFICATION_FAILED:
            tries = _get(p, "attempts")
            return f"Delivery to {_get(p, 'target')} FAILED after {tries} tries: {_get(p, 'error')}"
        case Kind.NOTIFICATION_REQUEUED:
            return f"Re-sending to {_get(p, 'target')} (by {_get(p, 'by') or event.actor})"
        case Kind.CLOSED:
            text = "Closed"
            if p.get("forced") is True:
                text += f" (forced: {_get(p, 'reason')})"
            elif _get(p, "reason"):
                text += f": {_get(p, 'reason')}"
            return text
        case Kind.RCA_NOTED:
            return f"Root cause noted: {_get(p, 'text')}"
        case Kind.ACTION_ITEM_ADDED:
            text = f"Action item: {_get(p, 'text')}"
            details = [f"owner {_get(p, 'owner')}"] if _get(p, "owner") else []
            details += [f"due {_get(p, 'due')}"] if _get(p, "due") else []
            return text + (f" ({', '.join(details)})" if details else "")
        case Kind.LESSON_NOTED:
            kind = _get(p, "category")
            return f"Lesson{f' ({kind})' if kind else ''}: {_get(p, 'text')}"
        case Kind.POSTMORTEM_SCHEDULED:
            when = _when(_get(p, "starts_at"))
            text = f"Post-mortem booked for {when} ({_get(p, 'duration_min')} min)"
            attendees = p.get("attendees")
            if isinstance(attendees, list) and attendees:
                text += f" with {visible(', '.join(str(a) for a in attendees))}"
            if p.get("forced") is True:
                text += f", outside the 24–48 h window: {_get(p, 'reason')}"
            return text
    return visible(event.kind)
