"""Durations in the report and the timeline agree with the times printed beside them.

T+ and the UTC column count from T+0's printed second to each moment's printed
second. Each duration here is between the printed seconds of the times it spans too:
a phase finished at 09:22:00.3 against a due time of 09:05:00.7 read "overdue by
16m59s" beside 09:05:00 and T+22:00. The incident is recorded through the real
domain with a frozen clock whose every moment carries a fraction of a second,
arranged so that each exact difference rounds down a second short of the printed one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import msgspec

from incident import commands
from incident.reports.report import markdown_report
from incident.reports.timeline import markdown_timeline
from runbooks.model import Runbook
from tests.bundled_incident import BundledIncident
from tui.demo.scenarios import bundled_runbook

T0 = datetime(2026, 11, 28, 9, 0, 0, 700_000, tzinfo=UTC)
"""The impact start, back-dated at the declaration: printed 09:00:00."""
INCIDENT = "INC-DURATIONS"


def at(minutes: int, seconds: int, fraction: float) -> datetime:
    return datetime(2026, 11, 28, 9, minutes, seconds, round(fraction * 1e6), tzinfo=UTC)


def polled_every_10_minutes() -> Runbook:
    """The bundled runbook with its error rate polled every 10 minutes: its readings here,
    up to 15 minutes apart, are no gap (30 minutes, 3 intervals), which the time above
    would leave out."""
    runbook = bundled_runbook()
    probes = tuple(
        msgspec.structs.replace(probe, interval_s=600) if probe.name == "error-rate" else probe
        for probe in runbook.probes
    )
    return msgspec.structs.replace(runbook, probes=probes)


class Recorded(BundledIncident):
    """The bundled runbook's incident, every moment at a fraction of a second."""

    def __init__(self) -> None:
        super().__init__(
            at(1, 30, 0.2),  # T+1:29.5
            started_at=T0,
            incident_id=INCIDENT,
            runbook=polled_every_10_minutes(),
        )

    def check(self, moment: datetime, step: str) -> None:
        clock = self.clock
        self.run(moment, lambda s: commands.check_step(s, step, actor="ada", clock=clock))

    def error_rate(self, moments: Sequence[datetime], value: float) -> None:
        for moment in moments:
            self.record_error_rate(moment, value)

    def documents(self, now: datetime) -> tuple[str, str]:
        state, events = self.session.state, self.events
        return markdown_report(state, events, now), markdown_timeline(state, events, now)


def recorded() -> list[str]:
    """The incident up to T+35; the report and timeline of it open at 09:36:00.5 (phase 2
    overdue, not finished) and once closed at 09:40:00.2 (39:59.5 after T+0)."""
    record = Recorded()
    clock = record.clock
    # above the 5% threshold from 09:01:35.9, still above at the last reading, 09:20:00.1
    record.error_rate([at(1, 35, 0.9)], 0.12)
    record.run(
        at(3, 10, 0.1),
        lambda s: commands.change_severity(s, "SEV1", reason="worse", actor="ada", clock=clock),
    )
    for step in ("assess-severity", "create-channel", "assign-commander"):
        record.check(at(3, 20, 0.4), step)
    record.run(
        at(4, 0, 0.8),
        lambda s: commands.approve(
            s, "decide-rollback", by="Ada", reason="error rate", actor="ada", clock=clock
        ),
    )
    record.check(at(4, 1, 0.9), "decide-rollback")
    record.error_rate([at(5, 0, 0.5)], 0.12)
    # the first update was due at 09:06:30.2 (declared + 5 min): 1m29.9s late exactly
    record.run(
        at(8, 0, 0.1),
        lambda s: commands.send_communication(s, actor="ada", clock=clock, template="announce"),
    )
    record.check(at(8, 0, 0.15), "announce-rollback")
    # nothing by a person for 6m59.95s exactly, T+08:00 to T+15:00
    record.run(
        at(15, 0, 0.05),
        lambda s: commands.change_severity(s, "SEV2", reason="better", actor="ada", clock=clock),
    )
    record.check(at(15, 10, 0.6), "assemble-team")
    record.error_rate([at(20, 0, 0.1)], 0.12)
    record.run(
        at(22, 0, 0.2),
        lambda s: commands.send_communication(s, actor="ada", clock=clock, template="initiating"),
    )
    record.check(at(22, 0, 0.3), "notify-stakeholders")  # phase 1 done, due 09:05:00.7
    record.check(at(23, 0, 0.9), "app-rollback-blue-green")
    report, timeline = record.documents(at(36, 0, 0.5))
    record.run(
        at(40, 0, 0.2),
        lambda s: commands.close(s, actor="ada", clock=clock, force=True, reason="drill"),
    )
    closed = record.documents(at(41, 0, 0.0))
    return [report, timeline, *closed]


