"""Times as the post-mortem documents print them: UTC first, local time alongside.

Every document states its times in UTC. The coordinator's local zone, when it is
given and differs from UTC, is shown beside the moments people remember by the
wall clock (declaration, decision, close, messages, the meeting).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

from msgspec import Struct


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def utc_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%H:%M:%S")


def _day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def exact_duration(delta: timedelta) -> str:
    """`35m36s`, `2h03m07s`, `12s`: to the second, for figures in a report; under a
    second, to the millisecond (`0.6s`), which read as `0s` (a `--gap` of 0.01 minutes
    was "more than 0s")."""
    milliseconds = round(abs(delta.total_seconds()) * 1000)
    if abs(delta.total_seconds()) < 1 and milliseconds:
        return f"{'-' if delta.total_seconds() < 0 else ''}{milliseconds / 1000:g}s"
    seconds = int(abs(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    sign = "-" if delta.total_seconds() < 0 else ""
    if hours:
        return f"{sign}{hours}h{minutes:02d}m{secs:02d}s"
    if minutes:
        return f"{sign}{minutes}m{secs:02d}s"
    return f"{sign}{secs}s"


def printed_span(start: datetime, end: datetime) -> timedelta:
    """From `start` to `end` between the seconds each is printed at, so a duration and
    the times it spans agree: 09:05:00.7 to 09:22:00.3 is 17m00s, as 09:05:00 and
    09:22:00 say (16m59.6s exactly, which read 16m59s). Within one printed second the
    exact figure, which the times cannot tell (0.6s, not 0s)."""
    whole = end.replace(microsecond=0) - start.replace(microsecond=0)
    return end - start if not whole and end > start else whole


def printed_duration(start: datetime, end: datetime) -> str:
    """`exact_duration` of `printed_span`: the figure printed beside, or derivable
    from, the times of `start` and `end`."""
    return exact_duration(printed_span(start, end))


def seconds(delta: timedelta | None) -> float | None:
    return round(delta.total_seconds(), 3) if delta is not None else None


class LocalZone(Struct, frozen=True):
    """The coordinator's zone for "local time alongside"; `tz` None shows UTC only."""

    tz: tzinfo | None = None

    @property
    def name(self) -> str:
        if self.tz is None:
            return "UTC"
        key = getattr(self.tz, "key", None)
        return key if isinstance(key, str) else str(self.tz)

    def differs(self, moment: datetime) -> bool:
        """Whether local time at `moment` says something UTC does not."""
        if self.tz is None:
            return False
        return moment.astimezone(self.tz).utcoffset() != timedelta(0)

    def time(self, moment: datetime) -> str:
        """`10:00:40 CET`."""
        local = moment.astimezone(self.tz)
        return f"{local:%H:%M:%S} {local.tzname() or ''}".rstrip()

    def stamp(self, moment: datetime) -> str:
        """`2026-11-28 10:00:40 CET`."""
        local = moment.astimezone(self.tz)
        return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname() or ''}".rstrip()

    def on_day_of(self, moment: datetime, first: datetime) -> str:
        """Local time, `00:10:00 JST`, with its date when that is not `first`'s local
        date: `2026-11-29 00:10:00 JST` (read beside a T+0 on the 28th, "00:10" alone
        said the 28th)."""
        local = moment.astimezone(self.tz)
        if local.date() == first.astimezone(self.tz).date():
            return self.time(moment)
        return self.stamp(moment)

    def alongside(
        self, moment: datetime, *, date: bool = False, first: datetime | None = None
    ) -> str:
        """`2026-11-28 09:00:40 UTC (10:00:40 CET)`, or UTC alone when local adds nothing.

        With `date` the UTC time has its date. Without it, given `first` (T+0), each time
        has its date where its day in its own zone is not `first`'s day in that zone:
        `23:10:00 UTC (2026-11-29 00:10:00 CET)` on an incident that began on the 28th.
        """
        if date or (first is not None and _day(moment) != _day(first)):
            utc = utc_stamp(moment)
        else:
            utc = f"{utc_time(moment)} UTC"
        if not self.differs(moment):
            return utc
        if first is not None and not date:
            return f"{utc} ({self.on_day_of(moment, first)})"
        local = moment.astimezone(self.tz)
        same_day = local.date() == moment.astimezone(UTC).date()
        return f"{utc} ({self.time(moment) if same_day or not date else self.stamp(moment)})"


class ReadTime(Struct, frozen=True):
    """A time as a person typed it: the moment, and the zone it was read in when the
    text gave none."""

    at: datetime
    """Aware, in UTC."""
    zone: str = ""
    """The zone a time typed without one was read in (`Europe/Berlin`); "" when the
    text gave its own."""
    typed: str = ""
    """That time on the zone's wall clock, `2026-12-08 14:00` (with `zone`)."""

    def said(self) -> str:
        """`2026-12-08 14:00 read in Europe/Berlin`; "" when the text gave its zone."""
        return f"{self.typed} read in {self.zone}" if self.zone else ""


def zone_name(zone: tzinfo) -> str:
    """A zone's name as people set it (`Europe/Berlin`), else its abbreviation now."""
    key = getattr(zone, "key", None)
    return key if isinstance(key, str) else (datetime.now(zone).tzname() or "UTC")


def read_time(text: str, zone: tzinfo) -> ReadTime:
    """A date and time typed as people type it: ISO 8601 with `T` or a space between
    the date and the time (`2026-12-08 14:00`, `2026-12-08T14:00Z`); one without a
    zone is read in `zone` (the one the report is written in: `--tz`, else this
    machine's). ValueError (`OutOfRange` for a year out of range) if it does not read;
    a date alone is not a time."""
    from incident.core.events import parse_timestamp

    typed = text.strip()
    if len(typed) <= len("2026-12-08"):
        raise ValueError(f"not a date and time: {text!r}")
    moment = datetime.fromisoformat(typed.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        return ReadTime(parse_timestamp(moment.isoformat()))
    at = parse_timestamp(moment.replace(tzinfo=zone).isoformat())
    return ReadTime(at, zone_name(zone), f"{moment:%Y-%m-%d %H:%M}")
