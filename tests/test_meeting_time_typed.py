"""The post-mortem's time typed the ordinary way: `2026-12-08 14:00`.

Both faces refused it (`'2026-12-08 14:00' is not an ISO 8601 time with a timezone`),
and only `2026-12-08T14:00Z` was taken (ux_review11 #14). One parser now
(`incident.core.timefmt.read_time`): a space or a `T` before the time, and a time with
no zone read in the zone the report is written in unless told (this machine's:
`incident.app.params.machine_zone`, `$TZ` first), which the booking's confirmation
names. The TUI's booking is tests/tui/test_meeting_time_typed.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from incident.app.verbs import BY_NAME
from incident.core.timefmt import ReadTime, read_time
from tests.cli_helpers import InProcessCli, declare

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_space_for_the_t_and_no_zone_is_read_in_the_zone_given() -> None:
    read = read_time("2026-12-08 14:00", BERLIN)
    assert read == ReadTime(
        datetime(2026, 12, 8, 13, 0, tzinfo=UTC), "Europe/Berlin", "2026-12-08 14:00"
    )
    assert read.said() == "2026-12-08 14:00 read in Europe/Berlin"
    assert read_time(" 2026-12-08T14:00 ", BERLIN) == read
    # A zone typed is the zone used, and nothing is said of another.
    given = read_time("2026-12-08 14:00Z", BERLIN)
    assert given == ReadTime(datetime(2026, 12, 8, 14, 0, tzinfo=UTC))
    assert given.said() == ""
    assert read_time("2026-12-08T14:00+01:00", UTC).at == read.at


@pytest.mark.parametrize("typed", ["2026-12-08", "tomorrow 14:00", "2026-12-08 25:00", ""])
def test_what_is_not_a_date_and_time_is_refused_naming_the_zone(
    typed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    with pytest.raises(ValueError, match="read in Europe/Berlin") as refused:
        BY_NAME["schedule-postmortem"].param("at").parse(typed, lambda: datetime.now(UTC))
    assert f"'{typed}' is not a date and time (ISO 8601; without a zone" in str(refused.value)


def test_the_command_line_books_a_time_without_a_zone_in_the_machines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    cli = InProcessCli(tmp_path / "booking.db", actor="Ada")
    incident_id = declare(cli)
    cli.ok("send", incident_id, "--template", "resolved")
    day = (datetime.now(ZoneInfo("America/New_York")) + timedelta(days=1)).date()
    typed = f"{day.isoformat()} 14:00"

    said = cli.ok("schedule-postmortem", incident_id, "--at", typed).splitlines()[0]

    starts = datetime(day.year, day.month, day.day, 14, tzinfo=ZoneInfo("America/New_York"))
    utc = starts.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    assert f"  post-mortem booked for {utc} (60 min): {typed} read in America/New_York;" in said
    # A time with its zone is booked as written, and nothing is said of the machine's.
    again = cli.ok("schedule-postmortem", incident_id, "--at", f"{day.isoformat()}T18:00Z")
    assert "read in" not in again and f"{day.isoformat()} 18:00:00 UTC (60 min)" in again
