"""The report's root causes (with contributing factors) and trigger sections, and the
rollback criteria that the detection section shows. Each function returns lines.

Every piece of user text goes through `incident.reports.markdown` (escaped inline, or
fenced), so nothing typed during the incident can add a heading, a table cell or
HTML to the report.
"""

from __future__ import annotations

from incident.health.triggers import describe_condition
from incident.reports.analysis import impact_start_known
from incident.reports.context import ReportContext, entry, join_blocks
from incident.reports.markdown import cell, code_span, inline, table
from incident.reports.milestones import dismissed, met_runs
from incident.reports.trigger_view import no_data_words, undecided


def root_causes(ctx: ReportContext) -> list[str]:
    state = ctx.state
    if not state.rca:
        return [
            "## Root Causes",
            "",
            "No preliminary root cause recorded yet: "
            + code_span(f"lastgood rca {state.id} TEXT")
            + ".",
        ]
    entries = [entry(f"{ctx.when(note.at)} · {inline(note.by)}", note.text) for note in state.rca]
    lead = "Preliminary root-cause analysis, as recorded (latest last):"
    return join_blocks([["## Root Causes"], [lead], *entries, _factors(ctx)])


def _factors(ctx: ReportContext) -> list[str]:
    state = ctx.state
    lines = ["### Contributing factors", ""]
    if not state.contributing_factors:
        add = code_span(f"lastgood factor {state.id} TEXT")
        return [*lines, f"No contributing factors recorded yet: {add}."]
    entries = [
        entry(f"{ctx.when(factor.at)} · {inline(factor.by)}", factor.text)
        for factor in state.contributing_factors
    ]
    return join_blocks([["### Contributing factors"], *entries])


def trigger(ctx: ReportContext) -> list[str]:
    """What set the incident off: the release, with when impact began."""
    state = ctx.state
    start = ctx.zone.alongside(state.started_at, date=True)
    if state.from_version:
        release = f"The release of {inline(state.from_version)}"
        if state.last_good_version:
            release += f", replacing {inline(state.last_good_version)}"
        release += f" ({inline(str(state.pattern))} pattern)" if state.pattern else ""
    else:
        release = "The release (its version was not recorded)"
    if impact_start_known(state):
        when = f"Impact started at {start} (T+0), as given at the declaration."
    else:
        when = (
            f"No impact start was given apart from the declaration ({start}, T+0), so times "
            "from the release are not known; declare with the release time as the impact "
            "start to measure them."
        )
    # Not "Trigger", as in the usual template: beside the guide's rollback triggers it
    # read as one of them (review 7 F16).
    lines = ["## What changed", "", f"{release}.", "", when]
    if state.issue:
        lines += ["", f"Reported as: {inline(state.issue)}"]
    return lines


def rollback_criteria(ctx: ReportContext) -> list[str]:
    """The runbook's rollback triggers, when each was first met, and every change.

    A trigger never met is "not met" only when something decided it; one no reading
    decided says "no data", as `status` does (`no data (never polled)` without any
    reading of its probe): a reader took "not met" for an error rate under 5%."""
    state = ctx.state
    no_data = undecided(state)
    decision = ctx.moment("rollback_decision")
    runs = met_runs(state)
    rows = []
    for rule in state.runbook.triggers:
        first = next((run for run in runs if run.trigger == rule.id), None)
        never = no_data_words(state, rule) if rule.id in no_data else "not met"
        reading = " " if first is None else first.met.detail
        if first is not None and dismissed(state, first, decision):  # ux_review16 #3
            cleared = first.cleared
            by = cleared.by if cleared is not None else "?"
            why = f": {cleared.detail}" if cleared is not None and cleared.detail else ""
            at = ctx.offset(cleared.at) if cleared is not None else "?"
            reading = f"{reading}; dismissed by {by} at {at}{why}".removeprefix("; ")
        rows.append(
            [
                cell(rule.title),
                cell(describe_condition(rule)),
                ctx.offset(first.met.at) if first else never,
                cell(first.met.source) if first else " ",
                cell(reading),
            ]
        )
    lines = ["### Rollback criteria", ""]
    if rows:
        headers = ["Rollback trigger", "Condition", "First met", "Source", "Reading"]
        lines += [*table(headers, rows)]
    else:
        lines.append("The runbook defines no rollback triggers.")
    changes = [
        [
            ctx.offset(mark.at),
            ctx.utc(mark.at),
            cell(trigger_id),
            "met" if mark.met else "cleared",
            cell(mark.source),
            cell(mark.by),
            cell(mark.detail),
        ]
        for trigger_id, mark in state.trigger_history
    ]
    lines += ["", "### Rollback criteria changes", ""]
    if changes:
        headers = ["T+", "UTC", "Trigger", "Change", "Source", "By", "Detail"]
        lines += table(headers, changes)
    else:
        lines.append("No trigger changed state during the incident.")
    return lines
