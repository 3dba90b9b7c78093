"""The report's second half: action items and the post-mortem meeting, lessons
learned, and supporting information (roles, messages, notes, record).
"""

from __future__ import annotations

from incident.comms.status_page import page_words
from incident.core.phase_clocks import resolved_at, to_stakeholders
from incident.core.state import ActionItem
from incident.core.text import counted
from incident.core.timefmt import printed_duration
from incident.reports.cadence import updates_due
from incident.reports.context import ReportContext, entry, join_blocks
from incident.reports.markdown import cell, code_span, fence, inline, table
from incident.reports.marks import PIN_MARK
from incident.reports.messages_due import MessageDue, messages_due
from incident.reports.postmortem import (
    GUIDE_WORDS,
    LESSON_CATEGORIES,
    guide_window,
    meeting_window,
    sooner_than_advised,
    utc_text,
    window_text,
)


def action_items(ctx: ReportContext) -> list[str]:
    state = ctx.state
    lines = ["## Action Items", ""]
    if state.action_items:
        rows = [
            [
                str(item.number),
                cell(item.text),
                cell(item.type) if item.type else "—",
                cell(item.priority) if item.priority else "—",
                cell(item.owner) if item.owner else "unassigned",
                item.due.isoformat() if item.due else "—",
                f"<{item.ticket}>" if item.ticket else "none",
                _item_status(ctx, item),
            ]
            for item in state.action_items
        ]
        headers = ["#", "Action item", "Type", "Priority", "Owner", "Due", "Ticket", "Status"]
        lines += table(headers, rows)
    else:
        add = code_span(f"lastgood action {state.id} TEXT --owner NAME --due YYYY-MM-DD")
        lines.append(f"No action items recorded yet: {add}.")
    return [*lines, "", *postmortem_meeting(ctx)]


def _item_status(ctx: ReportContext, item: ActionItem) -> str:
    if item.done_at is None:
        return "open"
    # as the report's other times: the date off T+0's day, the local time beside (an
    # action is done days later; "done 23:40:43" said neither day nor zone)
    done_at = ctx.zone.alongside(item.done_at, first=ctx.state.started_at)
    text = f"done {done_at} by {cell(item.done_by)}"
    return text + (f": {cell(item.done_note)}" if item.done_note else "")


def postmortem_meeting(ctx: ReportContext) -> list[str]:
    state, zone = ctx.state, ctx.zone
    lines = ["### Post-mortem meeting", ""]
    window = meeting_window(state)
    meeting = state.postmortem
    if meeting is None:
        if window is None:
            lines.append(
                f"To book once the incident is resolved, to start {GUIDE_WORDS} (the guide's "
                "words; sooner is booked too, and said to be): "
                + code_span(f"lastgood schedule-postmortem {state.id} --at ISO8601")
                + "."
            )
        else:
            lines.append(
                f"Not booked yet. The guide: {GUIDE_WORDS} ({utc_text(window[0])}), so it "
                f"should start {window_text(guide_window(window))} (sooner is booked too, and "
                "said to be): "
                + code_span(f"lastgood schedule-postmortem {state.id} --at ISO8601")
                + "."
            )
        return lines
    attendees = ", ".join(meeting.attendees) if meeting.attendees else "attendees to be invited"
    lines += [
        f"- When: {zone.alongside(meeting.starts_at, date=True)}, "
        f"{counted(meeting.duration_min, 'minute')}, until "
        f"{zone.alongside(meeting.ends_at, first=meeting.starts_at)}.",
        f"- Attendees: {inline(attendees)}.",
        f"- Booked by {inline(meeting.by)} at {ctx.when(meeting.at)}.",
    ]
    if meeting.forced:
        lines.append(
            f"- Outside its window ({window_text(window) if window else 'unknown'}): "
            f"{inline(meeting.reason)}."
        )
    elif window is not None and (sooner := sooner_than_advised(window, meeting.starts_at)):
        lines.append(f"- Within 48 h of resolution ({window_text(window)}); {sooner}.")
    elif window is not None:
        lines.append(f"- Within 48 h of resolution ({window_text(window)}).")
    if len(state.postmortem_history) > 1:
        lines.append(f"- Booked {len(state.postmortem_history)} times; the latest booking holds.")
    lines += [
        "",
        "Calendar invitation (iCalendar): "
        + code_span(f"lastgood ics {state.id} -o postmortem.ics")
        + ".",
    ]
    return lines


