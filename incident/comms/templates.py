"""Communication templates filled from the incident.

The runbook loader has already refused unknown placeholders, so rendering here
only has to supply values; user text in the values is never re-interpreted.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import datetime, timedelta

from incident.core.gates import decision_recorded
from incident.core.limits import TEXT
from incident.core.phase_clocks import (
    current_phase,
    elapsed,
    format_offset,
    next_update_due,
    resolved_at,
)
from incident.core.rollback_step import app_rollback_ran, app_rollback_state, app_rollback_step
from incident.core.state import IncidentState
from incident.core.verification import verification


def _clock_time(moment: datetime) -> str:
    return moment.strftime("%H:%M UTC")


LIVE_PLACEHOLDERS = ("service_now", "version_now")
"""The placeholders read from production (`incident.health.standing`): comms does not
read the probes, so whoever fills a template passes them in
(`incident.reports.message_context`)."""


AFTER_THE_PHASES = "post-mortem"
"""`{phase}` once every phase is finished, or the incident is closed: what comes after
the close-out. It reads right where a phase's title does, in the bundled update's "now
in {phase}" as in "Phase: {phase}"; "close-out complete" read "now in close-out
complete", and a close by force left the phase it was closed in ("rollback resolved,
now in Decision and Communication")."""


def template_context(
    state: IncidentState, now: datetime, live: Mapping[str, str], template: str | None = None
) -> dict[str, str]:
    """Every placeholder a template may use, as text; `live` holds the production
    ones (`LIVE_PLACEHOLDERS`); `template` is the template filled (None: a message
    written as it is, which counts as an update)."""
    eta = "to be confirmed"
    if state.eta_min is not None:
        try:
            eta = _clock_time(state.declared_at + timedelta(minutes=state.eta_min))
        except OverflowError:  # recorded before ETAs were bounded: past the calendar
            eta = f"{state.eta_min:,} minutes after the declaration"
    # closed: no phase is worked in, though one closed by force has steps left open
    phase = None if state.is_closed else current_phase(state, now)
    next_update = next_update_due(state)
    if next_update is not None and moves_cadence(state, template):
        # this message, once sent, moves the cadence on: the next update is owed
        # `every_min` after it, not at the time this one was (an update sent late
        # said "Next update by" a time already past)
        next_update = now + timedelta(minutes=state.runbook.cadence.every_min)
    return {
        "id": state.id,
        "title": state.title,
        "severity": state.severity,
        "issue": state.issue or state.title,
        "eta": eta,
        "commander": state.commander or "unassigned",
        "channel": state.channel or "the incident channel",
        "from_version": state.from_version or "the new release",
        "last_good_version": state.last_good_version or "the last good version",
        "pattern": str(state.pattern) if state.pattern else "unspecified",
        "elapsed": format_offset(elapsed(state, now)),
        # stakeholders never heard of T+0: the clock time, as {next_update} says it
        "time": _clock_time(now),
        "phase": phase.phase.title if phase else AFTER_THE_PHASES,
        "next_update": _clock_time(next_update) if next_update else "none scheduled",
        # "Next update by none scheduled." read as a promise of one (ux_review13 #5)
        "next_update_sentence": (
            f"Next update by {_clock_time(next_update)}."
            if next_update
            else "No further updates are scheduled."
        ),
        "status": status_word(state),
        "rollback_sentence": rollback_sentence(state),
        **{name: live[name] for name in LIVE_PLACEHOLDERS},
    }


def moves_cadence(state: IncidentState, template: str | None) -> bool:
    """Whether a message from `template` moves the update cadence on once sent, as
    `cadence_messages` counts it: not the page to the responders (`to_responders`), nor a
    once-per-incident message sent before. Theirs said the next update was `every_min`
    after them while the clock still owed it at its time."""
    if template is None:
        return True
    if state.runbook.to_responders(template):
        return False
    sent = any(message.template == template for message in state.communications)
    return not (sent and state.runbook.sent_once(template))


def status_word(state: IncidentState) -> str:
    """Where the rollback stands, as `rollback {status}` reads: "being decided" until
    the decision is recorded (`decision_recorded`; an update before it told
    stakeholders a rollback was under way that no one had decided), then "in
    progress" until the application's rollback step is done or skipped
    (`app_rollback_step`), then "done, verifying the service" ("skipped, …") until
    every verification step is checked (`verification`), then "done, service
    verified, resolution to follow", and "resolved" from the resolution on
    (`resolved_at`: the resolution message, else the close, the moment `status` and
    `brief` say "resolved at"). An update after the resolution message said "rollback
    in progress", and so did one after the service was verified (msgwords #1)."""
    if resolved_at(state) is not None:
        return "resolved"
    if not decision_recorded(state):
        return "being decided"
    # no rollback step in the runbook: in progress until the service is verified
    rollback = app_rollback_state(state) if app_rollback_step(state) else "in progress"
    account = verification(state)
    if account.verified:
        if app_rollback_step(state) is None:
            rollback = "done"
        return f"{rollback}, service verified, resolution to follow"
    if rollback == "in progress" or not account.records:
        return rollback
    return f"{rollback}, verifying the service"


def rollback_sentence(state: IncidentState) -> str:
    """What was done, as the resolution says it: "We performed a rollback to 2.4.0."
    once the application's rollback step is done (or the runbook has none, its own
    account); "We ran the rollback to 2.4.0; it is not confirmed yet." while its
    command ran (exit 0, `app_rollback_ran`) and the step is not checked ("…; it was
    never confirmed." once closed); "The rollback to 2.4.0 is not confirmed yet."
    while the step is open and nothing ran; else "No rollback was performed."
    (skipped, or closed without it). The bundled `resolved` said "We performed a
    rollback to …" in fixed text of an incident resolved, or closed by force, with no
    rollback done (msgwords #2); then "No rollback was performed." of one whose
    rollback command had run, or whose step was still open. The guide's "be
    transparent that a rollback was performed" holds when one was."""
    version = state.last_good_version or "the last good version"
    said = app_rollback_state(state)
    if said == "done":
        return f"We performed a rollback to {version}."
    if app_rollback_ran(state) is not None:
        confirmed = "it was never confirmed" if state.is_closed else "it is not confirmed yet"
        return f"We ran the rollback to {version}; {confirmed}."
    if said == "in progress":
        return f"The rollback to {version} is not confirmed yet."
    return "No rollback was performed."


def render_template(text: str, context: dict[str, str]) -> str:
    """Fill `{placeholder}`s; an unknown one is left visible rather than failing.

    The message is cut to what a message can hold (`TEXT`), saying so at its end: a
    template that names `{issue}` eleven times, with a 2,000-character issue, made a
    22,139-character message that no one could record. A `mode: auto` message then
    failed every command that sent it, after that command had recorded its own event.
    """
    out: list[str] = []
    for literal, name, _spec, _conversion in string.Formatter().parse(text):
        out.append(literal)
        if name is not None:
            out.append(context.get(name, "{" + name + "}"))
    return fitted("".join(out))


def fitted(message: str) -> str:
    """`message`, or as much of it as fits in `TEXT` with a line saying it was cut."""
    if len(message) <= TEXT.max_chars:
        return message
    cut = (
        f"\n… (cut here: the template made {len(message):,} characters; "
        f"a message holds at most {TEXT.max_chars:,})"
    )
    return message[: TEXT.max_chars - len(cut)] + cut
