"""Use case: the status page updated by hand.

The runbook's page may have no target that posts to it, or its target's delivery may
have failed: then someone updates the page in a browser, and records that they did,
here, from every face (`lastgood status-page`, the TUI's key named where the guidance
names the page). The record then counts the page as updated, by hand
(`incident.comms.status_page.page_update`).
"""

from __future__ import annotations

from incident import commands
from incident.app.outcome import Done
from incident.app.session import Session


def updated_by_hand(session: Session, actor: str, *, note: str = "", by: str = "") -> Done:
    """Record that the status page was updated by hand: by `by` (default the actor), with
    an optional note (what was posted, or where)."""
    clock = session.clock
    events = session.run_many(
        lambda s: [commands.record_page_update(s, actor=actor, clock=clock, by=by, note=note)]
    )
    who = by.strip() or actor
    page = session.state.runbook.status_page
    notes = (
        []
        if page is not None
        else ["the runbook names no status page (status_page:): recorded all the same"]
    )
    return Done(events, f"status page recorded as updated by hand by {who}", notes)
