"""The status page: whether the runbook names one, what the step that updates it says,
and whether it was updated (the record's delivery to the page's target).

The runbook's `status_page:` names the page people read and, optionally, the notify
target that posts its templates' messages to it (`Runbook.targets_for` routes them
there, through the same outbox as every webhook). Without a target, or when its
delivery failed, the page is updated by hand, and recorded so (`status_page.updated`,
`incident.app.status_page`); without a `status_page:` there is none, and the words say
so instead of implying that one is updated.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from msgspec import Struct

from incident.core.events import JSONValue, format_timestamp
from incident.core.state import IncidentState
from runbooks.model import RESOLUTION_TEMPLATE, Runbook, StatusPage, Step, StepKind


def page_templates(runbook: Runbook) -> tuple[str, ...]:
    """The templates whose messages go to the status page: its `send`, or the
    resolution's where the runbook names no page (the message a page would carry)."""
    page = runbook.status_page
    return page.send if page is not None else (RESOLUTION_TEMPLATE,)


def updates_page(runbook: Runbook, step: Step) -> bool:
    """Whether `step` is the one that would update the status page: a communication
    step sending one of `page_templates`."""
    return step.kind == StepKind.COMMUNICATION and step.template in page_templates(runbook)


def step_page_words(
    state: IncidentState, step: Step, offset: Callable[[datetime], str], record_it: str
) -> str | None:
    """What the step that updates the status page says of the page (the TUI's guidance),
    or None for any other step: updated (when, by whom), no page configured, one to
    update by hand (then record it: `record_it` says how, in the face's words), or the
    target that posts to it."""
    if not updates_page(state.runbook, step):
        return None
    standing = page_standing(state, offset)
    if standing is not None and standing.state == UPDATED:
        return f"Status page {standing.said}."
    page = state.runbook.status_page
    if page is None and state.runbook.no_status_page:
        return (
            "No status page: the runbook says status_page: none, so this message alone "
            "communicates the resolution."
        )
    if page is None:
        return (
            "No status page is configured (the runbook has no status_page): this message "
            "goes to no status page. If people read one, update it by hand, then record "
            f"it ({record_it})."
        )
    if not page.target:
        return (
            f"Status page: update it by hand at {page.url} (no target posts to it), then "
            f"record it ({record_it})."
        )
    if standing is not None and standing.said.startswith("not updated ("):
        return f"Status page {standing.said}, then record it ({record_it})."
    return f"Status page {page.url}: sending this message posts it there (target {page.target})."


RECORD_IT = "update it, then record it (status-page), which checks it"
"""How a step the status page holds open is done, in every face's words."""


def page_pending(state: IncidentState, step: Step) -> str | None:
    """Why `step`, the one that updates the status page, is not done by its message
    alone: the runbook names a page that no target posts to, and no update of it by hand
    is recorded (the guide's "Update the status page and notify all stakeholders" is
    two things). None for any other step, for a page its target posts to (its message
    is the update), and with no page (`status_page: none`, or none named)."""
    page = state.runbook.status_page
    if page is None or page.target or not updates_page(state.runbook, step):
        return None
    if state.page_hand_updates:
        return None
    return f"the status page {page.url} is not recorded as updated"


class PageUpdate(Struct, frozen=True):
    """Whether the status page was updated, as the record shows it."""

    url: str
    at: datetime | None = None
    """When the delivery to the page's target succeeded; None when it did not."""
    by: str = ""
    """Who updated it: who sent the message delivered to the page, or updated it by hand."""
    by_hand: bool = False
    """Updated by hand (`status_page.updated`), not by its target's delivery."""
    note: str = ""
    """The note recorded with an update by hand."""
    why_not: str = ""
    """Why it was not updated: `delivery failed`, `no target`..."""
    error: str = ""


def page_words(state: IncidentState, offset: Callable[[datetime], str]) -> str | None:
    """The report's line on the status page (`offset` writes a moment: `T+12:34`), or
    None where the runbook has no page and no step that would update one, and no one
    recorded updating one by hand."""
    update = page_update(state)
    if update is None:
        if not any(updates_page(state.runbook, r.step) for r in state.steps.values()):
            return None
        if state.runbook.no_status_page:
            return "Status page: none (the runbook says status_page: none)."
        return "Status page: none configured (the runbook has no status_page)."
    if update.at is not None:
        return f"Status page {_updated(update, offset)}."
    if update.why_not == "no target":
        return f"Status page: not updated (no target: update it by hand at {update.url})."
    why = f"{update.why_not}: {update.error}" if update.error else update.why_not
    return f"Status page: not updated ({why}): update it by hand at {update.url}."


def _updated(update: PageUpdate, offset: Callable[[datetime], str]) -> str:
    """`updated at T+41:07 (URL)`, or `updated by hand by Ada at T+41:07 (URL): note`."""
    assert update.at is not None
    where = f" ({update.url})" if update.url else ""
    if not update.by_hand:
        return f"updated at {offset(update.at)}{where}"
    note = " ".join(update.note.split())
    return f"updated by hand by {update.by} at {offset(update.at)}{where}" + (
        f": {note}" if note else ""
    )


