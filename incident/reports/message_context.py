"""The values a message template is filled with: the incident's, and production's.

`incident.comms.templates` fills the incident's placeholders and does not read the
probes (comms and health are independent); the production ones (`{service_now}`,
`{version_now}`) come from `incident.health.standing`. Everything that writes a
message from a template asks here, so every face fills the same words.
"""

from __future__ import annotations

from datetime import datetime

from incident.comms.templates import render_template, template_context
from incident.core.state import IncidentState
from incident.health.standing import service_now, version_now


def message_context(
    state: IncidentState, now: datetime, template: str | None = None
) -> dict[str, str]:
    """Every placeholder a template may use, as text, at `now`, for a message from
    `template` (whether it moves the update cadence decides `{next_update}`)."""
    return template_context(state, now, _production(state, now), template)


def rendered_templates(state: IncidentState, now: datetime) -> dict[str, str]:
    """Each of the runbook's templates, filled at `now`, by name."""
    live = _production(state, now)
    return {
        name: render_template(text, template_context(state, now, live, name))
        for name, text in state.runbook.templates
    }


def _production(state: IncidentState, now: datetime) -> dict[str, str]:
    """The placeholders read from production (`LIVE_PLACEHOLDERS`)."""
    return {"service_now": service_now(state, now), "version_now": version_now(state, now)}
