"""Replay: the incident as it was at any moment, from the same fold as live.

The state at a moment is the fold of the events recorded up to it, so replay
cannot disagree with what the coordinator saw. Seeking forwards a little applies
only the new events; seeking backwards, or far forwards, restarts from the nearest
checkpoint before the target.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from incident.core.chain import ChainReport
from incident.core.events import Event
from incident.core.folding import Fold, Item, copy_state, fold_items
from incident.core.phase_clocks import format_offset
from incident.core.recording import CHECKPOINT_EVERY, Recording
from incident.core.state import IncidentState, fold, new_state, t0_of

__all__ = [
    "CHECKPOINT_EVERY",
    "ReadOnlyReplay",
    "Recording",
    "ReplayClock",
    "ReplaySession",
    "Replayer",
    "parse_offset",
    "replay_moment",
    "state_at",
    "state_at_items",
]

_OFFSET = re.compile(r"^\s*(?:T\s*)?\+?\s*(?:([0-9]+):)?([0-9]{1,3}):([0-9]{2})\s*$")
MAX_OFFSET_HOURS = 99_999
"""Past this (eleven years) an offset is a slip of the keyboard, and its datetime overflows."""


def parse_offset(text: str) -> timedelta:
    """`T+MM:SS`, `T+H:MM:SS`, `MM:SS` (also without `T+`) as a duration after T+0."""
    match = _OFFSET.match(text)
    if match is None:
        raise ValueError(f"'{text}' is not an offset like T+12:30 or T+1:02:00")
    hours, minutes, seconds = match.groups()
    if int(seconds) >= 60:
        raise ValueError(f"'{text}': seconds must be below 60")
    if hours is not None and int(minutes) >= 60:
        raise ValueError(f"'{text}': minutes must be below 60 after hours")
    if hours is not None and (len(hours) > 5 or int(hours) > MAX_OFFSET_HOURS):
        raise ValueError(f"'{text}': at most {MAX_OFFSET_HOURS:,} hours")
    return timedelta(hours=int(hours or 0), minutes=int(minutes), seconds=int(seconds))


def replay_moment(started_at: datetime, offset: timedelta, now: datetime) -> datetime:
    """T+0 plus `offset`, if that moment has come by `now`: past it, a replay would show
    a future that never happened, every open window OVERDUE and every reading stale.

    The one bound of `replay --at` and of the replay screen's Go to; `now` is when the
    record was read, which it knows nothing after.
    """
    t0 = t0_of(started_at)
    moment = t0 + offset
    if moment > now:
        at = format_offset(max(now - t0, timedelta(0)))
        raise ValueError(f"that moment has not come yet (it is {at} now)")
    return moment


def state_at(events: Sequence[Event], moment: datetime) -> IncidentState:
    """The fold of every event recorded at or before `moment`."""
    return fold(event for event in events if event.at <= moment)


def state_at_items(items: Iterable[Item], moment: datetime) -> IncidentState:
    """As `state_at`, from a record as it streams; every item is read (to be verified)."""
    return fold_items(item for item in items if item.at <= moment)


class Replayer:
    """A cursor over a recorded incident that can move to any moment.

    Checkpoints (the state every `CHECKPOINT_EVERY` events, copied cheaply) bound
    what any move folds: backwards, or forwards past a checkpoint, it starts from
    the nearest one before the target. `events` may be a list, or a `Recording`
    read from the store, which keeps its own checkpoints and folds what it reads
    back without decoding probe ticks.
    """

    def __init__(self, events: Sequence[Event]) -> None:
        if not events:
            raise ValueError("nothing to replay: the incident has no events")
        self.events: Sequence[Event]
        if isinstance(events, Recording):
            self.events = events
            self._times = events.times
            self._checkpoints = events.checkpoints
        else:
            self.events = list(events)
            self._times = [event.at for event in self.events]
            self._checkpoints = _checkpoints(self.events)
        self._bases = sorted(self._checkpoints)
        self.position = 1
        """How many events are folded into `state`."""
        self.state = copy_state(self._checkpoints[1])

    @property
    def t0(self) -> datetime:
        return self.state.t0

    @property
    def first_at(self) -> datetime:
        return self._times[0]

    @property
    def last_at(self) -> datetime:
        return self._times[-1]

    def seek(self, moment: datetime) -> list[Event]:
        """Move to `moment`; returns the events newly applied (empty after a rewind).

        From a `Recording`, the probe ticks applied are left out (their samples are
        in `state`; a timeline does not list them) but for the last one.
        """
        target = max(bisect.bisect_right(self._times, moment), 1)
        before = self.position
        if target == before:
            return []
        base = self._bases[bisect.bisect_right(self._bases, target) - 1]
        if target < before or base > before:
            self.state = copy_state(self._checkpoints[base])
            self.position = base
        self._fold_to(target)
        return [] if target < before else self._applied(before, target)

    def seek_offset(self, offset: timedelta) -> list[Event]:
        return self.seek(self.t0 + offset)

    def next_event_at(self) -> datetime | None:
        """When the next not-yet-applied event happened, for stepping."""
        if self.position >= len(self.events):
            return None
        return self._times[self.position]

    def visible(self) -> list[Event]:
        """The events applied so far (from a `Recording`, all but the probe ticks)."""
        if isinstance(self.events, Recording):
            return self.events.shown(0, self.position)
        return list(self.events[: self.position])

    def _fold_to(self, target: int) -> None:
        if isinstance(self.events, Recording):
            fold = Fold.resume(self.state)
            fold.add_all(self.events.items(self.position, target))
            self.state = fold.settled()
        else:
            for event in self.events[self.position : target]:
                self.state.apply(event)
        self.position = target

    def _applied(self, start: int, stop: int) -> list[Event]:
        if not isinstance(self.events, Recording):
            return list(self.events[start:stop])
        applied = self.events.shown(start, stop)
        last = stop - 1
        if not applied or applied[-1].seq != self.state.last_seq:
            applied.append(self.events[last])
        return applied


def _checkpoints(events: Sequence[Event]) -> dict[int, IncidentState]:
    """The state after the first event, then after every `CHECKPOINT_EVERY`: one fold."""
    state = new_state(events[0])
    found = {1: copy_state(state)}
    for position in range(1, len(events)):
        state.apply(events[position])
        if (position + 1) % CHECKPOINT_EVERY == 0:
            found[position + 1] = copy_state(state)
    return found


class ReplayClock:
    """A clock that replay moves to any recorded moment, backwards included."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def monotonic_ns(self) -> int:
        return int(self._now.timestamp() * 1_000_000_000)

    def jump(self, moment: datetime) -> None:
        self._now = moment


