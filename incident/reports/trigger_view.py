"""The rollback triggers as `status` and `brief` say them, one way.

The coordinator's screen shows each trigger as met, not met or "no data"; `brief`
said the same, and `status`, the command scripts and a second terminal ask most
often, said nothing of the triggers at all. A trigger that no reading has decided
yet says "no data", never "not met": silence is not health; and when the record holds
no reading at all of its probe, says why, by the rule every face follows
(`incident.health.no_reading`): `no data (not polled: default URL)`, `no data (not
polled yet)`, `no data (never polled)` once closed. The report's rollback criteria say
it in the same words.
"""

from __future__ import annotations

from incident.core.events import JSONValue, format_timestamp
from incident.core.gates import decision_gate
from incident.core.phase_clocks import t_plus
from incident.core.records import TriggerMark
from incident.core.state import IncidentState
from incident.health.no_reading import no_reading_named
from incident.health.triggers import NOT_YET, TriggerState, debounce_words, read_triggers, standing
from runbooks.guide_frame import runbooks_own_approval, runbooks_own_trigger
from runbooks.model import Runbook, Trigger, TriggerKind


def trigger_parts(state: IncidentState) -> list[str]:
    """Each trigger in a few words: `error-rate MET since T+02:10, 12% > 5%`,
    `core-broken not met`, `health-failing no data`; `none defined` without any. A
    trigger marked by hand names who: `core-broken MET since T+01:41 by Bo, …`,
    `core-broken not met (met once by Bo at T+01:41, cleared by Cy at T+01:42)`."""
    now = {r.trigger.id: r for r in read_triggers(state)}
    no_data = {i for i, r in now.items() if r.state is TriggerState.NO_DATA}
    parts: list[str] = []
    for trigger in state.runbook.triggers:
        mark = state.triggers.get(trigger.id)
        if mark is not None and mark.met:
            detail = f", {mark.detail}" if mark.detail else ""
            since = t_plus(state, mark.at)
            parts.append(f"{trigger.id} MET since {since}{_by(mark)}{detail}")
        elif trigger.id in no_data:
            word, detail = standing(now[trigger.id])  # the decision dialog's words too
            words = detail if word == NOT_YET else no_data_words(state, trigger)
            parts.append(f"{trigger.id} {words}")
        else:
            by = _by(mark)
            cleared = f"cleared{by} at {t_plus(state, mark.at)}" if mark and by else ""
            said = [said for said in (met_before(state, trigger.id), cleared) if said]
            parts.append(f"{trigger.id} not met" + (f" ({', '.join(said)})" if said else ""))
    return parts or ["none defined"]


def _by(mark: TriggerMark | None) -> str:
    """` by Bo`: who marked a manual trigger (a probe's flip is its samples', not a
    person's); the next commander's brief named nobody, though two people had marked
    core-broken met and cleared a second apart (ux_review6 finding 2)."""
    return f" by {mark.by}" if mark is not None and mark.source == "manual" and mark.by else ""


def met_before(state: IncidentState, trigger_id: str) -> str | None:
    """How often a trigger not met now was met before, and when last: `met 8 times,
    last at T+05:00`, `met once, at T+00:08`, and by whom for a mark by hand (`met once
    by Bo at T+01:41`); None if never (or met now).

    A flapping health check read "not met" between two flaps, in the decision dialog
    and `status`, though it had been met eight times in five minutes (a fresh user's
    review): the decision is about the trend, not the last sample."""
    mark = state.triggers.get(trigger_id)
    if mark is not None and mark.met:
        return None
    met = [m for trigger, m in state.trigger_history if trigger == trigger_id and m.met]
    if not met:
        return None
    by, at = _by(met[-1]), t_plus(state, met[-1].at)
    if len(met) == 1:
        return f"met once{by} at {at}" if by else f"met once, at {at}"
    return f"met {len(met)} times, last{by} at {at}"


