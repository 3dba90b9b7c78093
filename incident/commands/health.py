"""What production says: probe samples, trigger changes, baselines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from incident.commands.rules import make_event, refuse_if_closed, suggestion
from incident.core.clock import Clock
from incident.core.errors import (
    CommandError as CommandError,  # re-exported: callers import it from here
)
from incident.core.events import NewEvent
from incident.core.payloads import BaselineCaptured, ProbeSamples, TriggerChanged
from incident.core.records import UnsetWhere
from incident.core.samples import Sample
from incident.core.state import IncidentState
from incident.health.readings import baseline_from_samples, probe_verdicts
from incident.health.turns import Gone, turn_holder
from runbooks.model import TriggerKind


def mark_trigger(
    state: IncidentState, trigger_id: str, met: bool, *, actor: str, clock: Clock, note: str = ""
) -> NewEvent:
    """A human's judgement on a manual trigger ("core functionality broken")."""
    refuse_if_closed(state)
    trigger = next((t for t in state.runbook.triggers if t.id == trigger_id), None)
    if trigger is None:
        known = [t.id for t in state.runbook.triggers]
        raise CommandError(f"unknown trigger '{trigger_id}'{suggestion(trigger_id, known)}")
    if trigger.kind != TriggerKind.MANUAL:
        raise CommandError(f"trigger '{trigger_id}' is decided by its probe, not by hand")
    current = state.triggers.get(trigger_id)
    if (current.met if current else False) == met:
        raise CommandError(f"trigger '{trigger_id}' is already {'met' if met else 'not met'}")
    detail = note or ("marked met" if met else "marked not met")
    return make_event(
        state.id, actor, clock, TriggerChanged(trigger_id, met, "manual", actor, detail)
    )


def record_samples(
    state: IncidentState,
    samples: Sequence[Sample],
    *,
    actor: str,
    clock: Clock,
    poller: str | None = None,
    gone: Gone | None = None,
    unset: Mapping[str, Sequence[str]] | None = None,
) -> list[NewEvent]:
    """One tick of probe samples, plus any trigger that they turn met or clear.

    Returned together so the store writes them in one transaction. None once the
    incident is closed: a poller that has not heard yet (another process's) records
    nothing after the close. None either while another poller holds the probes' turn
    (`incident.health.turns`): `poller` names who polled them, and the tick says so;
    `gone` tells of a holder known to have stopped. `unset`: the probes `poller` leaves
    out for a `${NAME}` its environment does not set, with those names; the tick says
    so unless the record already has it so for that poller (its first tick does).
    """
    if not samples or state.is_closed:
        return []
    if poller is not None and turn_holder(state, poller, clock.now(), gone) is not None:
        return []
    tick = ProbeSamples(tuple(samples), poller, _news_of_unset(state, poller, unset or {}))
    events = [make_event(state.id, actor, clock, tick)]
    merged: dict[str, list[Sample]] = {name: list(h) for name, h in state.samples.items()}
    for sample in samples:
        merged.setdefault(sample.probe, []).append(sample)
    for trigger_id, verdict in probe_verdicts(state, merged).items():
        if verdict.met is None:
            continue
        mark = state.triggers.get(trigger_id)
        was_met = mark.met if mark else False
        if verdict.met != was_met:
            change = TriggerChanged(trigger_id, verdict.met, "probe", actor, verdict.detail)
            events.append(make_event(state.id, actor, clock, change))
    return events


def _news_of_unset(
    state: IncidentState, poller: str | None, unset: Mapping[str, Sequence[str]]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`unset` as a tick holds it, unless the record already says just that."""
    told = {probe: UnsetWhere(tuple(names), poller) for probe, names in unset.items()}
    if all(state.unset_where.get(probe) == where for probe, where in told.items()):
        return ()
    return tuple(sorted((probe, where.names) for probe, where in told.items()))


def capture_baseline(
    state: IncidentState,
    probe_name: str,
    *,
    actor: str,
    clock: Clock,
    value: float | None = None,
) -> NewEvent:
    """Record a probe's healthy value: given, or the median of its recent samples."""
    refuse_if_closed(state)
    if state.runbook.probe(probe_name) is None:
        names = [p.name for p in state.runbook.probes]
        raise CommandError(f"unknown probe '{probe_name}'{suggestion(probe_name, names)}")
    source = "given"
    if value is None:
        value = baseline_from_samples(state.samples.get(probe_name, []))
        source = "samples"
        if value is None:
            raise CommandError(f"no readings from '{probe_name}' to take a baseline from")
    return make_event(state.id, actor, clock, BaselineCaptured(probe_name, value, source))
