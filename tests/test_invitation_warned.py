"""Booking the post-mortem says, in one line, whom its calendar file will not invite.

`schedule-postmortem --attendees "Chidi Okafor,Dana Oncall,mia@example.com" --organizer
mia@example.com` made an invitation whose only ATTENDEE was Mia: the commander and Dana
were named in its description and nothing said so (ux_review16 #10). On a real SQLite
file, through the same `main` a coordinator runs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar

from tests.cli_helpers import InProcessCli, declare


def booked(tmp_path: Path, *options: str) -> tuple[InProcessCli, str, str, str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    cli = InProcessCli(tmp_path / "booking.db", actor="Dana Oncall")
    incident_id = declare(cli)
    cli.ok("send", incident_id, "--template", "resolved")
    at = (datetime.now(UTC) + timedelta(hours=25)).replace(microsecond=0).isoformat()
    result = cli.run("schedule-postmortem", incident_id, "--at", at, *options)
    assert result.code == 0, result.err
    return cli, incident_id, result.out, result.err


def test_attendees_without_an_address_are_named_as_not_invited(tmp_path: Path) -> None:
    cli, incident_id, out, err = booked(
        tmp_path,
        "--attendees",
        "Chidi Okafor,Dana Oncall,mia@example.com",
        "--organizer",
        "mia@example.com",
    )
    assert "post-mortem booked for" in out
    warned = [line for line in err.splitlines() if "not invited" in line]
    assert len(warned) == 1, err
    assert "no email address: Chidi Okafor, Dana Oncall" in warned[0]
    assert "mia@example.com" not in warned[0]
    # The file says the same: Mia alone is an ATTENDEE, and the organizer bears no
    # name but her own address (it bore the booker's, Dana's).
    ics = tmp_path / "postmortem.ics"
    cli.ok("ics", incident_id, "-o", str(ics))
    calendar = icalendar.Calendar.from_ical(ics.read_text(encoding="utf-8"))
    event = next(c for c in calendar.walk() if c.name == "VEVENT")
    attendees = event["ATTENDEE"]
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == ["mailto:mia@example.com"]
    assert str(event["ORGANIZER"]) == "mailto:mia@example.com"
    assert "CN" not in event["ORGANIZER"].params


def test_without_an_organizer_the_addressed_attendees_are_told_they_are_not_invited(
    tmp_path: Path,
) -> None:
    _, _, _, err = booked(tmp_path, "--attendees", "Ada,bo@example.com")
    warned = [line for line in err.splitlines() if "not invited" in line]
    assert len(warned) == 1 and "not invited: bo@example.com: with no organizer's" in warned[0]


def test_everyone_invited_or_no_one_named_says_nothing(tmp_path: Path) -> None:
    _, _, _, err = booked(
        tmp_path, "--attendees", "bo@example.com", "--organizer", "ada@example.com"
    )
    assert "not invited" not in err
    _, _, _, err = booked(tmp_path / "names", "--attendees", "Ada,Bo")
    assert "not invited" not in err
