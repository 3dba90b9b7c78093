"""Who polls production at a moment, and the words every face says it in.

A second poller of an incident finds another holding the probes' turn
(`incident.health.turns`) and says so once, in a toast or a line. After that, a
coordinator looking at the Production panel, or running `lastgood status ID`, could
not tell whether the readings came from this screen, a `monitor` on another machine,
or nobody any more. The mark is read on the `last_poll` the state already folds, by
the turn's own rule (`turn_lapsed`): the last tick's poller polls until its ticks are
older than the turn's lapse, then nobody does. The words are built here once, for the
panel (fitted to its width) and for `status`.

Replay does not ask whether a poller's process has ended (`turns.Gone`): it shows a
recorded moment, and whether a process runs now says nothing of then. A live view
asks, as the takeover does: a screen restarted after `kill -9` said "polled by Sam's
screen, T+01:32" of the screen just killed, until its own poller's first tick (review11
#9); a poller of this machine whose process has ended reads "stopped" at once. One
elsewhere reads so once its turn lapses.

A view whose record does not answer (the database down, the file gone) reads no tick
either, and its pollers may well poll on: the child of the coordinator's screen went
on polling through a PostgreSQL outage while the panel said "polling here stopped"
(ux_review4 finding 13). A view says so (`away`), and the words say what is known:
the readings are not being recorded here, or not read, because the record is
unreachable.

Poller names come from other machines' records: the words show them with every
control character made visible, and the faces draw them as text, never markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from msgspec import Struct

from incident.core.clipping import clipped
from incident.core.phase_clocks import t_plus
from incident.core.state import IncidentState
from incident.core.text import visible
from incident.health.no_reading import unread_words
from incident.health.turns import UNNAMED_POLLER, Gone, turn_lapsed

WHERE = re.compile(r" \(pid ([0-9]{1,10}) on ([^()]*)\)\Z")
"""How a poller's name ends when it says where it runs: the process and the machine
(`incident.app.pollers.poller_name`)."""
UNREACHABLE = "the record is unreachable"
"""Why no tick is read while the view's record does not answer."""
CUT_AT_LEAST = 4
"""Characters a poller's name is cut to at the least (three and an ellipsis)."""


class Polling(StrEnum):
    """Where the probes' readings come from."""

    NEVER = "never"
    """No tick recorded yet."""
    HERE = "here"
    """This process's poller (the screen, or its child) holds the turn."""
    ELSEWHERE = "elsewhere"
    """Another poller holds the turn."""
    LAPSED = "lapsed"
    """The last poller's ticks stopped: its turn lapsed, and nobody polls."""


class PollMark(Struct, frozen=True):
    """Who polls production at a moment (`poll_mark`)."""

    polling: Polling
    poller: str | None = None
    """The last tick's poller as its tick names it (None: unnamed, or no tick)."""
    at: datetime | None = None
    """When the last tick was recorded (None: no tick)."""
    here: bool = False
    """Whether the last tick's poller runs in this process."""
    away: bool = False
    """Whether the view's record did not answer its last read: no tick could be read
    since, whoever polls."""


Marker = Callable[[IncidentState, datetime], PollMark | None]
"""Who polls production at a moment, as a face knows it: `poll_mark` itself where
nothing is known of the pollers' processes (replay, the export: a recorded moment);
the application's reading where a process's end is known (`incident.app.pollers.
live_mark`: `status`, `brief`), or a screen's own (`IncidentView.poll_mark_at`:
this process polls). The reports say production through it, so the text, the JSON
and `status --check-polled` agree."""


def poller_where(name: str) -> tuple[str, int, str] | None:
    """A poller's name as who, process and machine; None if it does not say where."""
    where = WHERE.search(name)
    if where is None:
        return None
    return name[: where.start()], int(where.group(1)), where.group(2)


