"""What `lastgood monitor` says while its record refuses writes, and what it lost.

A lock held past the store's wait (`WRITE_WAIT_S`), a full disk, a PostgreSQL server
down: the batch whose call failed is dropped, with the batches that waited behind it
(`tui.cli.store_thread`). The log went quiet meanwhile: no tick lines, two untimed
lines on stderr, and nothing said of what was lost (ux_review14 finding 4). Now each
dropped tick is printed as it would have been, marked `(not recorded)`; the outage is
said as it begins and as it ends, with a T+ as every line on stdout has; its end says
how many ticks it lost and when (`samples recorded again; 6 ticks, T+00:08-T+00:28,
not recorded`), and so does the line said as the monitor stops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from incident.app.session import IncidentSession
from incident.core.phase_clocks import t_plus
from incident.core.samples import Sample
from incident.core.text import counted, visible
from incident.health.reading_line import reading_summary
from store.errors import StoreError
from tui.cli.monitor_lines import emit, print_json_batch
from tui.net.outage import Outage

NOT_RECORDED = "(not recorded)"
"""The mark on a tick line whose samples the record refused."""


@dataclass
class LostRun:
    """The ticks one outage lost: how many, the first's T+ and the last's."""

    count: int
    first: str
    last: str

    def words(self) -> str:
        """`6 ticks, T+00:08-T+00:28`, or `1 tick, T+00:08`."""
        span = self.first if self.first == self.last else f"{self.first}–{self.last}"
        return f"{counted(self.count, 'tick')}, {span}"


def lost_words(runs: list[LostRun]) -> str:
    """What `runs` lost, as the stop line says it: `6 ticks, T+00:08-T+00:28, not
    recorded`; for several outages, `9 ticks (3 ticks, T+00:08-T+00:18; 6 ticks,
    T+01:05-T+01:30) not recorded`."""
    if len(runs) == 1:
        return f"{runs[0].words()}, not recorded"
    total = sum(run.count for run in runs)
    each = "; ".join(run.words() for run in runs)
    return f"{counted(total, 'tick')} ({each}) not recorded"


class RecordOutage:
    """The monitor's side of a record that refuses its samples: `refused` is the
    `SampleWriter`'s (on the store thread), `worked` is said after each batch recorded.

    Which stream: every line said while the monitor runs goes to stdout after its T+
    (`say`), the ticks, recorded or not, among them; stderr holds only what the process
    says of itself (what it watches as it starts, why and how it stops)."""

    def __init__(
        self, session: IncidentSession, say: Callable[[str], None], *, as_json: bool
    ) -> None:
        self._session = session
        self._as_json = as_json
        self._current: LostRun | None = None
        self.runs: list[LostRun] = []
        """Every outage's lost ticks, the one under way included."""
        self._outage = Outage[StoreError](
            lambda error: say(f"samples not recorded: {error}"),
            lambda _: say(self._ended()),
        )

    @property
    def cause(self) -> StoreError | None:
        """What began the outage under way, or None while batches are recorded."""
        return self._outage.cause

    def refused(self, error: StoreError, dropped: list[list[Sample]]) -> None:
        """On the store thread: the record refused a batch; `dropped` are the ticks lost
        with it (it first), each said as it would have been, marked."""
        for batch in dropped:
            self._dropped(batch)
        self._outage.failed(error)

    def worked(self) -> None:
        """A batch was recorded: an outage under way ends, saying what it lost."""
        self._outage.worked()

    def _dropped(self, batch: list[Sample]) -> None:
        if not batch:
            return
        at = max(sample.at for sample in batch)
        offset = t_plus(self._session.state, at)
        if self._current is None:
            self._current = LostRun(0, offset, offset)
            self.runs.append(self._current)
        self._current.count += 1
        self._current.last = offset
        if self._as_json:
            print_json_batch(self._session, batch, [], recorded=False, at=at)
            return
        state = self._session.state
        read = " · ".join(reading_summary(state, sample) for sample in batch)
        emit(visible(f"{offset}  {read} {NOT_RECORDED}"))

    def _ended(self) -> str:
        run, self._current = self._current, None
        if run is None:
            return "samples recorded again"
        return f"samples recorded again; {lost_words([run])}"