DURATION = r"(?:\d+h)?(?:\d+m)?\d+s"
T_PLUS = r"T\+\d+(?::\d\d){1,2}"


def seconds_of(text: str) -> int:
    """`1h02m03s`, `17m00s`, `12s` in seconds."""
    match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(\d+)s", text)
    assert match is not None, text
    hours, minutes, secs = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + secs


def t_plus(text: str) -> int:
    """`T+22:00` or `T+1:02:03` in seconds."""
    parts = [int(part) for part in text.removeprefix("T+").split(":")]
    return sum(part * 60**power for power, part in enumerate(reversed(parts)))


WINDOW_EDGE = r"T\+\d+(?:m|(?::\d\d){1,2})"
"""A window's edge on the T+ clock: `T+5m`, or `T+6:29` placed from a declaration at
T+01:29.5 (the windows open on the declaration's printed second)."""


def window_edge(text: str) -> int:
    """`T+5m` or `T+6:29` in seconds."""
    return int(text[2:-1]) * 60 if text.endswith("m") else t_plus(text)


def utc_offset(text: str) -> int:
    """A printed UTC time of day, `09:05:00`, as seconds after T+0's printed 09:00:00."""
    hours, minutes, secs = (int(part) for part in text.split(":"))
    return (hours - 9) * 3600 + minutes * 60 + secs


def found(pattern: str, documents: Sequence[str]) -> list[tuple[str, ...]]:
    return [m.groups() for document in documents for m in re.finditer(pattern, document)]