def poll_mark(
    state: IncidentState,
    now: datetime,
    here: Callable[[str], bool] | None = None,
    *,
    away: bool = False,
    gone: Gone | None = None,
) -> PollMark | None:
    """Who polls the incident's probes at `now`, by the turn's rule; `here` tells a
    poller of this process by its name; `away`: the view's record does not answer;
    `gone` tells a poller whose process has ended (a live view's, never replay's).
    None when there is nothing to poll: no probes, or the incident is closed (its
    pollers stop at the close)."""
    if not state.runbook.probes or state.is_closed:
        return None
    last = state.last_poll
    if last is None:
        return PollMark(Polling.NEVER)
    mine = last.poller is not None and here is not None and here(last.poller)
    if turn_lapsed(state, now, gone):
        polling = Polling.LAPSED
    else:
        polling = Polling.HERE if mine else Polling.ELSEWHERE
    return PollMark(polling, last.poller, last.at, mine, away)


def poll_words(
    mark: PollMark, state: IncidentState, fits: Callable[[str], bool] | None = None
) -> str:
    """`mark` in words: whole, or (given `fits`) the longest of its forms that fits,
    the poller's name cut in the shortest if need be; the shortest form if none does.

    `polled by Ada's monitor (pid 4242 on bastion), last tick T+12:03`, `polled here`,
    `not polled since T+12:03; Ada's monitor (pid 4242 on bastion) stopped`,
    `not polled yet` (or why not, as every face says it: `not polled: default URL`,
    `unread_words`); while the record does not answer, `not recorded since T+12:03;
    the record is unreachable` (this process's poller) or `no tick read since T+12:03;
    the record is unreachable` (another's), not that anyone stopped."""
    if mark.polling is Polling.NEVER or mark.at is None:
        return unread_words(state)
    if mark.polling is Polling.HERE:
        return "polled here"
    tick = t_plus(state, mark.at)
    since = f"not polled since {tick}"
    if mark.polling is Polling.LAPSED and mark.away:
        unknown = f"not recorded since {tick}" if mark.here else f"no tick read since {tick}"
        away = f"{unknown}; {UNREACHABLE}"
        return away if fits is None or fits(away) else unknown
    if mark.polling is Polling.LAPSED and mark.here:
        stopped = f"{since}; polling here stopped"
        return stopped if fits is None or fits(stopped) else since
    name = visible(mark.poller) if mark.poller is not None else None
    where = poller_where(name) if name is not None else None
    who = where[0] if where is not None else name
    if mark.polling is Polling.ELSEWHERE:
        named, whom = name or UNNAMED_POLLER, who or UNNAMED_POLLER
        return _fitted(
            [f"polled by {named}, last tick {tick}", f"polled by {whom}, last tick {tick}"],
            lambda cut: f"polled by {cut}, {tick}",
            whom,
            fits,
            least=f"polled by {clipped(whom, CUT_AT_LEAST)}, {tick}",
        )
    if name is None or who is None:
        return since
    return _fitted(
        [f"{since}; {name} stopped", f"{since}; {who} stopped"],
        lambda cut: f"{since} ({cut})",
        who,
        fits,
        least=since,
    )


def _fitted(
    whole: list[str],
    cut: Callable[[str], str],
    who: str,
    fits: Callable[[str], bool] | None,
    *,
    least: str,
) -> str:
    """The first of `whole` that fits; else `cut` of `who`, cut to the most characters
    that fit (`CUT_AT_LEAST` at the least); else `least`. With no `fits`, the first."""
    if fits is None:
        return whole[0]
    for words in whole:
        if fits(words):
            return words
    for room in range(len(who), CUT_AT_LEAST - 1, -1):
        if fits(words := cut(clipped(who, room).replace(" …", "…"))):
            return words
    return least


def production_words(
    state: IncidentState, now: datetime, marked: Marker | None = None
) -> str | None:
    """Who polls production at `now`, whole, as `status`'s `production:` line and
    `brief`'s `Production:` line both say it (`marked`, else `poll_mark`; `poll_words`):
    a screen that stopped is named there (`not polled since T+08:11; Eve's screen (pid
    13959 on vm) stopped`), not left as an ageing `(stale 1m05s)` beside the readings.
    None when there is nothing to poll."""
    mark = (marked or poll_mark)(state, now)
    return None if mark is None else poll_words(mark, state)
