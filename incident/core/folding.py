"""Folding a long record cheaply: probe ticks counted as they pass, decoded only at the end.

Nine events in ten of a long incident are probe ticks, and all a tick does to the
state is add its samples to each probe's recent history (the last `RECENT_SAMPLES`)
and to the count; no other transition reads either. So `Fold` applies every other
event as it comes, and for ticks keeps only the count and, per probe, references to
its latest samples; `settled()` then decodes just those and gives the state the
plain fold (`incident.core.state.fold`) would have built from the same events.

`copy_state` is the cheap copy that replay keeps as checkpoints: the records in a
state are frozen, so only the containers (and the one mutable record, `StepRecord`)
are copied, not what they hold.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Final

from msgspec.structs import fields, replace

from incident.core.events import Event
from incident.core.payloads import ProbeSamples
from incident.core.records import RECENT_SAMPLES, LastPoll
from incident.core.samples import Sample
from incident.core.state import IncidentState, new_state
from incident.core.tick_runs import TickRun
from incident.core.ticks import PROBE, ProbeTick, SampledTick
from incident.core.transitions import note_unset
from runbooks.model import Runbook

Item = Event | ProbeTick
"""What the store's `scan` gives: an event, or a probe tick read without decoding."""
Summarised = Item | SampledTick | TickRun
"""What a fold reads: that, or probe ticks known from the store's summaries of them."""

_SHARED: Final = frozenset(
    {
        "id",
        "runbook",
        "title",
        "severity",
        "declared_at",
        "started_at",
        "declared_by",
        "issue",
        "eta_min",
        "pattern",
        "channel",
        "from_version",
        "last_good_version",
        "drill",
        "tier_choice",
        "sample_count",
        "last_poll",
        "closed_at",
        "closed_by",
        "closed_seq",
        "close_reason",
        "forced_close",
        "last_seq",
        "last_event_at",
        "postmortem",
        "document",
        "impact",
        "changes",
    }
)
"""Fields holding immutable values: a copy shares them."""
_LISTS: Final = frozenset(
    {
        "role_history",
        "handoffs",
        "step_changes",
        "notes",
        "pages",
        "communications",
        "severity_history",
        "commands_run",
        "overdue_updates",
        "declined",
        "page_hand_updates",
        "trigger_history",
        "rca",
        "contributing_factors",
        "action_items",
        "lessons",
        "postmortem_history",
    }
)
"""Fields holding lists of immutable values: a copy copies the list."""
_DICTS: Final = frozenset(
    {"roles", "approvals", "deliveries", "triggers", "baselines", "unset_where"}
)
"""Fields holding dicts of immutable values: a copy copies the dict."""
COPIED_FIELDS: Final = _SHARED | _LISTS | _DICTS | {"steps", "samples"}
"""Every field of `IncidentState`, each copied as its kind needs (a test holds this)."""


def copy_state(state: IncidentState) -> IncidentState:
    """A state that later events can change without touching `state`."""
    copied = replace(state)  # a shallow copy, made in C, without loading `copy`
    for name in _LISTS:
        setattr(copied, name, list(getattr(state, name)))
    for name in _DICTS:
        setattr(copied, name, dict(getattr(state, name)))
    copied.steps = {step_id: replace(record) for step_id, record in state.steps.items()}
    copied.samples = {probe: list(history) for probe, history in state.samples.items()}
    return copied


def state_fields() -> frozenset[str]:
    """The names of `IncidentState`'s fields, for the test that `copy_state` knows them all."""
    return frozenset(f.name for f in fields(IncidentState))


Tick = Event | ProbeTick | SampledTick
"""A probe tick, decoded (an `Event` of `ProbeSamples`) or not."""


