"""Reading production from samples: trigger verdicts, baselines and evidence.

Pure functions of recorded samples, so the live screen, `monitor`, the report and
replay all reach the same verdict from the same record.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping, Sequence

from msgspec import Struct

from incident.core.phase_clocks import deciding_steps, t_plus
from incident.core.samples import Sample
from incident.core.state import IncidentState
from incident.core.text import counted
from incident.health.failure_words import failure_word
from runbooks.model import Probe, ProbeKind, Step, StepKind, Trigger, TriggerKind

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
}

BEYOND = {
    ">": "above",
    ">=": "at or above",
    "<": "below",
    "<=": "at or below",
    "==": "equal to",
    "!=": "other than",
}
"""A trigger's operator in words: `1 of 3 readings above 5.0%`."""

EVIDENCE_SAMPLES = 5
"""Consecutive healthy samples that count as "back to baseline"."""

BASELINE_SAMPLES = 10
"""Samples whose median becomes a captured baseline."""

NO_BASELINE = "no baseline: verify by hand"
"""How a verification step's evidence begins when its probe has no baseline to be
"back to" (`incident.health.baselines`): under the rollback trigger's threshold is not
back to normal, so what someone saw is asked for."""


def format_value(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if unit == "ratio":
        percent = value * 100
        if math.isfinite(percent) or not math.isfinite(value):
            return f"{percent:.1f}%"
        # A ratio past 1.8e306 (a probe may answer anything): shown, not as `inf%`.
        from decimal import Decimal

        return f"{Decimal(value) * 100:.3g}%"
    if unit in ("ms", "s"):
        return f"{value:.3g} {unit}"
    return f"{value:.4g}"


class Verdict(Struct, frozen=True):
    """A trigger decided from samples: True met, False clear, None undecided."""

    met: bool | None
    detail: str
    pending: bool = False
    """Undecided on readings too few to decide yet, some of them in: `1 of 3 readings
    above 5% (12.0%): not met yet`, not "no data" (ux_review11 #5)."""


def trigger_verdict(
    trigger: Trigger, samples: Sequence[Sample], probe: Probe | None = None
) -> Verdict:
    """Met when the last N readings all breach; clear when the last N all do not."""
    unit = probe.unit if probe else ""
    if trigger.kind == TriggerKind.CONSECUTIVE_FAILURES:
        count = trigger.count or 1
        recent = samples[-count:]
        if not recent:
            return Verdict(None, "no samples yet")
        failures = sum(1 for s in recent if not s.ok)
        if len(recent) == count and failures == count:
            return Verdict(
                True, f"{counted(count, 'failed check')} in a row ({failure_word(recent[-1])})"
            )
        if recent[-1].ok:
            return Verdict(False, f"latest check ok ({failures}/{len(recent)} recent failed)")
        said = f"{failures} of {count} checks failed in a row ({failure_word(recent[-1])})"
        return Verdict(None, f"{said}: not met yet", pending=True)
    if trigger.kind != TriggerKind.METRIC or trigger.op is None or trigger.threshold is None:
        return Verdict(None, "")
    compare = OPERATORS[trigger.op]
    readings = [s.value for s in samples if s.ok and s.value is not None]
    needed = max(trigger.for_samples, 1)
    if len(readings) < needed:
        if not readings:
            return Verdict(None, f"0 of {needed} readings so far")
        above = sum(1 for v in readings if compare(v, trigger.threshold))
        limit = f"{BEYOND.get(trigger.op, trigger.op)} {format_value(trigger.threshold, unit)}"
        latest = format_value(readings[-1], unit)
        return Verdict(
            None, f"{above} of {needed} readings {limit} ({latest}): not met yet", pending=True
        )
    window = readings[-needed:]
    shown = f"{format_value(window[-1], unit)} {trigger.op} {format_value(trigger.threshold, unit)}"
    if all(compare(v, trigger.threshold) for v in window):
        span = f" for {needed} samples" if needed > 1 else ""
        return Verdict(True, f"{trigger.probe} {shown}{span}")
    if not any(compare(v, trigger.threshold) for v in window):
        return Verdict(False, f"{trigger.probe} {format_value(window[-1], unit)}")
    return Verdict(None, f"{trigger.probe} {format_value(window[-1], unit)}, mixed readings")


def probe_verdicts(
    state: IncidentState, samples: Mapping[str, Sequence[Sample]] | None = None
) -> dict[str, Verdict]:
    """Verdicts for every probe-backed trigger of the runbook."""
    history = state.samples if samples is None else samples
    verdicts = {}
    for trigger in state.runbook.triggers:
        if trigger.kind == TriggerKind.MANUAL or trigger.probe is None:
            continue
        probe = state.runbook.probe(trigger.probe)
        verdicts[trigger.id] = trigger_verdict(trigger, history.get(trigger.probe, ()), probe)
    return verdicts


def baseline_of(state: IncidentState, probe_name: str) -> float | None:
    baseline = state.baselines.get(probe_name)
    return baseline.value if baseline else None


def baseline_from_samples(samples: Sequence[Sample]) -> float | None:
    """The median of the last readings: robust to one bad scrape."""
    readings = [s.value for s in samples if s.ok and s.value is not None]
    if not readings:
        return None
    from statistics import median  # with fractions: 150 KiB the first frame does without

    return float(median(readings[-BASELINE_SAMPLES:]))


def baseline_ceiling(baseline: float) -> float:
    """How close to baseline counts as back: twice it, or half a point above it."""
    return max(baseline * 2, baseline + 0.005)


class Evidence(Struct, frozen=True):
    """Whether a verification step's probe shows what the step claims."""

    holds: bool | None
    """True holds, False contradicted, None no samples to judge by."""
    detail: str


def unshown(state: IncidentState, probe: str, detail: str) -> str:
    """What a probe shows of a verification step it gives no verdict on (`evidence_for`'s
    holds is None), naming the probe: the words a bare tick's refusal and the TUI's
    question for what was seen share. `detail` is `evidence_for`'s."""
    if state.samples.get(probe):
        return f"probe '{probe}' does not show it yet ({detail})"
    return f"probe '{probe}' has no samples yet"


def version_expected(state: IncidentState, version: str) -> bool:
    """Whether `version` running is what the rollback asks for now: the last good
    version, or, until the rollback is carried out, the release being rolled back.

    Carried out is the phase just before the one that confirms the version (its
    verification step on a version probe) finished, or that step checked. Until then
    the bad release running is the incident, not news: a version row red from the
    declaration on, in every drill whatever the fault, said nothing (a fresh user's
    review), and trained the eye to pass over red. After it, anything but the last
    good version is a rollback that did not take. Only that phase: with every phase
    before it asked finished, "Assess severity" left open in phase 1 kept the row
    green on the bad release after the rollback and its confirmation (ux_review15 #5).
    A runbook with no such step compares from the start, as before."""
    want = state.last_good_version
    if not want or version == want:
        return True
    if version != state.from_version:
        return False
    phases = state.runbook.phases
    confirming = [
        (index, step.id)
        for index, phase in enumerate(phases)
        for step in phase.steps
        if step.kind is StepKind.VERIFICATION
        and (probe := state.runbook.probe(step.probe or "")) is not None
        and probe.kind is ProbeKind.VERSION
    ]
    if not confirming:
        return False
    if any(state.steps[step_id].done for _, step_id in confirming if step_id in state.steps):
        return False
    index = confirming[0][0]
    if index == 0:
        return False
    return not all(
        record.done or record.skipped for record in deciding_steps(state, phases[index - 1].id)
    )


def evidence_for(state: IncidentState, step: Step) -> Evidence:
    """Evidence for a probe-backed verification step, from recorded samples."""
    if step.probe is None:
        return Evidence(None, "no probe backs this step")
    probe = state.runbook.probe(step.probe)
    samples = state.samples.get(step.probe, [])
    # "No rollback trigger met" needs no sample of this probe to be contradicted.
    judged_on_triggers = probe is not None and probe.kind != ProbeKind.VERSION
    if judged_on_triggers and (still_met := triggers_still_met(state)):
        return Evidence(False, f"rollback trigger still met: {', '.join(still_met)}")
    if probe is None or not samples:
        return Evidence(None, f"no samples from {step.probe} yet")
    latest = samples[-1]
    offset = t_plus(state, latest.at)
    if probe.kind == ProbeKind.VERSION:
        expected = state.last_good_version
        if not latest.ok or latest.text is None:
            return Evidence(False, f"version unknown: {latest.detail or failure_word(latest)}")
        if not expected:
            return Evidence(None, f"version {latest.text} seen; no last-good version declared")
        if latest.text == expected:
            return Evidence(True, f"version {expected} confirmed at {offset}")
        return Evidence(False, f"version {latest.text} running, expected {expected}")
    if failing := failing_health_check(state, step.probe):
        return Evidence(False, failing)
    recent = samples[-EVIDENCE_SAMPLES:]
    if len(recent) < EVIDENCE_SAMPLES:
        return Evidence(None, f"{len(recent)} of {EVIDENCE_SAMPLES} samples so far")
    if any(not s.ok for s in recent):
        failed = next(s for s in reversed(recent) if not s.ok)
        return Evidence(False, f"{step.probe} failing: {failed.detail or failure_word(failed)}")
    values = [s.value for s in recent]
    if any(v is None for v in values):
        return Evidence(True, f"{step.probe} healthy for {EVIDENCE_SAMPLES} consecutive checks")
    baseline = baseline_of(state, step.probe)
    readings = [v for v in values if v is not None]
    worst = max(readings)
    shown = format_value(worst, probe.unit)
    if baseline is None:
        if probe.threshold is None:
            latest_shown = format_value(readings[-1], probe.unit)
            return Evidence(None, f"{NO_BASELINE}; {step.probe} {latest_shown}")
        if worst <= probe.threshold:  # not an emergency is not back to normal
            return Evidence(
                None,
                f"{NO_BASELINE}; {step.probe} at most {shown} for {EVIDENCE_SAMPLES} "
                f"samples (under the trigger's {format_value(probe.threshold, probe.unit)})",
            )
        return Evidence(None, _needed(step.probe, probe.unit, probe.threshold, "", readings))
    ceiling = baseline_ceiling(baseline)
    if worst <= ceiling:
        return Evidence(
            True,
            f"{step.probe} {format_value(values[-1], probe.unit)} for {EVIDENCE_SAMPLES} "
            f"consecutive samples (baseline {format_value(baseline, probe.unit)}) at {offset}",
        )
    near = f", near its baseline {format_value(baseline, probe.unit)}"
    return Evidence(False, _needed(step.probe, probe.unit, ceiling, near, readings))


def _needed(probe: str, unit: str, ceiling: float, why: str, readings: Sequence[float]) -> str:
    """The rule a probe's readings are judged by, and where they stand: `error-rate needs
    5 readings in a row at most 5.0%; 3 so far, latest 0.5%`. Quoting the worst of the
    five judged on read as the current reading (a 12.2% from 75 s before, beside a
    panel showing 0.5%)."""
    in_a_row = 0
    for value in reversed(readings):
        if value > ceiling:
            break
        in_a_row += 1
    return (
        f"{probe} needs {EVIDENCE_SAMPLES} readings in a row at most "
        f"{format_value(ceiling, unit)}{why}; {in_a_row} so far, latest "
        f"{format_value(readings[-1], unit)}"
    )


def triggers_still_met(state: IncidentState) -> list[str]:
    """The rollback triggers met now, in runbook order: a probe's as its latest readings
    decide it, a manual one ("core functionality broken") as last marked, with who marked
    it. The team's own mark counts as much as a probe's reading.

    Not `triggers.read_triggers`' MET: that keeps a probe trigger's last recorded mark
    while its readings are mixed, and evidence is judged on what the readings decide now
    (a check made while the error rate settles after the rollback, as the reports'
    scenarios do)."""
    verdicts = probe_verdicts(state)
    met: list[str] = []
    for trigger in state.runbook.triggers:
        if trigger.id in verdicts:
            if verdicts[trigger.id].met:
                met.append(trigger.id)
            continue
        mark = state.triggers.get(trigger.id)
        if mark is not None and mark.met:
            met.append(f"{trigger.id} (marked by {mark.by})")
    return met


def failing_health_check(state: IncidentState, besides: str) -> str:
    """Why "health checks are passing" (the guide's Check Health) does not hold: an HTTP
    health check, other than the probe `besides` (judged on its own samples), whose
    latest reading failed; "" when none did. One failure is enough: the health-failing
    trigger waits for several in a row, the service is not shown healthy meanwhile."""
    for probe in state.runbook.probes:
        if probe.kind != ProbeKind.HTTP or probe.name == besides:
            continue
        samples = state.samples.get(probe.name)
        if samples and not samples[-1].ok:
            latest = samples[-1]
            return f"health check {probe.name} failing: {latest.detail or failure_word(latest)}"
    return ""
