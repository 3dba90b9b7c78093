"""Rollback triggers as the coordinator sees them: met, not met, or no data yet.

Manual triggers are whatever was last recorded by a person. Probe-backed triggers
are decided from recorded probe readings; until a reading exists they show "no
data", never "not met", so silence is not mistaken for health.
"""

from __future__ import annotations

from enum import StrEnum

from msgspec import Struct

from incident.core.state import IncidentState
from incident.health.readings import probe_verdicts
from runbooks.model import Probe, Trigger, TriggerKind


class TriggerState(StrEnum):
    MET = "met"
    NOT_MET = "not met"
    NO_DATA = "no data"


class TriggerReading(Struct, frozen=True):
    """Where a rollback trigger stands on the latest samples, and why."""

    trigger: Trigger
    state: TriggerState
    detail: str
    pending: bool = False
    """No data to decide by yet, but readings in (`Verdict.pending`)."""


NOT_YET = "not met yet"
"""A probe trigger's standing while its readings are too few to decide it."""


def standing(reading: TriggerReading) -> tuple[str, str]:
    """A trigger's standing in the words every face uses, and its detail: `met`, `not
    met`, `no data` (no reading at all), or `not met yet` with how many readings breach
    (`1 of 3 readings above 5.0% (12.0%): not met yet`). The decision dialog said `? no
    data` beside a panel reading `FAILING 12.0%` (ux_review11 #5); it, `status` and
    `brief` read this."""
    if reading.state is TriggerState.NO_DATA and reading.pending:
        return NOT_YET, reading.detail
    return str(reading.state), reading.detail


def describe_condition(trigger: Trigger) -> str:
    """The rule in words: "error-rate > 0.05 for 3 samples"."""
    match trigger.kind:
        case TriggerKind.METRIC:
            samples = f" for {trigger.for_samples} samples" if trigger.for_samples > 1 else ""
            return f"{trigger.probe} {trigger.op} {trigger.threshold:g}{samples}"
        case TriggerKind.CONSECUTIVE_FAILURES:
            return f"{trigger.count} consecutive failed checks of {trigger.probe}"
    return "judged by the incident team"


def debounce_words(trigger: Trigger, probe: Probe | None) -> str:
    """How long a probe trigger takes to fire once its probe breaches, before it does:
    `3 readings, about 30 s` (the first breaching reading, then two more at the probe's
    interval), `3 failed checks in a row, about 10 s`; `marked by hand` for a manual one.
    The gate and `status` said "Error rate > 5%" and only "for 3 samples" once it fired,
    and a coordinator watching 20% waited on the product (ux_review15 #11)."""
    match trigger.kind:
        case TriggerKind.METRIC:
            count, what = trigger.for_samples, "reading"
        case TriggerKind.CONSECUTIVE_FAILURES:
            count, what = trigger.count or 1, "failed check"
        case _:
            return "marked by hand"
    said = f"{count} {what}" + ("" if count == 1 else "s")
    if trigger.kind is TriggerKind.CONSECUTIVE_FAILURES and count > 1:
        said += " in a row"
    if count == 1 or probe is None:
        return said
    seconds = (count - 1) * probe.interval_s
    about = f"{seconds:g} s" if seconds < 120 else f"{seconds / 60:.3g} min"
    return f"{said}, about {about}"


def read_triggers(state: IncidentState) -> list[TriggerReading]:
    """Each trigger now: probe triggers from live samples, manual ones from their marks."""
    verdicts = probe_verdicts(state)
    readings = []
    for trigger in state.runbook.triggers:
        mark = state.triggers.get(trigger.id)
        if trigger.id in verdicts:
            verdict = verdicts[trigger.id]
            if verdict.met is None:
                if mark is not None:
                    # undecided now: the last recorded transition still stands
                    state_now = TriggerState.MET if mark.met else TriggerState.NOT_MET
                    readings.append(TriggerReading(trigger, state_now, verdict.detail))
                else:
                    detail = verdict.detail or describe_condition(trigger)
                    readings.append(
                        TriggerReading(trigger, TriggerState.NO_DATA, detail, verdict.pending)
                    )
                continue
            state_now = TriggerState.MET if verdict.met else TriggerState.NOT_MET
            readings.append(TriggerReading(trigger, state_now, verdict.detail))
            continue
        if mark is None:
            readings.append(TriggerReading(trigger, TriggerState.NOT_MET, "not marked"))
        else:
            verdict_state = TriggerState.MET if mark.met else TriggerState.NOT_MET
            readings.append(TriggerReading(trigger, verdict_state, mark.detail))
    return readings