class ReadOnlyReplay(Exception):
    """Raised by anything that tries to record during a replay."""


class ReplaySession:
    """Stands in for `IncidentSession` on screen: same state, moved by a cursor.

    `refresh` reveals the events up to the clock's moment; recording is refused,
    so a replay can never write to the record it is showing.
    """

    def __init__(
        self,
        events: Sequence[Event],
        damage: ChainReport | None = None,
        *,
        read_at: datetime | None = None,
    ) -> None:
        self.replayer = Replayer(events)
        self.clock = ReplayClock(self.replayer.first_at)
        self.read_at = read_at or self.replayer.last_at
        """When the record was read: a replay knows nothing after it (by default, its
        last event)."""
        self.damage = damage
        """Why the recorded chain does not verify, if it does not (as `IncidentSession`)."""
        self.rewound = False
        """Set when the last refresh went backwards, so a view must redraw from scratch."""

    @property
    def state(self) -> IncidentState:
        return self.replayer.state

    def refresh(self) -> list[Event]:
        before = self.replayer.position
        applied = self.replayer.seek(self.clock.now())
        self.rewound = self.replayer.position < before
        return applied

    def visible_events(self) -> list[Event]:
        return self.replayer.visible()

    def moment_at(self, offset: timedelta) -> datetime:
        """T+0 plus `offset`, a moment that had come when the record was read
        (`replay_moment`); ValueError otherwise."""
        return replay_moment(self.state.started_at, offset, self.read_at)

    def run(self, command: object) -> Event:
        raise ReadOnlyReplay("this is a replay: nothing can be recorded")

    def run_many(self, command: object) -> list[Event]:
        raise ReadOnlyReplay("this is a replay: nothing can be recorded")
