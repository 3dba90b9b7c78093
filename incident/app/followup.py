"""Post-mortem use cases beside the meeting: contributing factors, action items done,
and the report's own status (draft or reviewed), owner and reviewers.

Open also after close, like the rest of the post-mortem work; the TUI's post-mortem
screen and the CLI call these same functions.
"""

from __future__ import annotations

from collections.abc import Sequence

from incident import commands
from incident.app.outcome import Done
from incident.app.session import Session


def factor(session: Session, actor: str, text: str) -> Done:
    clock = session.clock
    events = session.run_many(
        lambda s: [commands.note_contributing_factor(s, text, actor=actor, clock=clock)]
    )
    return Done(events, "contributing factor recorded")


def action_done(session: Session, actor: str, number: int, *, note: str = "") -> Done:
    clock = session.clock
    events = session.run_many(
        lambda s: [commands.mark_action_done(s, number, actor=actor, clock=clock, note=note)]
    )
    return Done(events, f"action item {number} done")


def report_status(
    session: Session,
    actor: str,
    *,
    status: str | None = None,
    owner: str | None = None,
    reviewers: Sequence[str] | None = None,
) -> Done:
    """Set what is given of the report's status, owner and reviewers; the rest stays."""
    clock = session.clock
    events = session.run_many(
        lambda s: [
            commands.set_report_status(
                s, actor=actor, clock=clock, status=status, owner=owner, reviewers=reviewers
            )
        ]
    )
    document = session.state.document
    said = f"report {document.status}, owner {document.owner}" if document else "report status set"
    return Done(events, said)