def lessons(ctx: ReportContext) -> list[str]:
    state = ctx.state
    if not state.lessons:
        add = code_span(f"lastgood lesson {state.id} TEXT --kind went-well|went-wrong|lucky")
        return ["## Lessons Learned", "", f"No lessons recorded yet: {add}."]
    blocks: list[list[str]] = [["## Lessons Learned"]]
    titles = {**LESSON_CATEGORIES, "": "Other lessons"}
    for category, title in titles.items():
        chosen = [lesson for lesson in state.lessons if lesson.category == category]
        if not chosen:
            continue
        blocks.append([f"### {title}"])
        blocks += [entry(f"{inline(lesson.by)}", lesson.text) for lesson in chosen]
    return join_blocks(blocks)


def supporting(ctx: ReportContext) -> list[str]:
    return join_blocks(
        [
            ["## Supporting information"],
            _roles(ctx),
            _communications(ctx),
            _notes(ctx),
            _record(ctx),
        ]
    )


def _roles(ctx: ReportContext) -> list[str]:
    history = ctx.state.role_history
    rows = []
    for position, change in enumerate(history):
        later = [c for c in history[position + 1 :] if c.role == change.role]
        until = ctx.offset(later[0].at) if later else "close" if ctx.state.is_closed else "now"
        rows.append(
            [cell(change.role), cell(change.person), ctx.offset(change.at), until, cell(change.by)]
        )
    headers = ["Role", "Person", "From", "Until", "Recorded by"]
    return ["### Roles", "", "Who held each role, and when.", "", *table(headers, rows)]


def _communications(ctx: ReportContext) -> list[str]:
    messages = ctx.state.communications
    lines = ["### Communications log", ""]
    page = page_words(ctx.state, ctx.offset)
    said = [] if page is None else ["", inline(page)]
    due = _due_once(ctx)
    if not messages:
        return [*lines, "No messages were recorded.", *said, *due]
    lines.append(f"{counted(len(messages), 'message')}, each with its exact text as sent.")
    lines += said
    lines += _cadence(ctx)
    lines += due
    for number, message in enumerate(messages, 1):
        meta = f"**{number}.** {ctx.when(message.at)} · by {inline(message.by)}"
        if message.channel:
            meta += f" · to {inline(message.channel)}"
        if message.template:
            meta += f" · template {inline(message.template)}"
        lines += ["", meta, "", *fence(message.text)]
    return lines


def _cadence(ctx: ReportContext) -> list[str]:
    """The messages against the runbook's update cadence: each late or missing update
    by its due time. The report said nothing of an update sent late."""
    state = ctx.state
    updates = updates_due(state, ctx.end)
    if not updates:
        return []
    cadence = state.runbook.cadence
    late = [u for u in updates if u.late_by is not None]
    missing = [u for u in updates if u.sent is None]
    declined = [u for u in missing if u.declined is not None]
    answered = len(updates) - len(missing)
    upto = "up to the resolution" if resolved_at(state) else "so far"
    said = "all on time" if not late else f"{answered - len(late)} on time, {len(late)} late"
    if missing:
        said += f"; {counted(len(missing), 'update')} not sent"
        if declined:
            said += f" ({len(declined)} declined)"
    lines = [
        "",
        f"Against the runbook's update cadence (the first within "
        f"{counted(cadence.first_update_min, 'minute')} of the declaration, then every "
        f"{counted(cadence.every_min, 'minute')} after the last message, until resolved): "
        f"{counted(answered, 'message')} {upto}, {said}." + _to_responders(ctx),
    ]
    if late or missing:
        lines.append("")
    for update in updates:
        if update.late_by is not None and update.sent is not None:
            lines.append(
                f"- Due {ctx.when(update.due)}; sent at {ctx.offset(update.sent)}, "
                f"{printed_duration(update.due, update.sent)} late."
            )
        elif (decline := update.declined) is not None:
            lines.append(
                f"- Due {ctx.when(update.due)}; not sent: declined by {inline(decline.by)} "
                f"at {ctx.offset(decline.at)}: {inline(decline.reason)} (the next "
                f"{counted(cadence.every_min, 'minute')} after it)."
            )
        elif update.sent is None:
            until = "the resolution" if resolved_at(state) else "the time of this report"
            lines.append(f"- Due {ctx.when(update.due)}; no message by {until}.")
    return lines


