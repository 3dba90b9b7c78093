"""How production stands, in the words of someone outside the incident.

The stakeholder update could say where the rollback stood and never how the service
was (ux_review13 #5): a VP asks "is checkout working now", not "which phase". These
are the latest readings said without T+ or probe jargon, for the `{service_now}` and
`{version_now}` placeholders and the stakeholder brief: `health responding normally,
error rate 0.5% (threshold 5.0%), 2.4.0 running`, `health not responding`, `not
measured`. A reading too old to pass for live (`stale_age`) says when it was taken;
what a probed service answered is shown with its control characters made visible.
"""

from __future__ import annotations

from datetime import datetime

from incident.core.samples import Outcome, Sample
from incident.core.state import IncidentState
from incident.core.text import visible
from incident.health.reading_line import aged_at, stale_age
from incident.health.readings import format_value
from incident.health.stability import reading_bad
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
    """Production in a line: failed polls first, then each reading, then the version
    running; `not measured` before any reading. An HTTP health check says how the
    service responds (`health responding normally`), a measure its value with the
    threshold it is judged by (`error rate 0.5% (threshold 5.0%)`)."""
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
        elif _checks_responses(probe):
            (values if latest.ok else failing).append(
                f"{name} {_responding(state, probe, latest)}{when}"
            )
        elif not latest.ok:
            failing.append(f"{name} {NOT_MEASURED}{when}")
        elif latest.value is not None:
            limit = ""
            if probe.threshold is not None:
                limit = f" (threshold {format_value(probe.threshold, probe.unit)})"
            values.append(f"{name} {format_value(latest.value, probe.unit)}{limit}{when}")
    parts = [*failing, *values, *([running] if running else [])]
    return ", ".join(parts) or NOT_MEASURED


TIME_UNITS = ("ms", "s")
"""The units a probe's reading is a time in (`format_value` says them as such)."""

NO_ANSWER = frozenset({Outcome.REFUSED, Outcome.DNS, Outcome.TLS, Outcome.TIMEOUT, Outcome.ERROR})
"""The failed polls that got no answer from the service: it is not responding. The
others (an unexpected status, a body that does not read) got one, with errors."""


def _checks_responses(probe: Probe) -> bool:
    """Whether `probe` is a health check, said in how the service responds: an `http`
    probe that reads nothing but its status, or reads a time (`check_ms`). One reading
    another number (an error rate from a JSON field) is a measure, said with its value.
    The stakeholder update said `health 43 ms (threshold 500 ms)` (closing42)."""
    return probe.kind is ProbeKind.HTTP and (probe.json_field is None or probe.unit in TIME_UNITS)


def _responding(state: IncidentState, probe: Probe, sample: Sample) -> str:
    """How a health check's service responds, in words: `responding normally`,
    `responding slowly` (a time past the probe's threshold: the Production panel's
    FAILING, `reading_bad`), `responding with errors` or `not responding`; no figures."""
    if not sample.ok:
        return "not responding" if sample.outcome in NO_ANSWER else "responding with errors"
    return "responding slowly" if reading_bad(probe, sample, state) else "responding normally"


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