class Fold:
    """The state after some items; `settled()` is it, exactly as the plain fold."""

    def __init__(self, first: Event) -> None:
        self._start(new_state(first))

    @classmethod
    def resume(cls, state: IncidentState) -> Fold:
        """Go on from `state`, which this fold then changes."""
        fold = cls.__new__(cls)
        fold._start(state)
        return fold

    def _start(self, state: IncidentState) -> None:
        self._state = state
        self._count = 0
        """Samples added since the last settling."""
        self._recent: dict[str, deque[Tick | TickRun]] = {}
        """Per probe, in order of first appearance, the ticks of its latest samples
        since then: one entry per sample, so a tick is there as often as it has one;
        a run once, for its ticks that hold the probe (one sample at least)."""
        self._last_tick: Tick | TickRun | None = None
        """The last item, if it was a tick not yet settled."""
        self._last_poll: Tick | TickRun | None = None
        """The last tick not yet settled, whatever came after it: its poller is read
        (one tick decoded) when the fold settles."""

    @property
    def runbook(self) -> Runbook:
        return self._state.runbook

    def add_tick(self, tick: ProbeTick | SampledTick) -> None:
        """`add` for a tick read undecoded: the common case, kept short."""
        recent = self._recent
        for sample in tick.samples:
            ticks = recent.get(sample[PROBE])
            if ticks is None:
                ticks = recent[sample[PROBE]] = deque(maxlen=RECENT_SAMPLES)
            ticks.append(tick)
        self._count += len(tick.samples)
        self._last_tick = self._last_poll = tick

    def add_run(self, run: TickRun) -> None:
        """`add` for each event of `run` (the others first: no transition reads the
        samples), its ticks' probes read once for the whole run."""
        for event in run.between:
            self._state.apply(event)
        recent = self._recent
        for probe, held in run.probes().items():
            ticks = recent.get(probe)
            if ticks is None:
                ticks = recent[probe] = deque(maxlen=RECENT_SAMPLES)
            elif held >= RECENT_SAMPLES:
                ticks.clear()  # the run holds all the fold keeps: older runs may go
            ticks.append(run)
        self._count += run.samples
        self._last_tick = self._last_poll = run

    def add(self, item: Summarised) -> None:
        if isinstance(item, ProbeTick | SampledTick):
            self.add_tick(item)
            return
        if isinstance(item, TickRun):
            self.add_run(item)
            return
        if isinstance(item.data, ProbeSamples):
            recent = self._recent
            for sample in item.data.samples:
                ticks = recent.get(sample.probe)
                if ticks is None:
                    ticks = recent[sample.probe] = deque(maxlen=RECENT_SAMPLES)
                ticks.append(item)
            self._count += len(item.data.samples)
            self._last_tick = self._last_poll = item
            if item.data.unset:  # never on a tick read undecoded: its text has no room
                note_unset(self._state, item.data)
        else:
            self._state.apply(item)
            self._last_tick = None

    def add_all(self, items: Iterable[Summarised]) -> Fold:
        for item in items:
            self.add(item)
        return self

    def settled(self) -> IncidentState:
        """The state, its samples brought up to date (the ticks they come from decoded once)."""
        state = self._state
        decoded: dict[int, dict[str, list[Sample]]] = {}
        for probe, ticks in self._recent.items():
            history = state.samples.setdefault(probe, [])
            history.extend(_latest(probe, _one_per_sample(probe, ticks), decoded))
            if len(history) > RECENT_SAMPLES:
                del history[: len(history) - RECENT_SAMPLES]
        state.sample_count += self._count
        last = self._last_tick
        if last is not None:
            state.last_seq, state.last_event_at = last.seq, last.at
        if self._last_poll is not None:
            state.last_poll = _last_poll(self._last_poll)
        self._count, self._recent, self._last_tick, self._last_poll = 0, {}, None, None
        return state

    def copy(self) -> Fold:
        """A fold that goes on from here independently of this one."""
        return Fold.resume(copy_state(self.settled()))


def _last_poll(tick: Tick | TickRun) -> LastPoll:
    """When `tick` (a run's last) was recorded, and the poller it names."""
    if isinstance(tick, TickRun):
        tick = tick.tick(len(tick) - 1)
    data = tick.data if isinstance(tick, Event) else tick.decode()
    assert isinstance(data, ProbeSamples)
    return LastPoll(tick.at, data.poller)


def _one_per_sample(probe: str, entries: deque[Tick | TickRun]) -> list[Tick]:
    """The fold's entries for `probe` with each run made its ticks again (one entry per
    sample of the probe), the last `RECENT_SAMPLES` of them, in order."""
    found: list[Tick] = []
    for entry in reversed(entries):
        if isinstance(entry, TickRun):
            found.extend(reversed(entry.last_ticks_of(probe, RECENT_SAMPLES - len(found))))
        else:
            found.append(entry)
        if len(found) >= RECENT_SAMPLES:
            break
    del found[RECENT_SAMPLES:]
    found.reverse()
    return found


def _latest(
    probe: str, ticks: Iterable[Tick], decoded: dict[int, dict[str, list[Sample]]]
) -> Iterator[Sample]:
    """The samples of `probe` that `ticks` (one entry per sample) stand for, in order.

    A tick holding the probe k times is there k times in a row, but the oldest may
    have been cut by the deque's length: from it, only its last ones count. Each tick
    is decoded and sorted by probe once for all its probes: looked through for each
    one, a tick of 200 probes was read 200 times.
    """
    for _, run in itertools.groupby(ticks, key=id):
        group = list(run)
        source = group[0]
        by_probe = decoded.get(id(source))
        if by_probe is None:
            data = source.data if isinstance(source, Event) else source.decode()
            assert isinstance(data, ProbeSamples)
            by_probe = decoded[id(source)] = {}
            for sample in data.samples:
                by_probe.setdefault(sample.probe, []).append(sample)
        own = by_probe.get(probe, [])
        yield from own[len(own) - len(group) :]


def fold_items(items: Iterable[Summarised]) -> IncidentState:
    """The state after `items`, which start with the declaration (as `fold`)."""
    iterator = iter(items)
    first = next(iterator, None)
    if first is None:
        raise ValueError("no events to fold")
    if not isinstance(first, Event):
        raise ValueError(f"incident {first.incident_id} does not start with a declaration")
    return Fold(first).add_all(iterator).settled()
