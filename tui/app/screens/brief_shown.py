"""The handoff brief over a screen that shows an incident: the coordinator's `i`, and
the follow view's (attach, and serve's browser view), which records nothing.

One dialog for both (`tui.app.modals.brief.BriefModal`): it only reads, and closes
on Escape, q or i. The lines are the application's (`incident.app.handoff`), the
words `lastgood brief` prints, at the screen's now; who polls production is said as
the screen's Production panel says it (`IncidentView.poll_mark_at`): on the screen
that polls, `polled here`, not its own name as if it were another poller.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import App

from incident.core.state import IncidentState
from incident.health.poll_mark import Marker


def show_brief(app: App[object], state: IncidentState, now: datetime, marked: Marker) -> None:
    """The brief of `state` at `now`, pushed over the screen on top; `marked` says who
    polls production, as the screen knows it."""
    from incident.app.handoff import handoff_brief  # loaded when asked for
    from tui.app.modals.brief import BriefModal

    app.push_screen(BriefModal(handoff_brief(state, now, marked).lines))
