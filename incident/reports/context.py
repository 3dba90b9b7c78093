"""What every section of the report reads: the record, its figures, and how to print times."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from msgspec import Struct

from incident.core.events import Event
from incident.core.phase_clocks import t_plus
from incident.core.state import IncidentState
from incident.core.timefmt import LocalZone, utc_time
from incident.health.reading_gaps import ReadingGap
from incident.reports.analysis import warned
from incident.reports.delivery_history import Setbacks, setbacks
from incident.reports.impact import PhaseResult, SeverityPeriod, phase_results, severity_periods
from incident.reports.markdown import fence, inline, is_multiline
from incident.reports.metrics import MetricFigures
from incident.reports.milestones import Milestone, dismissed, met_runs, milestones
from incident.reports.record import ReportRecord

UNVERIFIED_MARK = "⚠ unverified"
"""Before each line from the event a record stops verifying at (`damage_note`)."""


class ReportContext(Struct, frozen=True):
    record: ReportRecord
    now: datetime
    """The report's moment; a closed incident's figures stop at its close."""
    zone: LocalZone
    moments: list[Milestone]
    phases: list[PhaseResult]
    severities: list[SeverityPeriod]
    setbacks: dict[str, Setbacks]
    """Each webhook delivery that failed for good at least once, with what followed."""

    @classmethod
    def build(cls, record: ReportRecord, now: datetime, tz: tzinfo | None) -> ReportContext:
        state = record.state
        return cls(
            record,
            now,
            LocalZone(tz),
            milestones(state, record.entries),
            phase_results(state, now),
            severity_periods(state, now),
            setbacks(record.entries),
        )

    @property
    def state(self) -> IncidentState:
        return self.record.state

    @property
    def events(self) -> Sequence[Event]:
        """Every event but the probe ticks (`record` counts those)."""
        return self.record.entries

    @property
    def metrics(self) -> list[MetricFigures]:
        return self.record.metrics

    @property
    def end(self) -> datetime:
        return self.state.closed_at or self.now

    @property
    def reading_gaps(self) -> list[ReadingGap]:
        """Where the probes went unrecorded, the last stretch until the end included."""
        return self.record.gaps.until(self.end)

    def unverified(self, seq: int | None) -> bool:
        """Whether event `seq` is at or after where the record stops verifying: what
        it says is what the record holds now, not what was recorded."""
        damage = self.record.damage
        return damage is not None and seq is not None and seq >= (damage.first_bad_seq or 1)

    def unverified_mark(self, seq: int | None) -> str:
        """`⚠ unverified · ` before a line about event `seq` when `unverified`; "" else."""
        return f"{UNVERIFIED_MARK} · " if self.unverified(seq) else ""

    def row_start(self, event: Event) -> str:
        """A timeline row's start, `T+33:14 · 22:32:05 · `, marked when `unverified`."""
        return f"{self.unverified_mark(event.seq)}{self.offset(event.at)} · {self.utc(event.at)} · "

    @property
    def head_hash(self) -> str:
        return self.record.head_hash

    @property
    def show_local(self) -> bool:
        return self.zone.differs(self.state.started_at)

    @property
    def times_note(self) -> str:
        """`Times are UTC; local times (in brackets) are Europe/Paris`: the zone named by
        its name, which `CET` or `IST` beside a time does not tell."""
        if not self.show_local:
            return "Times are UTC"
        return f"Times are UTC; local times (in brackets) are {inline(self.zone.name)}"

    def moment(self, key: str) -> Milestone:
        return next(m for m in self.moments if m.key == key)

    def key_marks(self) -> dict[int, str]:
        """Sequence number -> label, for every event that is a key moment: the report's
        timeline and `lastgood timeline` star these, and list `moments`. Each recorded
        milestone but the declaration (every document's first line), and every time a
        rollback trigger was met but for one dismissed before the decision (the first
        kept is the milestone). The report starred the
        resolution message and the timeline did not; the timeline starred each trigger
        met and the report only the first."""
        marks = {
            m.seq: m.label
            for m in self.moments
            if m.seq is not None and m.at is not None and m.key != "declared"
        }
        decision = self.moment("rollback_decision")
        for run in met_runs(self.state):  # one dismissed before the decision is no key moment
            if not dismissed(self.state, run, decision):
                marks.setdefault(run.met.seq, "Rollback trigger met")
        return marks

    def warned(self) -> dict[int, list[str]]:
        """Sequence number -> what the report's Inconsistencies say of that event
        (`analysis.warned`, which the live panel calls too)."""
        return warned(self.state, self.events)

    def offset(self, moment: datetime | None) -> str:
        """`T+01:59` (`t_plus`, as every face reads it), or a dash for no moment."""
        return "—" if moment is None else t_plus(self.state, moment)

    def when(self, moment: datetime) -> str:
        """`T+04:16 · 09:04:16 UTC (10:04:16 CET)`, each time with its date where its
        day is not T+0's (in its own zone)."""
        return f"{self.offset(moment)} · {self.zone.alongside(moment, first=self.state.started_at)}"

    def local(self, moment: datetime) -> str:
        """A local-time column: the time, or date and time on another day than T+0's."""
        return self.zone.on_day_of(moment, self.state.started_at)

    def utc(self, moment: datetime) -> str:
        """A timeline's UTC column: the time, or date and time on another day."""
        if moment.date() == self.state.started_at.date():
            return utc_time(moment)
        return moment.strftime("%Y-%m-%d %H:%M:%S")


def entry(meta: str, text: str) -> list[str]:
    """One recorded piece of text under its `meta` line (already Markdown).

    A single line stays a list item; several lines go in a fenced block below it,
    kept exactly. Callers separate entries with blank lines.
    """
    if is_multiline(text.strip()):
        return [f"- {meta}:", "", *fence(text.strip("\n"))]
    return [f"- {meta}: {inline(text)}"]


def join_blocks(blocks: Sequence[list[str]]) -> list[str]:
    """Blocks of lines separated by one blank line each."""
    lines: list[str] = []
    for block in blocks:
        if lines:
            lines.append("")
        lines.extend(block)
    return lines
