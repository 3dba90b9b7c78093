"""The stakeholder update clock, and whether the service told restored still is.

The cadence runs "until resolved": once the resolution message is sent no update is
owed. A service verified or resolved that goes back to failing is not restored, though
(the guide: "you must verify that the service is restored", and "keep stakeholders
informed"): a rollback trigger met again, or the version probe showing a version other
than the last good one, after the verification or the resolution. The resolved
incident then owes an update again, from the moment it went back (ux_review15 #2), and
every face says verification no longer holds (`incident.health.stability`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from msgspec import Struct

from incident.core.records import Communication
from incident.core.state import IncidentState
from incident.core.update_rounds import update_rounds
from incident.core.verification import verification
from runbooks.model import ProbeKind

RESOLVED_TEMPLATE = "resolved"
"""The template whose message says the service is restored."""

PAGING_TEMPLATE = "paging"
"""The runbook template whose message pages people (besides the `page` verb)."""


def resolved_at(state: IncidentState) -> datetime | None:
    """When the incident was resolved: the resolution message, else the close."""
    for message in state.communications:
        if message.template == RESOLVED_TEMPLATE:
            return message.at
    return state.closed_at


def next_update_due(state: IncidentState) -> datetime | None:
    """When the next stakeholder update is due under the runbook's cadence.

    The rounds of `update_rounds`: the first `first_update_min` after declaration;
    each message to stakeholders (but a repeat of a once-per-incident one:
    `cadence_messages`) moves the next to `every_min` after it, a declined update to
    `every_min` after its due time. Once resolved (the resolution message sent, or the
    incident closed) no more updates are owed: the cadence is "until resolved", and a
    clock still counting would ask for one; unless the service resolved is not restored
    any more (`not_restored`): an update is due from the moment it went back, then
    `every_min` after each.
    """
    if resolved_at(state) is not None:
        lapse = None if state.is_closed else not_restored(state)
        if lapse is None:
            return None
        told = [m for m in cadence_messages(state) if m.at >= lapse.since]
        every = timedelta(minutes=state.runbook.cadence.every_min)
        return told[-1].at + every if told else lapse.since
    return update_rounds(state, [m.at for m in cadence_messages(state)], None)[1]


def cadence_messages(state: IncidentState) -> list[Communication]:
    """The messages the update cadence counts: every one to stakeholders but a
    `repeat`, which tells them nothing new (and came, as often as not, from a second
    terminal). A message the runbook says goes to the responders (its template in
    `cadence.to_responders`: the page to the team) is no update to stakeholders."""
    return [
        message for message, again in _told(state) if not again and to_stakeholders(state, message)
    ]


def to_stakeholders(state: IncidentState, message: Communication) -> bool:
    """Whether `message` went to stakeholders: all but those from a template the
    runbook sends to the responders (`Runbook.to_responders`). Free text counts, as
    before: the runbook cannot say whom it was for."""
    return not state.runbook.to_responders(message.template)


def repeats(state: IncidentState) -> list[Communication]:
    """Each message from a once-per-incident template (`Runbook.sent_once`) after the
    first from it, in order: the same news sent again."""
    return [message for message, again in _told(state) if again]


def _told(state: IncidentState) -> Iterator[tuple[Communication, bool]]:
    """Each message, and whether it repeats a once-per-incident one sent before it."""
    seen: set[str] = set()
    for message in state.communications:
        template = message.template
        once = template is not None and state.runbook.sent_once(template)
        yield message, once and template in seen
        if once and template is not None:
            seen.add(template)


def resolution_sent_at(state: IncidentState) -> datetime | None:
    """When the resolution message was first sent; None before it is."""
    for message in state.communications:
        if message.template == RESOLVED_TEMPLATE:
            return message.at
    return None


class NotRestored(Struct, frozen=True):
    """What says a service verified (or resolved) is not restored now."""

    after: datetime
    """The verification (the check that completed it) or the resolution it undoes,
    whichever came first."""
    after_resolution: bool
    """Whether `after` is the resolution message (the service was never verified)."""
    triggers: tuple[tuple[str, datetime], ...]
    """Each rollback trigger met now, by id, and since when (never before `after`)."""
    version: str | None
    """The version the version probe shows now, when it is not the last good one."""
    version_since: datetime | None
    """Since when it has shown a version other than the last good one (not before `after`)."""

    @property
    def since(self) -> datetime:
        """When the service went back: the first of its signs."""
        times = [at for _, at in self.triggers]
        if self.version_since is not None:
            times.append(self.version_since)
        return min(times)


def not_restored(state: IncidentState) -> NotRestored | None:
    """The rollback triggers met now and the version running other than the last good
    one, once the service was verified or the resolution sent; None while neither is
    so, or before either. Read from the record alone: the live screen, `status`, the
    close and replay say the same of the same moment."""
    verified = verification(state).last
    resolved = resolution_sent_at(state)
    anchors = [at for at in (verified.at if verified else None, resolved) if at is not None]
    if not anchors:
        return None
    after = min(anchors)
    triggers = tuple(
        (trigger_id, max(since, after)) for trigger_id, since in _met_now(state).items()
    )
    version, version_since = _other_version(state)
    if not triggers and version is None:
        return None
    return NotRestored(
        after=after,
        after_resolution=resolved is not None and after == resolved and verified is None,
        triggers=triggers,
        version=version,
        version_since=None if version_since is None else max(version_since, after),
    )


def _met_now(state: IncidentState) -> dict[str, datetime]:
    """Each trigger whose latest mark is met, and when its run of "met" began."""
    since: dict[str, datetime] = {}
    for trigger_id, mark in state.trigger_history:
        if not mark.met:
            since.pop(trigger_id, None)
        else:
            since.setdefault(trigger_id, mark.at)
    return since


def _other_version(state: IncidentState) -> tuple[str | None, datetime | None]:
    """The version the version probe reads now, when it is not the last good one, and
    since when it has (as far back as the readings kept go); (None, None) otherwise,
    or when no last good version was declared."""
    want = state.last_good_version
    probe = next((p for p in state.runbook.probes if p.kind is ProbeKind.VERSION), None)
    samples = state.samples.get(probe.name, []) if probe is not None and want else []
    if not samples or not samples[-1].ok or samples[-1].text in (None, want):
        return None, None
    since = samples[-1].at
    for sample in reversed(samples):
        if not sample.ok or sample.text in (None, want):
            break
        since = sample.at
    return samples[-1].text, since
