"""Replay: the incident as it was at any moment, from the same fold as live.

The state at a moment is the fold of the events recorded up to it, so replay
cannot disagree with what the coordinator saw. Seeking forwards a little applies
only the new events; seeking backwards, or far forwards, restarts from the nearest
checkpoint before the target.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from incident.core.chain import ChainReport
from incident.core.events import Event
from incident.core.folding import Fold, Item, copy_state, fold_items
from incident.core.phase_clocks import format_offset
from incident.core.recording import CHECKPOINT_EVERY, Recording
from incident.core.state import IncidentState, fold, new_state

__all__ = [
    "CHECKPOINT_EVERY",
    "OFFSET_EXAMPLES",
    "REST_OF_SECOND",
    "ReadOnlyReplay",
    "Recording",
    "ReplayClock",
    "ReplaySession",
    "Replayer",
    "ShownMoment",
    "parse_offset",
    "replay_moment",
    "state_at",
    "state_at_items",
]

_OFFSET = re.compile(
    r"^\s*(?:T\s*)?\+?\s*"
    r"(?:(?:(?P<hours>[0-9]+):)?(?P<minutes>[0-9]{1,3}):(?P<seconds>[0-9]{2})"
    r"|(?P<whole>[0-9]+)\s*m?)\s*$"
)
MAX_OFFSET_HOURS = 99_999
"""Past this (eleven years) an offset is a slip of the keyboard, and its datetime overflows."""
OFFSET_EXAMPLES = "T+12:30, T+1:02:00 or T+5 (minutes)"
_SECOND = timedelta(seconds=1)
REST_OF_SECOND = _SECOND - timedelta(milliseconds=1)
"""From a whole second's start to its last moment: recorded times are kept to the
millisecond (`truncate_to_millis`)."""


def parse_offset(text: str) -> timedelta:
    """`T+MM:SS`, `T+H:MM:SS`, or whole minutes (`T+0`, `T+5`, `T+45m`: the runbook's
    windows read T+0-5, T+5-30), also without `T+`, as a duration after T+0."""
    match = _OFFSET.match(text)
    if match is None:
        raise ValueError(f"'{text}' is not an offset like {OFFSET_EXAMPLES}")
    whole = match["whole"]
    if whole is not None:
        if len(whole) > 8 or int(whole) > MAX_OFFSET_HOURS * 60:
            raise ValueError(f"'{text}': at most {MAX_OFFSET_HOURS:,} hours")
        return timedelta(minutes=int(whole))
    hours, minutes, seconds = match["hours"], match["minutes"], match["seconds"]
    if int(seconds) >= 60:
        raise ValueError(f"'{text}': seconds must be below 60")
    if hours is not None and int(minutes) >= 60:
        raise ValueError(f"'{text}': minutes must be below 60 after hours")
    if hours is not None and (len(hours) > 5 or int(hours) > MAX_OFFSET_HOURS):
        raise ValueError(f"'{text}': at most {MAX_OFFSET_HOURS:,} hours")
    return timedelta(hours=int(hours or 0), minutes=int(minutes), seconds=int(seconds))


class ShownMoment(NamedTuple):
    """A moment a replay shows (`replay_moment`)."""

    at: datetime
    note: str = ""
    """Why `at` is not T+0 plus the offset asked for, when it is not: said beside it."""


def replay_moment(
    declared: IncidentState,
    offset: timedelta,
    now: datetime,
    record_end: Callable[[], IncidentState],
) -> ShownMoment:
    """T+0 plus `offset`, as the record (`declared`: the incident as its declaration left
    it; `record_end`: as its record stands, when read at `now`) can show it: the one
    rule of `replay --at` and of the replay screen's Go to. `record_end` is asked only
    for a moment that has not come, so `replay --at` reads the record once.

    - An offset in whole seconds (every one typed: T+ is printed to the second) is the
      whole of that second, to its last millisecond: `T+07:09` shows the close at
      T+07:09.355, the T+ the report and the timeline print beside it. From its start
      it showed the incident open, and no T+ typed could show the close. Shown at its
      end, the second still reads `T+07:09` on every clock.
    - Before the declaration nothing was recorded (a back-dated T+0 is the impact
      start): refused, saying when the record begins. The declaration's second
      (`T+12:00` for a declaration at T+12:00.9; `T+0` for one not back-dated) shows
      it; a moment within that second but before it is the declaration.
    - A second under way at `now` is shown as far as it has come.
    - A moment that has not come by `now` is refused: a replay would show a future
      that never happened, every open window OVERDUE and every reading stale. Unless
      the incident is closed: its record ends at the close (or at what was recorded
      after it), so the moment is the record's end, as the screen's End and
      `replay --json` without `--at` show it, and a line says so.
    """
    t0 = declared.t0
    declared_at = declared.declared_at
    start = t0 + offset
    moment = start + (REST_OF_SECOND if offset % _SECOND == timedelta(0) else timedelta(0))
    if moment < declared_at:
        declared_offset = declared_at - t0
        if offset < timedelta(seconds=declared_offset // timedelta(seconds=1)):
            raise ValueError(
                f"nothing was recorded before {format_offset(declared_offset)}, the "
                "declaration (T+0 is the impact start, back-dated)"
            )
        return ShownMoment(declared_at)
    if moment <= now:
        return ShownMoment(moment)
    if start <= now:
        return ShownMoment(now)  # the second is under way: as far as it has come
    record = record_end()
    if record.closed_at is None:
        at = format_offset(max(now - t0, timedelta(0)))
        raise ValueError(f"that moment has not come yet (it is {at} now)")
    end = record.last_event_at or record.closed_at
    return ShownMoment(
        end,
        f"{format_offset(offset)} has not come yet: the record ends at "
        f"{format_offset(end - t0)}, the incident closed at "
        f"{format_offset(record.closed_at - t0)}",
    )


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
        self.end: IncidentState
        """The incident as its record stands, after the last event."""
        if isinstance(events, Recording):
            self.events = events
            self._times = events.times
            self._checkpoints = events.checkpoints
            assert events.end is not None  # it has events
            self.end = events.end
        else:
            self.events = list(events)
            self._times = [event.at for event in self.events]
            self._checkpoints, self.end = _checkpoints(self.events)
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
        in `state`; a timeline does not list them) but for the last of them, in its
        place: it says the readings changed. The last event applied is always there.
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
        tick = self.events.last_tick(start, stop)
        if tick is not None:
            # The last tick stands for every one applied: a view redraws its readings on
            # a tick among the events it is given. Only when the last event applied was
            # one, it was left out after a move ending on another event (the close): the
            # replay screen's End kept the readings of where it came from.
            event = self.events[tick]
            applied.insert(bisect.bisect_left([e.seq for e in applied], event.seq), event)
        return applied


def _checkpoints(events: Sequence[Event]) -> tuple[dict[int, IncidentState], IncidentState]:
    """The state after the first event, then after every `CHECKPOINT_EVERY`, and after
    the last: one fold."""
    state = new_state(events[0])
    found = {1: copy_state(state)}
    for position in range(1, len(events)):
        state.apply(events[position])
        if (position + 1) % CHECKPOINT_EVERY == 0:
            found[position + 1] = copy_state(state)
    return found, state


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

    def moment_at(self, offset: timedelta) -> ShownMoment:
        """T+0 plus `offset`, as the record read at `read_at` shows it (`replay_moment`);
        ValueError saying why not."""
        end = self.replayer.end
        return replay_moment(end, offset, self.read_at, lambda: end)

    def run(self, command: object) -> Event:
        raise ReadOnlyReplay("this is a replay: nothing can be recorded")

    def run_many(self, command: object) -> list[Event]:
        raise ReadOnlyReplay("this is a replay: nothing can be recorded")
