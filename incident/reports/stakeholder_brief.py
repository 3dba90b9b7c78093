"""The incident in one plain paragraph for people outside it (`brief --for stakeholders`).

The commander copies words to a VP every few minutes; the one paragraph that said what
happened was the report's Summary, inside a 320-line Markdown export, in T+ offsets no
one outside the incident has heard of, with Markdown escapes (ux_review13 #15). This is
that summary's facts (`summary_line`, `summary_steps`: the report's own, not a second
account) in clock times, UTC with the report's zone beside it, then how production is
now (`incident.health.standing`) and when the next update comes. Plain text, one
paragraph, control characters made visible; no T+, no Markdown.
"""

from __future__ import annotations

from datetime import UTC, datetime

from incident.comms.templates import status_word
from incident.core.phase_clocks import next_update_due
from incident.core.state import IncidentState
from incident.core.text import visible
from incident.core.timefmt import LocalZone
from incident.health.standing import service_now
from incident.reports.analysis import resolution
from incident.reports.milestones import milestones
from incident.reports.postmortem import summary_line
from incident.reports.summary_facts import summary_steps


def stakeholder_paragraph(state: IncidentState, now: datetime, zone: LocalZone) -> str:
    """`As of 09:20 UTC (10:20 CET): SEV2 Checkout errors: rolled back 2.4.1 to 2.4.0.
    What broke: … Impact started at …; the rollback was decided at …. Production now:
    error rate 0.5% (threshold 5.0%), 2.4.0 running. Next update by 09:40 UTC (10:40
    CET).`"""
    first = state.started_at

    def clock(moment: datetime) -> str:
        return clock_time(zone, moment, first)

    found = milestones(state, [])  # the events only number a noted decision: no words
    moments = {m.key: m for m in found}
    told = [
        f"{step.words} {clock(step.at)}"
        if step.at is not None
        else f"{step.words} ({', '.join(step.skipped)} skipped)"
        for step in summary_steps(state, moments.__getitem__)
    ]
    if resolution(state) is None:
        told.append(f"the rollback is {status_word(state)}")
    sentences = [f"As of {clock(now)}: {summary_line(state)}"]
    if state.issue:
        sentences.append(f"What broke: {_sentence(state.issue)}")
    sentences.append(f"Impact started at {clock(state.started_at)}; " + ", ".join(told) + ".")
    if state.closed_at is not None:  # polling ends with the incident: its last readings
        sentences.append(f"Production at the close, {clock(state.closed_at)}: ")
        sentences[-1] += f"{service_now(state, now)}."
    else:
        sentences.append(f"Production now: {service_now(state, now)}.")
    due = next_update_due(state)
    if due is None:
        sentences.append("No further updates are scheduled.")
    elif due < now:
        sentences.append(f"The next update was due at {clock(due)}.")
    else:
        sentences.append(f"Next update by {clock(due)}.")
    return visible(" ".join(sentences))


def clock_time(zone: LocalZone, moment: datetime, first: datetime) -> str:
    """`09:03 UTC (10:03 CET)`: to the minute, the local time beside UTC where it says
    something UTC does not (`LocalZone`, as the report places them), each with its date
    on a day other than `first`'s."""
    utc = moment.astimezone(UTC)
    said = (
        f"{utc:%H:%M} UTC"
        if utc.date() == first.astimezone(UTC).date()
        else f"{utc:%Y-%m-%d %H:%M} UTC"
    )
    if not zone.differs(moment):
        return said
    local = moment.astimezone(zone.tz)
    same_day = local.date() == first.astimezone(zone.tz).date()
    shown = f"{local:%H:%M}" if same_day else f"{local:%Y-%m-%d %H:%M}"
    return f"{said} ({shown} {local.tzname() or ''})".replace(" )", ")")


def _sentence(text: str) -> str:
    """`text` on one line, ending as a sentence does."""
    flat = " ".join(text.split())
    return flat if flat.endswith((".", "!", "?")) else flat + "."