def test_every_duration_is_the_difference_of_the_printed_times_it_spans():
    documents = recorded()
    report_open, timeline_open, report_closed, timeline_closed = documents
    assert "T+0 is 2026-11-28 09:00:00 UTC" in timeline_closed
    checked: list[tuple[str, int, int]] = []

    def same(what: str, duration: str, span: int) -> None:
        checked.append((what, seconds_of(duration), span))

    # the phases table: due (UTC), finished (T+), and how late against the due time
    for due, finished, late in found(
        rf"\| (\d\d:\d\d:\d\d) \| {T_PLUS} \| {T_PLUS} \| ({T_PLUS}) \| done ({DURATION}) late \|",
        [report_open, report_closed],
    ):
        same("phase overdue (report)", late, t_plus(finished) - utc_offset(due))
    # a phase not finished: to the report's moment as printed, or to the close
    (now,) = found(r"report as of 2026-11-28 (\d\d:\d\d:\d\d) UTC", [report_open])
    (closed,) = found(rf"\| Incident closed \| [^|]+ \| ({T_PLUS}) \|", [report_closed])
    ends = {report_open: utc_offset(now[0]), report_closed: t_plus(closed[0])}
    ends |= {timeline_open: ends[report_open], timeline_closed: ends[report_closed]}
    for document, end in ends.items():
        for due, late in found(
            rf"\| (\d\d:\d\d:\d\d) \| {T_PLUS} \| {T_PLUS} \| — \| "
            rf"not finished, overdue by ({DURATION}) \|",
            [document],
        ):
            same("phase not finished (report)", late, end - utc_offset(due))
        for window_end, late in found(
            rf"to ({WINDOW_EDGE}); entered [^;]*; not finished, overdue by ({DURATION})\.",
            [document],
        ):
            same("phase not finished (timeline)", late, end - window_edge(window_end))
    for window_end, finished, late in found(
        rf"to ({WINDOW_EDGE}); entered [^;]*, finished ({T_PLUS}); done ({DURATION}) late\.",
        [timeline_open, timeline_closed],
    ):
        same("phase overdue (timeline)", late, t_plus(finished) - window_edge(window_end))
    # the incident's duration, and the head's, to the resolution (the close)
    for duration, end in found(
        rf"The incident lasted ({DURATION}), from the impact start \(T\+0\) to the "
        rf"resolution \(({T_PLUS})\)",
        [report_closed],
    ):
        same("incident duration", duration, t_plus(end))
    (lasted,) = found(rf"The incident has lasted ({DURATION}) so far, [^.]* to now", [report_open])
    same("incident duration so far", lasted[0], utc_offset(now[0]))
    (resolved,) = found(r"\| Resolved \| 2026-11-28 (\d\d:\d\d:\d\d) UTC \|", [report_closed])
    (duration,) = found(rf"\| Duration \| ({DURATION}) \(impact start to resolution\)", documents)
    same("duration (head, resolved)", duration[0], utc_offset(resolved[0]))
    (duration,) = found(rf"\| Duration \| ({DURATION}) \(impact start to now", documents)
    same("duration (head, open)", duration[0], utc_offset(now[0]))
    # time at each severity, and the totals their sums
    for document in (report_open, report_closed):
        rows = found(
            rf"\| (SEV\d) \| ({T_PLUS}) \| ({T_PLUS})(?: \(still open\))? \| ({DURATION}) \|",
            [document],
        )
        assert len(rows) == 3, rows
        for _, start, end, time in rows:
            same("time at a severity", time, t_plus(end) - t_plus(start))
        (totals,) = found(rf"In total: (SEV\d) ({DURATION}), (SEV\d) ({DURATION})\.", [document])
        for severity, total in zip(totals[::2], totals[1::2], strict=True):
            rows_of = [seconds_of(time) for sev, _, _, time in rows if sev == severity]
            same("total at a severity", total, sum(rows_of))
    # the timeline's gaps with no action recorded
    gaps = found(rf"no action recorded for ({DURATION}) \(({T_PLUS}) → ({T_PLUS})\)", documents)
    assert len(gaps) >= 4, gaps
    for duration, start, end in gaps:
        same("no action recorded", duration, t_plus(end) - t_plus(start))
    # detection: the declaration, T+01:30
    for when, lag in found(
        rf"- When: ({T_PLUS}) · [^;]*; ({DURATION}) after the impact started", documents
    ):
        same("time to detect", lag, t_plus(when))
    # the update cadence: the first update due at the declaration + 5 min, sent late
    lates = found(rf"Due ({T_PLUS}) · [^;]*; sent at ({T_PLUS}), ({DURATION}) late", documents)
    assert lates
    for due, sent, late in lates:
        same("update late", late, t_plus(sent) - t_plus(due))
    # the error rate: one run above the threshold, still open at its last reading; the
    # Time above cell gives the span it covers (ux_review16 #15)
    for time, first, last in found(
        rf"\| \d+ \({T_PLUS} to {T_PLUS}\) \| ({DURATION}) \(({T_PLUS}) to ({T_PLUS})\) \|",
        documents,
    ):
        same("time above (table)", time, t_plus(last) - t_plus(first))
        (summary,) = found(rf"above it for ({DURATION})\.", [report_closed])
        same("time above (summary)", summary[0], t_plus(last) - t_plus(first))
    # the time-to-recovery table's "From declaration", as before
    (declared,) = found(rf"\| Incident declared \| [^|]+ \| ({T_PLUS}) \|", [report_closed])
    for moment, since in found(
        rf"\| [^|]+ \| \d\d:\d\d:\d\d \| ({T_PLUS}) \| ({DURATION}) \|", [report_closed]
    ):
        same("from declaration", since, t_plus(moment) - t_plus(declared[0]))

    kinds = {what for what, _, _ in checked}
    assert len(kinds) == 16, sorted(kinds)
    wrong = [(what, printed, span) for what, printed, span in checked if printed != span]
    assert not wrong, wrong


def test_a_gap_under_a_second_keeps_its_fraction_only_within_one_printed_second():
    """`--gap 0.01` (0.6 s): a silence of 0.7 s inside one printed second is 0.7s, which
    the times cannot tell (not "0s" under "more than 0.6s"); one of 0.7 s across a
    second's edge is the 1s its printed times say."""
    record = Recorded()
    clock = record.clock
    for moment in (at(1, 30, 0.9), at(1, 31, 0.6)):
        record.run(moment, lambda s: commands.add_note(s, "seen", actor="ada", clock=clock))
    state, events = record.session.state, record.session.log.events(INCIDENT)
    timeline = markdown_timeline(state, events, at(1, 31, 0.9), gap=timedelta(seconds=0.6))
    assert "⚠ more than 0.6s with no action recorded by a person" in timeline
    gaps = [line for line in timeline.splitlines() if "no action recorded for" in line]
    assert gaps == [
        "- ⚠ no action recorded for 0.7s (T+01:30 → T+01:30)",
        "- ⚠ no action recorded for 1s (T+01:30 → T+01:31)",
    ]
