"""Who recorded what: the people, by hand, and lastgood by itself (probe ticks,
triggers the probes decided, missed updates, deliveries, messages sent by itself).

The report's authors, its responders and the timeline's silences (nobody acted for a
while) count only what people did, as this module tells it, so they never disagree
on who was there or when they acted.
"""

from __future__ import annotations

from collections.abc import Sequence

from incident.core.events import Event, Kind
from incident.core.payloads import CommunicationSent, ProbeSamples, TriggerChanged

_RECORDED_BY_ITSELF = frozenset(
    {
        Kind.PROBE_SAMPLES,
        Kind.UPDATE_OVERDUE,
        Kind.NOTIFICATION_QUEUED,
        Kind.NOTIFICATION_DELIVERED,
        Kind.NOTIFICATION_FAILED,
    }
)
"""Kinds lastgood records without a key: probe ticks, missed updates, deliveries."""


def by_people(event: Event) -> bool:
    """Whether a person recorded this: not a probe tick, a probe-decided trigger, a
    missed update, a delivery outcome or a message sent by itself."""
    if event.kind in _RECORDED_BY_ITSELF or isinstance(event.data, ProbeSamples):
        return False
    if isinstance(event.data, CommunicationSent) and event.data.auto:
        return False
    return not (isinstance(event.data, TriggerChanged) and event.data.source == "probe")


def authors(events: Sequence[Event]) -> list[str]:
    """Everyone who recorded something by hand, in order of first appearance."""
    names: list[str] = []
    for event in events:
        if by_people(event) and event.actor not in names:
            names.append(event.actor)
    return names


def sample_count(events: Sequence[Event]) -> tuple[int, int]:
    """(samples, polls): how many probe readings, in how many probe.samples events."""
    samples = polls = 0
    for event in events:
        if isinstance(event.data, ProbeSamples):
            polls += 1
            samples += len(event.data.samples)
    return samples, polls
