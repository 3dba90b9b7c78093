"""The poller's end, and the next poller, as news on the screens that do not poll.

When the screen that polled production stops (killed with its SSH session) nobody
watches production and the person typing may be gone: the most urgent thing that can
happen mid-rollback for whoever follows. `status` said it ("production: not polled
since T+08:11; Eve Engineer's screen (pid 13959 on vm) stopped"); attach said `not p…`
at the foot of its Production panel at 46 columns, and nothing else (ux_review13 #9).

So the follow view and the coordinator's screens that do not poll say it once, in a
toast, in the panel's words (`incident.health.poll_mark.poll_words`), and once again
when a poller takes the turn ("Polling again, from Cy's monitor (pid 7 on db-2)").
Whether a poller stopped is the application's rule, read on the view's mark
(`IncidentView.poll_mark`: the turn's lapse, and `incident.app.pollers.poller_gone`
for a poller of this machine whose process has ended); here only its changes.

Not news: a mark that was so when the screen opened (the panel says it); a record
that does not answer (`PollMark.away`: the read's own toast says so, and a poller
may well go on); the first poll of an incident, which ends nothing. A screen that
polls says who took the turn itself (`incident.app.probe_turn.ProbeTurn.news`).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from incident.core.state import IncidentState
from incident.core.text import visible
from incident.health.poll_mark import Polling, PollMark, poll_words
from incident.health.turns import UNNAMED_POLLER
from tui.app.plain import PlainToasts
from tui.app.screens.announcements import Toast

UNWATCHED_TITLE = "Nobody polls production"
POLLING_AGAIN_TITLE = "Production polled again"
UNWATCHED_S = 60.0
"""How long the poller's end stays up, unless polling resumes first (its toast then
takes this one down): the panel says it meanwhile, and after."""


class PollerNews:
    """The last mark seen, and whether its poller's end was said."""

    def __init__(self) -> None:
        self._seen: Polling | None = None
        self._told_stopped = False

    def toast(self, mark: PollMark | None, state: IncidentState) -> Toast | None:
        """The toast the change to `mark` deserves, if any (None: nothing to poll)."""
        if mark is None or mark.away or mark.polling is Polling.NEVER:
            return None
        seen, self._seen = self._seen, mark.polling
        if mark.polling is Polling.LAPSED:
            if seen in (Polling.HERE, Polling.ELSEWHERE):
                self._told_stopped = True
                words = poll_words(mark, state)
                return words[:1].upper() + words[1:], UNWATCHED_TITLE, "error", UNWATCHED_S
            return None
        if not self._told_stopped:
            return None
        self._told_stopped = False
        where = "here" if mark.here else visible(mark.poller or UNNAMED_POLLER)
        return f"Polling again, from {where}", POLLING_AGAIN_TITLE, "information", 10


def say_polling(screen: Screen[Any], toast: Toast) -> None:
    """Say `toast`, taking down the one it answers: polling resumed ends the news of
    its end, and the other way round."""
    text, title, severity, timeout = toast
    app = screen.app
    if isinstance(app, PlainToasts):
        app.withdraw(UNWATCHED_TITLE if title == POLLING_AGAIN_TITLE else POLLING_AGAIN_TITLE)
    screen.notify(text, title=title, severity=severity, timeout=timeout)
