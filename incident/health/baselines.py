"""What "back to baseline" (the guide's Check health) needs: a baseline, and where none is.

A probe's readings are judged "back to baseline" against a baseline: the runbook's
`baseline:`, or one recorded during the incident (`lastgood baseline`). Without one,
the rollback trigger's threshold is no stand-in: a service at 4% errors, twenty times
its usual 0.2%, is under the 5% trigger and not back to normal (ux_review15 #1). So
Check health then asks for what someone saw, and the faces ask for the baseline while
it can still be taken: at the declaration and the decision gate.
"""

from __future__ import annotations

from datetime import datetime

from incident.core.state import IncidentState
from incident.health.readings import NO_BASELINE as NO_BASELINE
from incident.health.readings import format_value
from runbooks.model import ProbeKind, StepKind


def unbaselined(state: IncidentState) -> list[str]:
    """The probes a verification step judges "back to baseline" by that have no
    baseline (the runbook's or one recorded), in runbook order: the Prometheus probes,
    the only ones with a number to compare."""
    probes = {
        step.probe
        for phase in state.runbook.phases
        for step in phase.steps
        if step.kind is StepKind.VERIFICATION and step.probe
    }
    return [
        probe.name
        for probe in state.runbook.probes
        if probe.name in probes
        and probe.kind is ProbeKind.PROMETHEUS
        and probe.name not in state.baselines
    ]


def release_time(state: IncidentState) -> datetime | None:
    """When the bad release went out, if known: the impact start given at the
    declaration (back-dated T+0); None when T+0 is the declaration itself."""
    return state.started_at if state.started_at < state.declared_at else None


def baseline_prompt(
    state: IncidentState, probe: str, value: float | None = None, *, how: str = ""
) -> str:
    """The line asking for `probe`'s baseline, with the command that records it:
    `no baseline for error-rate: lastgood baseline ID error-rate --value …`; with
    `value`, what the probe read at the release time, offered as that value. `how`,
    a face's own way to record it instead of the command (the TUI's palette entry),
    in a line short enough for a dialog at 80 columns."""
    if how:
        return f"no baseline for {probe}, which Check health needs: {how}"
    command = f"lastgood baseline {state.id} {probe} --value"
    if value is None:
        return f"no baseline for {probe} (Check health compares with it): `{command} …`"
    at = release_time(state)
    when = f" ({at:%H:%M} UTC)" if at is not None else ""
    unit = next((p.unit for p in state.runbook.probes if p.name == probe), "")
    return (
        f"no baseline for {probe} (Check health compares with it): it read "
        f"{format_value(value, unit)} at the release time{when}: `{command} {value:g}`"
    )