def _due_once(ctx: ReportContext) -> list[str]:
    """Each message the runbook made due once and what became of it (`messages_due`):
    a declined one by whom and why, one never sent said so (ux_review16 #5)."""
    due = messages_due(ctx.state)
    if not due:
        return []
    numbers = {id(m): n for n, m in enumerate(ctx.state.communications, 1)}
    unsent = [m for m in due if m.fate != "sent"]
    lead = (
        f"Messages the runbook makes due once, as each came due: {len(due) - len(unsent)} "
        f"of {len(due)} sent" + (f", {len(unsent)} not sent." if unsent else ".")
    )
    lines = ["", lead, ""]
    for message in due:
        head = f"- {code_span(message.template)} due {ctx.when(message.due_at)}"
        lines.append(f"{head}: {_fate(ctx, message, numbers)}.")
    return lines


def _fate(ctx: ReportContext, message: MessageDue, numbers: dict[int, int]) -> str:
    if message.sent is not None:
        sent = message.sent
        return f"sent by {inline(sent.by)} at {ctx.offset(sent.at)} (**{numbers[id(sent)]}.**)"
    if message.declined is not None:
        declined = message.declined
        return (
            f"not sent: declined by {inline(declined.by)} at {ctx.offset(declined.at)}: "
            f"{inline(declined.reason)}"
        )
    if (step := message.step) is not None:
        what = "checked" if step.done else "skipped"
        by = f" by {inline(step.by)}" if step.by else ""
        at = f" at {ctx.offset(step.at)}" if step.at is not None else ""
        why = f": {inline(step.reason)}" if step.skipped and step.reason else ""
        return f"not sent: its step {inline(step.step.id)} {what}{by}{at} without it{why}"
    until = "the close" if ctx.state.is_closed else "the time of this report"
    return f"never sent, nor declined, by {until}"


def _to_responders(ctx: ReportContext) -> str:
    """Which messages the cadence passed by as sent to the responders, not to
    stakeholders (`to_stakeholders`), so the count above adds up to the log's."""
    state = ctx.state
    paged = [m for m in state.communications if not to_stakeholders(state, m)]
    if not paged:
        return ""
    names = ", ".join(code_span(t) for t in dict.fromkeys(m.template or "" for m in paged))
    return (
        f" Not counted: {counted(len(paged), 'message')} to the responders ({names}), "
        f"which {'is' if len(paged) == 1 else 'are'} not a stakeholder update."
    )


def _notes(ctx: ReportContext) -> list[str]:
    notes = ctx.state.notes
    if not notes:
        return ["### Notes", "", "No notes were recorded."]
    ordered = [n for n in notes if n.pinned] + [n for n in notes if not n.pinned]
    entries = [
        entry(
            f"{PIN_MARK + ' ' if note.pinned else ''}{ctx.when(note.at)} · {inline(note.by)}",
            note.text,
        )
        for note in ordered
    ]
    pinned = sum(1 for n in notes if n.pinned)
    lead = f"{counted(len(notes), 'note')}, {pinned} pinned ({PIN_MARK}, listed first)."
    return join_blocks([["### Notes"], [lead], *entries])


def _record(ctx: ReportContext) -> list[str]:
    state = ctx.state
    count = ctx.record.event_count
    damage = ctx.record.damage
    if ctx.record.for_org:
        return [
            "### Record",
            "",
            f"This report was generated from {counted(count, 'event')} of incident "
            f"{inline(state.id)}, with the text written for the incident team left out "
            "(see the top of this report). The record's head hash covers that text too, "
            "so it is not quoted: check the full report against the record.",
        ]
    if damage is not None:
        verify = code_span(f"lastgood verify {state.id}")
        last = (
            f"its last event that verifies is event {damage.count}, head hash `{damage.head_hash}`"
            if damage.count
            else "none of its events verifies"
        )
        return [
            "### Record",
            "",
            f"This report was generated from {counted(count, 'event')} of incident "
            f"{inline(state.id)}, a record that does not verify (see the top of this "
            f"report): {last}. The head the record ends in now covers what was changed "
            f"after it was recorded, so it is not quoted here as one to keep; {verify} "
            "names the first event that does not verify.",
        ]
    command = f"lastgood verify {state.id} --expect-head {ctx.head_hash}"
    expected = f"{state.id}: ok, {counted(count, 'event')}, head {ctx.head_hash}, the expected head"
    return [
        "### Record",
        "",
        f"This report was generated from {counted(count, 'event')} of incident "
        f"{inline(state.id)}, head hash `{ctx.head_hash}`. To check that the record still "
        f"holds them unchanged, run {code_span(command)}; it should print "
        f"{code_span(expected)}, or, once more has been recorded (such as the check an "
        f"export with {code_span('--check-step')} records), a first line ending in "
        f"{code_span(f'the expected head is event {count} (N events after it)')}, then "
        "those events, one a line. "
        "It exits 1 if the record no longer holds this head.",
    ]
