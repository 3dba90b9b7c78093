"""How production stands, in the words of someone outside the incident.

The stakeholder update could say where the rollback stood and never how the service
was (ux_review13 #5): a VP asks "is checkout working now", not "which phase". These
are the latest readings said without T+ or probe jargon, for the `{service_now}` and
`{version_now}` placeholders and the stakeholder brief: `error rate 0.5% (threshold
5.0%), 2.4.0 running`, `health checks failing`, `not measured`. A reading too old to
pass for live (`stale_age`) says when it was taken; what a probed service answered
is shown with its control characters made visible.
"""

from __future__ import annotations

from datetime import datetime

from incident.core.samples import Sample
from incident.core.state import IncidentState
from incident.core.text import visible
from incident.health.reading_line import aged_at, stale_age
from incident.health.readings import format_value
from runbooks.model import Probe, ProbeKind

NOT_MEASURED = "not measured"
"""What production is said to be when no probe has a reading to tell."""


def version_now(state: IncidentState, now: datetime) -> str:
    """The version the first `version` probe read last (`2.4.0`, `2.4.0 as of 12:03
    UTC` once stale), else `not measured`."""
    for probe in state.runbook.probes:
        if probe.kind is ProbeKind.VERSION:
            latest = _latest(state, probe)
            if latest is not None and latest.ok and latest.text is not None:
                return visible(latest.text) + _as_of(state, probe, latest, now)
            return NOT_MEASURED
    return NOT_MEASURED


def service_now(state: IncidentState, now: datetime) -> str:
    """Production in a line: failing health checks first, then each measured value
    with the threshold it is judged by, then the version running; `not measured`
    before any reading."""
    failing: list[str] = []
    values: list[str] = []
    running = ""
    for probe in state.runbook.probes:
        latest = _latest(state, probe)
        if latest is None:
            continue
        name = _words(probe.name)
        when = _as_of(state, probe, latest, now)
        if probe.kind is ProbeKind.VERSION:
            if latest.ok and latest.text is not None:
                running = f"{visible(latest.text)} running{when}"
        elif not latest.ok:
            failing.append(
                f"{name} checks failing{when}"
                if probe.kind is ProbeKind.HTTP
                else f"{name} {NOT_MEASURED}{when}"
            )
        elif latest.value is not None:
            limit = ""
            if probe.threshold is not None:
                limit = f" (threshold {format_value(probe.threshold, probe.unit)})"
            values.append(f"{name} {format_value(latest.value, probe.unit)}{limit}{when}")
    parts = [*failing, *values, *([running] if running else [])]
    return ", ".join(parts) or NOT_MEASURED


def _latest(state: IncidentState, probe: Probe) -> Sample | None:
    samples = state.samples.get(probe.name)
    return samples[-1] if samples else None


def _as_of(state: IncidentState, probe: Probe, sample: Sample, now: datetime) -> str:
    """` as of 12:03 UTC` for a reading too old to pass for live; else nothing."""
    if stale_age(probe, sample, aged_at(state, now)) is None:
        return ""
    return f" as of {sample.at:%H:%M} UTC"


def _words(name: str) -> str:
    """A probe's name as words: `error-rate` reads `error rate`."""
    return visible(name.replace("-", " ").replace("_", " "))
