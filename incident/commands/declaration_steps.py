"""The steps a declaration does (review7 F17): `done_by_declaration` in the runbook.

A declaration that names the incident commander has assigned one; one that names the
channel has it created. The runbook says which step each field does
(`runbooks.model.Step.done_by_declaration`), and the declaration records those steps
checked in the same append as itself: by whoever declared, at the declaration's time,
with the reason in the check's note (`done by the declaration: commander Ada`). A step
whose field the declaration left empty stays open.

These are events, not a rule of the fold: a record declared before this existed
has none, and folds, hashes and exports as it did.
"""

from __future__ import annotations

from incident.core.events import NewEvent
from incident.core.payloads import Declared, StepChecked
from incident.core.state import applicable_steps
from runbooks.model import Runbook


def declared_value(declared: Declared, field: str) -> str:
    """The value the declaration gave `field` (one of `DECLARATION_FIELDS`), "" if none."""
    match field:
        case "commander":
            return declared.commander.strip()
        case "channel":
            return declared.channel.strip()
    return ""


def done_by_declaration_note(field: str, value: str) -> str:
    """The reason a step done by the declaration carries: `done by the declaration:
    commander Ada`."""
    return f"done by the declaration: {field} {value}"


def declared_steps(runbook: Runbook, declaration: NewEvent) -> list[NewEvent]:
    """The checks of the steps `declaration` does, in runbook order; [] when it names none
    (or when `declaration` is not a declaration)."""
    data = declaration.data
    if not isinstance(data, Declared):
        return []
    checks: list[NewEvent] = []
    for step in applicable_steps(runbook, data.pattern):
        if step.done_by_declaration is None:
            continue
        value = declared_value(data, step.done_by_declaration)
        if not value:
            continue
        note = done_by_declaration_note(step.done_by_declaration, value)
        checked = StepChecked(step.id, declaration.actor, note)
        checks.append(
            NewEvent(
                incident_id=declaration.incident_id,
                actor=declaration.actor,
                at=declaration.at,
                mono_ns=declaration.mono_ns,
                data=checked,
            )
        )
    return checks
