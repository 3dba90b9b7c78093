"""The handoff brief over a screen that shows an incident: the coordinator's `i`, and
the follow view's (attach, and serve's browser view), which records nothing.

One dialog for both (`tui.app.modals.brief.BriefModal`): it only reads, and closes
on Escape, q or i. The lines are the application's (`incident.app.handoff`), the
words `lastgood brief` prints, at the screen's now.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import App

from incident.core.state import IncidentState


def show_brief(app: App[object], state: IncidentState, now: datetime) -> None:
    """The brief of `state` at `now`, pushed over the screen on top."""
    from incident.app.handoff import handoff_brief  # loaded when asked for
    from tui.app.modals.brief import BriefModal

    app.push_screen(BriefModal(handoff_brief(state, now).lines))