def page_update(state: IncidentState) -> PageUpdate | None:
    """The page's update: the latest of the first message of its templates delivered to
    its target (the record's `notification.delivered`) and the updates recorded by hand
    (`status_page.updated`), or why there is none; None without a page, unless someone
    recorded updating one by hand all the same."""
    page = state.runbook.status_page
    by_hand = [
        PageUpdate(page.url if page is not None else "", h.at, h.by, True, h.note)
        for h in state.page_hand_updates
    ]
    if page is None:
        return by_hand[-1] if by_hand else None
    posted = _posted(state, page)
    updates = [u for u in (posted, *by_hand) if u.at is not None]
    if updates:
        return max(updates, key=lambda u: u.at or state.started_at)
    return posted


def _posted(state: IncidentState, page: StatusPage) -> PageUpdate:
    """The page's update by its target: the first message of its templates delivered
    there, or why none was."""
    if not page.target:
        return PageUpdate(page.url, why_not="no target")
    sent = [m for m in state.communications if page.takes(m.template)]
    if not sent:
        return PageUpdate(page.url, why_not="no " + " or ".join(page.send) + " message sent")
    from incident.comms.routing import message_key  # `status` reads the page's words alone

    records = [state.deliveries.get(message_key(state.id, m.seq, page.target)) for m in sent]
    delivered = [
        (r.at, m.by)
        for m, r in zip(sent, records, strict=True)
        if r is not None and r.status == "delivered" and r.at is not None
    ]
    if delivered:
        at, by = min(delivered)
        return PageUpdate(page.url, at=at, by=by)
    if any(r is not None and r.status == "delivered" for r in records):
        return PageUpdate(page.url, why_not="delivered at a time not recorded")
    failed = next((r for r in records if r is not None and r.status == "failed"), None)
    if failed is not None:
        return PageUpdate(page.url, why_not="delivery failed", error=failed.error)
    return PageUpdate(page.url, why_not="delivery pending")


UPDATED, NOT_UPDATED, NOT_CONFIGURED = "updated", "not-updated", "not-configured"
"""What a `PageStanding` says of the page."""


class PageStanding(Struct, frozen=True):
    """The status page as `brief` says it, in words and as data (`brief --json`'s
    `status_page`): one sentence, and what it is made of."""

    state: str
    """`UPDATED`, `NOT_UPDATED` or `NOT_CONFIGURED`."""
    said: str
    """The sentence `brief` prints after `status page:`."""
    url: str | None = None
    at: datetime | None = None
    """When the page was updated; None until it is."""
    by: str | None = None
    """Who updated it (who sent the message posted to it, or updated it by hand); None
    until it is."""
    by_hand: bool = False
    """Updated by hand (`status_page.updated`)."""
    note: str | None = None
    """The note recorded with an update by hand."""

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "state": self.state,
            "at": format_timestamp(self.at) if self.at is not None else None,
            "by": self.by,
            "by_hand": self.by_hand,
            "note": self.note,
            "url": self.url,
            "said": self.said,
        }


def page_standing(state: IncidentState, offset: Callable[[datetime], str]) -> PageStanding | None:
    """Whether the status page was updated, when and by whom, and the sentence that says
    so (`offset` writes a moment: `T+12:34`); None where the runbook names no page and
    has no step that would update one (and no one recorded updating one by hand), as
    the report's `page_words`."""
    update = page_update(state)
    if update is None:
        if not any(updates_page(state.runbook, r.step) for r in state.steps.values()):
            return None
        return PageStanding(NOT_CONFIGURED, "none configured (the runbook has no status_page)")
    url = update.url or None
    if update.at is not None:
        said = _updated(update, offset)
        note = update.note if update.by_hand else None
        by = update.by or None
        return PageStanding(UPDATED, said, url, update.at, by, update.by_hand, note)
    if update.why_not == "no target":
        said = f"update it by hand at {url}"
    elif update.why_not == "delivery pending":
        said = f"not updated yet (delivery pending to {url})"
    elif update.why_not.startswith("no "):  # nothing sent yet: what sending it does
        said = f"the message is posted to {url}"
    else:
        why = f"{update.why_not}: {update.error}" if update.error else update.why_not
        said = f"not updated ({why}): update it by hand at {url}"
    return PageStanding(NOT_UPDATED, said, url)


def page_said_apart(state: IncidentState, standing: PageStanding) -> bool:
    """Whether `brief` says the page's standing on a line of its own (not only under the
    next step, when that step updates the page): once it was updated, or once a message
    of its templates was sent (the page may still wait for a hand, or a delivery)."""
    if standing.state == UPDATED:
        return True
    page = state.runbook.status_page
    return page is not None and any(page.takes(m.template) for m in state.communications)
