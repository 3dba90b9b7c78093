"""Each probe's latest reading, in the words `monitor` prints a tick in.

`status` and `brief` said who polls production and which triggers were met, and
nothing of what the probes read: with the error rate unanswered for 40 s, `status`
still named the trigger met a minute before and the poller's last tick (a fresh
user's review). `readings_line` says each probe's latest reading, since when a
failure has lasted, and when a reading is too old to pass for live (the Production
panel's rule, `stale_age`, which lives here so that every face ages alike).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from incident.core.phase_clocks import format_duration, t_plus
from incident.core.samples import Sample
from incident.core.state import IncidentState
from incident.health.failure_words import failure_text
from incident.health.readings import format_value
from runbooks.model import Probe

STALE_AFTER_INTERVALS = 3
"""A probe's latest reading is stale once this many of its intervals have passed
without a newer one: polling is off (`--no-probes`), stuck, or done elsewhere and
stopped. Old readings must not pass for live ones."""


def stale_age(probe: Probe, sample: Sample, now: datetime | None) -> timedelta | None:
    """How old `sample` is, if it is too old to pass for live; None while it is fresh."""
    if now is None:
        return None
    age = now - sample.at
    return age if age > timedelta(seconds=probe.interval_s * STALE_AFTER_INTERVALS) else None


def aged_at(state: IncidentState, now: datetime | None) -> datetime | None:
    """The moment the readings' ages are told at: `now`, but never past the close.
    Polling ends with the incident, so a reading went on "going stale" after it (`stale
    7s`, then `stale 14s`, the title counting every probe stale), which read as a fault
    to watch; the readings stay as they were at the close."""
    closed = state.closed_at
    return closed if now is not None and closed is not None and now > closed else now


def reading_summary(state: IncidentState, sample: Sample) -> str:
    """`health OK 43ms`, `version 2.4.1`, `error-rate 0.5%`, `health HTTP 503 (expected
    200)`: one probe's reading, as `monitor` prints it in a tick's line."""
    if not sample.ok:
        return f"{sample.probe} {failure_text(sample)}"
    if sample.text is not None:
        return f"{sample.probe} {sample.text}"
    if sample.value is not None:
        probe = state.runbook.probe(sample.probe)
        return f"{sample.probe} {format_value(sample.value, probe.unit if probe else '')}"
    latency = f" {sample.latency_ms:.0f}ms" if sample.latency_ms is not None else ""
    return f"{sample.probe} OK{latency}"


def failing_since(samples: Sequence[Sample]) -> datetime | None:
    """When the run of failed polls the latest belongs to began (as far back as the
    readings kept go); None while the latest is a reading."""
    since = None
    for sample in reversed(samples):
        if sample.ok:
            break
        since = sample.at
    return since


def readings_line(state: IncidentState, now: datetime) -> str | None:
    """`health OK 3ms · version 2.4.1 · error-rate REFUSED connection refused since
    T+02:20`; None before any reading."""
    return " · ".join(reading_parts(state, now)) or None


def reading_parts(state: IncidentState, now: datetime) -> list[str]:
    """Each probe's latest reading, in the runbook's order, aged as at the close once
    closed: `error-rate REFUSED connection refused since T+02:20 (stale 1m05s)`."""
    moment = aged_at(state, now)
    parts = []
    for probe in state.runbook.probes:
        samples = state.samples.get(probe.name)
        if not samples:
            continue
        latest = samples[-1]
        said = reading_summary(state, latest)
        since = failing_since(samples)
        if since is not None and since < latest.at:
            said += f" since {t_plus(state, since)}"
        age = stale_age(probe, latest, moment)
        if age is not None:
            said += f" (stale {format_duration(age)})"
        parts.append(said)
    return parts
