"""An incident's beginning and end: declare, severity, close."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from msgspec import Struct

from incident.commands.rules import make_event, refuse_if_closed
from incident.core.clock import Clock
from incident.core.errors import (
    CommandError as CommandError,  # re-exported: callers import it from here
)
from incident.core.events import LONGEST_SPAN_MIN, NewEvent, truncate_to_millis
from incident.core.names import not_a_person
from incident.core.payloads import Closed, Declared, SeverityChanged
from incident.core.phase_clocks import elapsed, format_offset
from incident.core.state import SEVERITIES, IncidentState
from incident.health.stability import close_waits
from runbooks import runbook_to_data
from runbooks.limits import MAX_WINDOW_MIN
from runbooks.model import DeploymentPattern, Runbook

OLDEST_START = timedelta(minutes=MAX_WINDOW_MIN)
"""How long before its declaration an impact may have started: the longest window a
phase can have (a week). A start further back leaves every phase overdue from the first
frame and every clock in hundreds of hours, which is a mistyped date (1970, last year)
rather than an incident anyone is still rolling back."""


class Declaration(Struct, frozen=True):
    """What the coordinator knows when declaring an incident."""

    title: str
    severity: str
    commander: str
    issue: str = ""
    eta_min: int | None = None
    pattern: str | None = None
    started_at: datetime | None = None
    channel: str = ""
    from_version: str = ""
    last_good_version: str = ""
    drill: str = ""
    """The fault a rehearsal plays (`lastgood drill`); "" for a real incident."""
    coordinator: str = ""
    """The deployment coordinator; "" for the person declaring (the guide's user, who
    declares in most incidents: the role was left vacant all incident long)."""


def new_incident_id(moment: datetime, taken: Collection[str]) -> str:
    """`INC-YYYYMMDD-XXXX`: sortable by day, short enough to type."""
    import secrets  # here, not at the top: only `declare` pays for loading it (5 ms)

    for _ in range(1000):
        candidate = f"INC-{moment:%Y%m%d}-{secrets.token_hex(2).upper()}"
        if candidate not in taken:
            return candidate
    raise CommandError("could not find a free incident id")  # pragma: no cover


def severity_named(text: str) -> str | None:
    """The severity `text` names, in any case (`sev2` is SEV2), or None."""
    severity = text.strip().upper()
    return severity if severity in SEVERITIES else None


def declare(
    runbook: Runbook,
    details: Declaration,
    *,
    actor: str,
    clock: Clock,
    taken_ids: Collection[str] = (),
    incident_id: str | None = None,
) -> NewEvent:
    """The first event of a new incident, with the runbook snapshotted into it.

    `incident_id` is for fixtures and screenshots that need a stable id.
    """
    now = clock.now()
    title = details.title.strip()
    if not title:
        raise CommandError("a title is required", needs=("title",))
    if not details.severity.strip():
        raise CommandError(
            f"a severity is required (choose {', '.join(SEVERITIES)})", needs=("severity",)
        )
    severity = severity_named(details.severity)
    if severity is None:
        raise CommandError(
            f"unknown severity '{details.severity}' (choose {', '.join(SEVERITIES)})",
            needs=("severity",),
        )
    if not details.commander.strip():
        raise CommandError("an incident commander is required", needs=("commander",))
    if problem := not_a_person(details.commander):
        raise CommandError(f"the incident commander: {problem}", needs=("commander",))
    if details.eta_min is not None and not 0 <= details.eta_min <= LONGEST_SPAN_MIN:
        raise CommandError(
            f"ETA must be from 0 to {LONGEST_SPAN_MIN:,} minutes (a year)", needs=("eta",)
        )
    coordinator = details.coordinator.strip()
    if coordinator and (problem := not_a_person(coordinator)):
        raise CommandError(f"the deployment coordinator: {problem}", needs=("coordinator",))
    if not coordinator and not not_a_person(actor):
        coordinator = actor
    pattern = _pattern(runbook, details.pattern)
    started_at = None
    if details.started_at is not None:
        if details.started_at.tzinfo is None:
            raise CommandError(
                "the impact start needs a timezone, e.g. 2026-11-28T13:02:00Z",
                needs=("started_at",),
            )
        if details.started_at > now + timedelta(seconds=5):
            raise CommandError("the impact cannot start in the future", needs=("started_at",))
        if details.started_at < now - OLDEST_START:
            raise CommandError(
                f"the impact cannot start more than {OLDEST_START.days} days ago "
                "(the longest phase window)",
                needs=("started_at",),
            )
        started_at = truncate_to_millis(details.started_at)
    if incident_id is None:
        incident_id = new_incident_id(now, taken_ids)
    elif incident_id in taken_ids:
        raise CommandError(f"incident id '{incident_id}' is taken")
    declared = Declared(
        title=title,
        severity=severity,
        commander=details.commander.strip(),
        runbook_id=runbook.id,
        runbook_source=runbook.source,
        runbook=runbook_to_data(runbook),
        issue=details.issue.strip(),
        eta_min=details.eta_min,
        pattern=pattern,
        started_at=started_at,
        channel=details.channel.strip(),
        from_version=details.from_version.strip(),
        last_good_version=details.last_good_version.strip(),
        drill=details.drill,
        coordinator=coordinator,
    )
    return make_event(incident_id, actor, clock, declared)


def _pattern(runbook: Runbook, name: str | None) -> DeploymentPattern | None:
    known = [info.id for info in runbook.patterns]
    if name is None:
        return runbook.default_pattern or (known[0] if known else None)
    try:
        pattern = DeploymentPattern(name)
    except ValueError:
        allowed = ", ".join(p.value for p in DeploymentPattern)
        raise CommandError(
            f"unknown deployment pattern '{name}' (choose {allowed})", needs=("pattern",)
        ) from None
    if known and pattern not in known:
        allowed = ", ".join(p.value for p in known)
        raise CommandError(
            f"runbook '{runbook.id}' has no '{name}' pattern (choose {allowed})",
            needs=("pattern",),
        )
    return pattern


def change_severity(
    state: IncidentState, severity: str, *, reason: str, actor: str, clock: Clock
) -> NewEvent:
    refuse_if_closed(state)
    named = severity_named(severity)
    if named is None:
        raise CommandError(f"unknown severity '{severity}' (choose {', '.join(SEVERITIES)})")
    severity = named
    if severity == state.severity:
        raise CommandError(f"the incident is already {severity}")
    return make_event(state.id, actor, clock, SeverityChanged(severity, state.severity, reason))


def close(
    state: IncidentState, *, actor: str, clock: Clock, force: bool = False, reason: str = ""
) -> NewEvent:
    """Close the incident; open required steps need `force` and a reason, and so does
    a service not stable (a rollback trigger met, the bad release running), which the
    close then records (ux_review15 #2). The rule is `close_waits`, which `list` reads."""
    refuse_if_closed(state)
    waits = close_waits(state, clock.now())  # the guide: "Once the service is stable"
    if not waits.ready and not (force and reason.strip()):
        raise CommandError(
            "; ".join(waits.reasons) + "; closing anyway needs force and a reason",
            needs=("force", "reason"),
        )
    if force and not reason.strip():
        raise CommandError("a forced close needs a reason", needs=("reason",))
    closed = Closed(
        reason=reason.strip(),
        forced=bool(force and waits.open_steps),
        open_required_steps=waits.open_steps,
        elapsed=format_offset(elapsed(state, clock.now())),
        unstable=waits.held or "",
    )
    return make_event(state.id, actor, clock, closed)