def trigger_data(state: IncidentState) -> list[JSONValue]:
    """Each trigger as data: `met` as recorded (a boolean), `state` as the screen
    says it (`met`, `not met` or `no data`), and `reason`, why a `no data` trigger's
    probe has no reading, in the words the text says in brackets (`unpolled`: `not
    polled: default URL`, `not polled yet`, ...); null otherwise."""
    no_data = undecided(state)
    found: list[JSONValue] = []
    for trigger in state.runbook.triggers:
        mark = state.triggers.get(trigger.id)
        met = mark.met if mark else False
        if met:
            shown = TriggerState.MET
        elif trigger.id in no_data:
            shown = TriggerState.NO_DATA
        else:
            shown = TriggerState.NOT_MET
        reason = unpolled(state, trigger) if shown is TriggerState.NO_DATA else None
        found.append(
            {
                "id": trigger.id,
                "title": trigger.title,
                "met": met,
                "state": str(shown),
                "since": format_timestamp(mark.at) if mark else None,
                "detail": mark.detail if mark else "",
                "reason": reason,
            }
        )
    return found


def unpolled(state: IncidentState, trigger: Trigger) -> str | None:
    """Why a probe trigger has no reading to go by, when the record holds none of its
    probe (`no_reading`, as a face that polls nothing says it): "never polled" (the
    incident closed), "not polled: default URL", "not polled yet"; None for a manual
    trigger, or once its probe has a reading."""
    if trigger.kind == TriggerKind.MANUAL or trigger.probe is None:
        return None
    why = no_reading_named(state, trigger.probe)
    return str(why) if why is not None else None


def no_data_words(state: IncidentState, trigger: Trigger) -> str:
    """A trigger no reading has decided, in words: `no data`, with why when its probe
    was never polled (`no data (never polled)`)."""
    why = unpolled(state, trigger)
    return f"{TriggerState.NO_DATA} ({why})" if why else str(TriggerState.NO_DATA)


def undecided(state: IncidentState) -> set[str]:
    """The triggers that say "no data" now: probe triggers no reading has decided."""
    return {r.trigger.id for r in read_triggers(state) if r.state is TriggerState.NO_DATA}


RUNBOOKS_OWN = "the runbook's own, not the guide's"
"""A trigger, role or approval the runbook adds to the guide's (`runbooks.guide_frame`),
said so that a sign-off sees which rules are the guide's and which the team's
(ux_review15 #11, #13)."""


def trigger_rule(runbook: Runbook, trigger: Trigger) -> str:
    """How `trigger` fires, before it does (`debounce_words`), and `the runbook's own`
    for one the guide does not name: `3 failed checks in a row, about 10 s; the
    runbook's own, not the guide's`."""
    said = debounce_words(trigger, runbook.probe(trigger.probe or ""))
    return f"{said}; {RUNBOOKS_OWN}" if runbooks_own_trigger(trigger) else said


def rule_parts(runbook: Runbook) -> list[str]:
    """`status`'s `trigger rules:` line, one part per trigger: `error-rate 3 readings,
    about 30 s`."""
    return [
        f"{trigger.id} {debounce_words(trigger, runbook.probe(trigger.probe or ''))}"
        for trigger in runbook.triggers
    ]


def approval_rule(state: IncidentState) -> str:
    """`runbook's rule: the incident commander approves`, for a decision gate with an
    approver (the guide names one approval only, leadership's, for a backup restore);
    "" without one. The gate asked for the commander's word as though the guide did
    (ux_review15 #13)."""
    gate = decision_gate(state)
    if gate is None or not runbooks_own_approval(gate.step) or gate.step.approver is None:
        return ""
    who = gate.step.approver.replace("-", " ")
    return f"runbook's rule: the {who} approves"


def role_said(state: IncidentState, role: str) -> str:
    """A role and who holds it, as `brief`'s Roles line lists it: `incident-commander
    Ada`, `comms-lead (vacant)`. A role the runbook adds is no departure from the guide,
    which names none but the coordinator, the commander and leadership (ux_review17
    #12), so it is not marked."""
    holder = state.roles.get(role)
    return f"{role} {holder}" if holder else f"{role} (vacant)"
