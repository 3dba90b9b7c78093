"""Commands: decide whether something may happen, and say what happened.

Each command takes the current state and returns the events to record, or raises
`CommandError` with a message fit to show the coordinator as it is. A refused
command records nothing. One module per area of the guide; every command is
re-exported here, so callers write `commands.check_step(...)`.

An area's module is imported when one of its commands is first asked for: `lastgood
note` needs the people module, not the declaration's, the impact's or the release
changes' and the reports those import (regular expressions compiled at import
among them).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from incident.core.errors import CommandError

if TYPE_CHECKING:
    from incident.commands.changes import record_changes
    from incident.commands.declaration_steps import declared_steps
    from incident.commands.health import capture_baseline, mark_trigger, record_samples
    from incident.commands.impact import ImpactQueries, impact_queries, record_impact
    from incident.commands.lifecycle import (
        Declaration,
        change_severity,
        close,
        declare,
        new_incident_id,
    )
    from incident.commands.messages import (
        auto_send,
        compose_message,
        decline,
        record_overdue_update,
        record_page_update,
        send_communication,
        send_due,
    )
    from incident.commands.people import add_note, assign_role, hand_off, record_page, set_channel
    from incident.commands.postmortem import (
        add_action_item,
        mark_action_done,
        note_contributing_factor,
        note_lesson,
        note_rca,
        schedule_postmortem,
        set_report_status,
    )
    from incident.commands.steps import (
        OUTPUT_TAIL_CHARS,
        approve,
        check_step,
        choose_database_tier,
        command_for,
        record_command,
        reopen_step,
        skip_step,
    )

AREAS: dict[str, tuple[str, ...]] = {
    "changes": ("record_changes",),
    "declaration_steps": ("declared_steps",),
    "health": ("capture_baseline", "mark_trigger", "record_samples"),
    "impact": ("ImpactQueries", "impact_queries", "record_impact"),
    "lifecycle": ("Declaration", "change_severity", "close", "declare", "new_incident_id"),
    "messages": (
        "auto_send",
        "compose_message",
        "decline",
        "record_overdue_update",
        "record_page_update",
        "send_communication",
        "send_due",
    ),
    "people": ("add_note", "assign_role", "hand_off", "record_page", "set_channel"),
    "postmortem": (
        "add_action_item",
        "mark_action_done",
        "note_contributing_factor",
        "note_lesson",
        "note_rca",
        "schedule_postmortem",
        "set_report_status",
    ),
    "steps": (
        "OUTPUT_TAIL_CHARS",
        "approve",
        "check_step",
        "choose_database_tier",
        "command_for",
        "record_command",
        "reopen_step",
        "skip_step",
    ),
}
"""Each module of this package and the commands it gives, imported on first use."""

_HOME = {name: area for area, names in AREAS.items() for name in names}

__all__ = [
    "OUTPUT_TAIL_CHARS",
    "CommandError",
    "Declaration",
    "ImpactQueries",
    "add_action_item",
    "add_note",
    "approve",
    "assign_role",
    "auto_send",
    "capture_baseline",
    "change_severity",
    "check_step",
    "choose_database_tier",
    "close",
    "command_for",
    "compose_message",
    "declare",
    "declared_steps",
    "decline",
    "hand_off",
    "impact_queries",
    "mark_action_done",
    "mark_trigger",
    "new_incident_id",
    "note_contributing_factor",
    "note_lesson",
    "note_rca",
    "record_changes",
    "record_command",
    "record_impact",
    "record_overdue_update",
    "record_page",
    "record_page_update",
    "record_samples",
    "reopen_step",
    "schedule_postmortem",
    "send_communication",
    "send_due",
    "set_channel",
    "set_report_status",
    "skip_step",
]


def __getattr__(name: str) -> object:
    area = _HOME.get(name)
    if area is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{area}"), name)
    globals()[name] = value  # asked once: later lookups find it as any attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
