"""The rollback triggers as `status` and `brief` say them, one way.

The coordinator's screen shows each trigger as met, not met or "no data"; `brief`
said the same, and `status`, the command scripts and a second terminal ask most
often, said nothing of the triggers at all. A trigger that no reading has decided
yet says "no data", never "not met": silence is not health.
"""

from __future__ import annotations

from incident.core.events import JSONValue, format_timestamp
from incident.core.phase_clocks import t_plus
from incident.core.state import IncidentState
from incident.health.triggers import TriggerState, read_triggers


def trigger_parts(state: IncidentState) -> list[str]:
    """Each trigger in a few words: `error-rate MET since T+02:10, 12% > 5%`,
    `core-broken not met`, `health-failing no data`; `none defined` without any."""
    no_data = _undecided(state)
    parts: list[str] = []
    for trigger in state.runbook.triggers:
        mark = state.triggers.get(trigger.id)
        if mark is not None and mark.met:
            detail = f", {mark.detail}" if mark.detail else ""
            since = t_plus(state, mark.at)
            parts.append(f"{trigger.id} MET since {since}{detail}")
        elif trigger.id in no_data:
            parts.append(f"{trigger.id} no data")
        else:
            parts.append(f"{trigger.id} not met")
    return parts or ["none defined"]


def trigger_data(state: IncidentState) -> list[JSONValue]:
    """Each trigger as data: `met` as recorded (a boolean), and `state` as the screen
    says it (`met`, `not met` or `no data`)."""
    no_data = _undecided(state)
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
        found.append(
            {
                "id": trigger.id,
                "title": trigger.title,
                "met": met,
                "state": str(shown),
                "since": format_timestamp(mark.at) if mark else None,
                "detail": mark.detail if mark else "",
            }
        )
    return found


def _undecided(state: IncidentState) -> set[str]:
    return {r.trigger.id for r in read_triggers(state) if r.state is TriggerState.NO_DATA}
