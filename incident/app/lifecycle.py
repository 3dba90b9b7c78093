"""Use cases that begin, rate and end an incident: declare, severity, close."""

from __future__ import annotations

from collections.abc import Collection

from incident import commands
from incident.app.outcome import Done
from incident.app.session import IncidentSession, Session
from incident.app.stability import close_warning
from incident.commands import Declaration as Declaration  # the faces build one to declare
from incident.commands.rules import refuse_if_closed
from incident.core.clock import Clock
from incident.core.errors import CommandError
from incident.core.events import NewEvent
from incident.core.log import EventLog
from incident.core.state import IncidentState
from runbooks.model import Runbook


def declare(
    log: EventLog,
    runbook: Runbook,
    details: Declaration,
    *,
    actor: str,
    clock: Clock,
    incident_id: str | None = None,
    db: str | None = None,
) -> IncidentSession:
    """A new incident in `log`, with the runbook snapshotted into its first event and
    the steps the declaration does recorded done with it, in one append. What was typed
    into the declaration is refused first if it holds a secret the incident knows of
    (`incident.app.typed_secrets`; `db`, the record's location as the face was given it)."""
    from incident.app.typed_secrets import declared_texts, refuse_typed_secrets
    from incident.app.verbs import BY_NAME

    refuse_typed_secrets(runbook, BY_NAME["declare"], declared_texts(details), db=db)
    taken: Collection[str] = log.incident_ids()
    event, *done = declaration_events(
        runbook, details, actor=actor, clock=clock, taken_ids=taken, incident_id=incident_id
    )
    return IncidentSession.declare(log, event, clock, done=done)


def declaration_events(
    runbook: Runbook,
    details: Declaration,
    *,
    actor: str,
    clock: Clock,
    taken_ids: Collection[str] = (),
    incident_id: str | None = None,
) -> list[NewEvent]:
    """What declaring records, for a face that appends it itself (the demo, a drill):
    the declaration, then the checks of the steps it does (`done_by_declaration`:
    the commander named assigns one, the channel named is the channel created)."""
    event = commands.declare(
        runbook, details, actor=actor, clock=clock, taken_ids=taken_ids, incident_id=incident_id
    )
    return [event, *commands.declared_steps(runbook, event)]


def check_declaration(
    runbook: Runbook, details: Declaration, *, actor: str, clock: Clock, db: str | None = None
) -> None:
    """`declare`'s refusals (`CommandError`) before any record is opened: a face that
    creates the record to declare into (the CLI's `--db new.db`) creates none for a
    declaration refused ("started more than 7 days ago" left an empty file behind).
    Only the id taken by another incident is left for `declare` to find."""
    from incident.app.typed_secrets import declared_texts, refuse_typed_secrets
    from incident.app.verbs import BY_NAME

    refuse_typed_secrets(runbook, BY_NAME["declare"], declared_texts(details), db=db)
    commands.declare(runbook, details, actor=actor, clock=clock, taken_ids=())


def severity(session: Session, actor: str, severity: str, *, reason: str = "") -> Done:
    clock = session.clock
    events = session.run_many(
        lambda s: [commands.change_severity(s, severity, reason=reason, actor=actor, clock=clock)]
    )
    from incident.commands.lifecycle import severity_named  # what `sev1` named: SEV1

    return Done(events, f"severity is now {severity_named(severity)}")


def close(session: Session, actor: str, *, force: bool = False, reason: str = "") -> Done:
    """Close; with required steps still open only when forced, with a reason."""
    clock = session.clock
    unsettled = close_warning(session.state, clock.now())
    events = session.run_many(
        lambda s: [commands.close(s, actor=actor, clock=clock, force=force, reason=reason)]
    )
    warned = [f"warning: {unsettled}"] if unsettled is not None else []
    return Done(events, f"closed {session.state.id}", warnings=warned)


def closed_already(state: IncidentState) -> str | None:
    """Why a close is refused before it is asked, in the words the command refuses it
    with (`lastgood close` prints them): the incident is closed. None while it is open."""
    try:
        refuse_if_closed(state)
    except CommandError as refusal:
        return str(refusal)
    return None
