"""Post-mortem work, also after close: root cause, action items, lessons, the meeting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from incident.commands.rules import make_event
from incident.core.attribution import by_at
from incident.core.clock import Clock
from incident.core.errors import (
    CommandError as CommandError,  # re-exported: callers import it from here
)
from incident.core.events import NewEvent, truncate_to_millis
from incident.core.names import not_a_person
from incident.core.payloads import (
    ActionItemAdded,
    ActionItemDone,
    ContributingFactorNoted,
    LessonNoted,
    PostmortemScheduled,
    RcaNoted,
    ReportStatusSet,
)
from incident.core.state import IncidentState
from incident.reports.postmortem import (
    ACTION_PRIORITIES,
    ACTION_TYPES,
    DEFAULT_DURATION_MIN,
    LESSON_CATEGORIES,
    MAX_DURATION_MIN,
    REPORT_STATUSES,
    mailto_uri,
    meeting_window,
    resolved_at,
    utc_text,
)


def note_rca(state: IncidentState, text: str, *, actor: str, clock: Clock) -> NewEvent:
    """Preliminary root-cause text; allowed after close (it is post-mortem work)."""
    if not text.strip():
        raise CommandError("the root-cause text cannot be empty")
    return make_event(state.id, actor, clock, RcaNoted(text, actor))


def note_contributing_factor(
    state: IncidentState, text: str, *, actor: str, clock: Clock
) -> NewEvent:
    """Something besides the root cause that made the incident possible or worse."""
    if not text.strip():
        raise CommandError("a contributing factor cannot be empty")
    return make_event(state.id, actor, clock, ContributingFactorNoted(text, actor))


def add_action_item(
    state: IncidentState,
    text: str,
    *,
    actor: str,
    clock: Clock,
    owner: str = "",
    due: date | None = None,
    priority: str = "",
    type: str = "",
    ticket: str = "",
) -> NewEvent:
    """A follow-up for the post-mortem's action items: owner, due date, priority, type
    and the ticket that tracks it."""
    if not text.strip():
        raise CommandError("an action item cannot be empty")
    if due is not None and due < state.declared_at.date():
        raise CommandError(
            f"due date {due.isoformat()} is before the incident "
            f"({state.declared_at.date().isoformat()})"
        )
    if priority and priority not in ACTION_PRIORITIES:
        raise CommandError(f"unknown priority '{priority}' (choose {', '.join(ACTION_PRIORITIES)})")
    if type and type not in ACTION_TYPES:
        raise CommandError(f"unknown action type '{type}' (choose {', '.join(ACTION_TYPES)})")
    if owner.strip() and (why := not_a_person(owner)) is not None:
        raise CommandError(f"the action item's owner: {why}", needs=("owner",))
    ticket = ticket.strip()
    if ticket and not _is_web_link(ticket):
        raise CommandError(f"the ticket must be an http(s) URL, not '{ticket}'")
    if any(c in "()[]" for c in ticket):
        # A Markdown reader ends a bare link at `)` (or reads `](` as another link): the
        # timeline's link would lead elsewhere than the ticket.
        raise CommandError(
            f"the ticket URL '{ticket}' holds ( ) [ or ]: write them as %28 %29 %5B %5D"
        )
    item = ActionItemAdded(text, owner.strip(), due, actor, priority, type, ticket)
    return make_event(state.id, actor, clock, item)


def _is_web_link(text: str) -> bool:
    """An absolute http(s) URL with a host and nothing a link could not hold."""
    scheme, _, rest = text.partition("://")
    if scheme.lower() not in ("http", "https") or not rest or rest.startswith("/"):
        return False
    return text.isprintable() and not any(c.isspace() or c in '<>`|\\"' for c in text)


def mark_action_done(
    state: IncidentState, number: int, *, actor: str, clock: Clock, note: str = ""
) -> NewEvent:
    """Action item `number` (1, 2... as the report numbers them) is done."""
    items = state.action_items
    if not 0 < number <= len(items):
        have = f"1 to {len(items)}" if items else "none yet"
        raise CommandError(f"no action item {number} (action items: {have})")
    item = items[number - 1]
    if item.done:
        done = by_at(state, item.done_by, item.done_at)
        raise CommandError(f"action item {number} is already done{f' ({done})' if done else ''}")
    return make_event(state.id, actor, clock, ActionItemDone(number, note.strip(), actor))


def set_report_status(
    state: IncidentState,
    *,
    actor: str,
    clock: Clock,
    status: str | None = None,
    owner: str | None = None,
    reviewers: Sequence[str] | None = None,
) -> NewEvent:
    """The post-mortem document's status, owner and reviewers; what is not given stays.

    A report is a draft owned by the incident commander until set otherwise; it can
    be marked reviewed only once the incident is closed and someone other than its
    owner is named to review it.
    """
    current = state.document
    status = status if status is not None else current.status if current else "draft"
    if status not in REPORT_STATUSES:
        raise CommandError(f"unknown report status '{status}' (choose draft or reviewed)")
    if owner is None:
        owner = current.owner if current else state.commander
    elif owner.strip() and (why := not_a_person(owner)) is not None:
        raise CommandError(f"the report's owner: {why}", needs=("owner",))
    owner = " ".join(owner.split())
    names = list(current.reviewers) if current and reviewers is None else []
    for typed in reviewers or ():
        name = " ".join(typed.split())
        if name and (why := not_a_person(typed)) is not None:
            raise CommandError(f"a reviewer: {why}", needs=("reviewers",))
        if not name or name.casefold() in (known.casefold() for known in names):
            continue  # `Ada,ada` is one reviewer
        names.append(name)
    standing = (current.status, current.owner, current.reviewers) if current else None
    was_status, was_owner, was_reviewers = standing or ("draft", state.commander, ())
    if (status, owner, _people(names)) == (was_status, was_owner, _people(was_reviewers)):
        raise CommandError(
            f"the report is already {status}, owned by {owner or 'no one'}: nothing to record",
            needs_one_of=("status", "owner", "reviewers"),  # a change to any one of them
        )
    if status == "reviewed":
        if not state.is_closed:
            raise CommandError("the report can be marked reviewed once the incident is closed")
        if not [name for name in names if name != owner]:
            raise CommandError(
                "a reviewed report needs a reviewer other than its owner",
                needs=("reviewers",),
            )
    if not owner:
        raise CommandError("the report needs an owner", needs=("owner",))
    document = ReportStatusSet(status, owner, tuple(names), actor)
    return make_event(state.id, actor, clock, document)


def _people(names: Sequence[str]) -> frozenset[str]:
    """Names as a set of people: in any order, whatever their case."""
    return frozenset(name.casefold() for name in names)


def note_lesson(
    state: IncidentState, text: str, *, actor: str, clock: Clock, category: str = ""
) -> NewEvent:
    """A lesson learned: what went well, what went wrong, where we got lucky."""
    if not text.strip():
        raise CommandError("a lesson cannot be empty")
    if category and category not in LESSON_CATEGORIES:
        raise CommandError(
            f"unknown lesson kind '{category}' (choose {', '.join(LESSON_CATEGORIES)})"
        )
    return make_event(state.id, actor, clock, LessonNoted(text, category, actor))


def schedule_postmortem(
    state: IncidentState,
    starts_at: datetime,
    *,
    actor: str,
    clock: Clock,
    duration_min: int = DEFAULT_DURATION_MIN,
    attendees: Sequence[str] = (),
    force: bool = False,
    reason: str = "",
    organizer: str = "",
) -> NewEvent:
    """Book the blameless post-mortem: from the resolution up to 48 h after it, and not
    before the clock's now, when it is recorded (an invitation to a meeting already
    past helps no one, whatever the reason; an incident entered late books from now).

    A later start needs a reason, which is recorded (`forced`); `force` is accepted
    and changes nothing else. Booking again moves the meeting, with its organizer
    and attendees unless others are given: a move without them was published to no
    one, and the invitees' calendars kept the old time. The record keeps every
    booking.
    """
    window = meeting_window(state)
    if window is None:
        raise CommandError(
            f"incident {state.id} is still open: the post-mortem is booked once it is "
            "resolved, so send the resolution message or close the incident first"
        )
    if starts_at.tzinfo is None:
        raise CommandError("the meeting time needs a timezone: Z or an offset (+01:00) at its end")
    if not 0 < duration_min <= MAX_DURATION_MIN:
        raise CommandError(f"the meeting lasts 1 to {MAX_DURATION_MIN} minutes, not {duration_min}")
    if force and not reason.strip():
        raise CommandError("a forced booking needs a reason", needs=("reason",))
    starts_at = truncate_to_millis(starts_at.astimezone(UTC))
    resolved = utc_text(resolved_at(state) or window[0])
    if starts_at < window[0]:
        raise CommandError(
            f"the post-mortem cannot start before the resolution ({resolved}), "
            f"not {utc_text(starts_at)}",
            needs=("at",),
        )
    now = clock.now()
    if starts_at < now:
        raise CommandError(
            f"the post-mortem cannot start in the past: {utc_text(starts_at)} was given, "
            f"and it is now {utc_text(now)}",
            needs=("at",),
        )
    late = starts_at > window[1]
    if late and not reason.strip():
        raise CommandError(
            f"the post-mortem should start within 48 h of resolution ({resolved}): "
            f"by {utc_text(window[1])}, not {utc_text(starts_at)}; a later start needs a reason",
            needs=("reason",),
        )
    for name in attendees:  # as given: the attendees of a booking before are in the record
        if name.strip() and (why := not_a_person(name)) is not None:
            raise CommandError(f"an attendee: {why}", needs=("attendees",))
    booked_before = state.postmortem
    if booked_before is not None:
        organizer = organizer or booked_before.organizer
        attendees = attendees or booked_before.attendees
    organizer = organizer.strip()
    if organizer and mailto_uri(organizer) is None:
        raise CommandError(f"the organizer is an email address, not '{organizer}'")
    names: list[str] = []
    for name in attendees:
        name = " ".join(name.split())
        if name and name not in names:
            names.append(name)
    booked = PostmortemScheduled(
        starts_at=starts_at,
        duration_min=duration_min,
        attendees=tuple(names),
        forced=late,
        reason=reason.strip(),
        window=window,
        by=actor,
        previous_starts_at=state.postmortem.starts_at if state.postmortem is not None else None,
        organizer=organizer,
    )
    return make_event(state.id, actor, clock, booked)
