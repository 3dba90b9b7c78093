"""Text at its edges, through `lastgood` as a user runs it (review 5, findings 16, 10, 14,
7, 8 and 9): one rule for what is shown as a code, the same rule for what a name may
hold, and an option given twice, empty or too long refused in one line naming it.

The declarations, and the reads that show nothing was recorded, run the same `main`
in-process; every verb a case types its text into runs as a process.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from incident import commands
from incident.core.clock import SystemClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli, declare
from tui.demo.scenarios import bundled_runbook

BIDI_AND_BLANK = "LRM:\u200e RLM:\u200f ALM:\u061c RLO:\u202e ZWSP:\u200b ZWJ:\u200d HANGUL:\u3164"
"""The review's note: marks, a joiner between ASCII and a Hangul filler beside the
controls that were already shown as codes."""


def test_bidi_marks_stray_joiners_and_fillers_are_shown_as_codes_like_other_controls(
    tmp_path: Path,
) -> None:
    cli = Cli(tmp_path / "t.db", actor="Ada")
    incident_id = declare(cli.in_process())
    cli.ok("note", incident_id, BIDI_AND_BLANK)
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # an emoji's joiners join
    cli.ok("note", incident_id, f"family {family}")

    timeline = cli.ok("timeline", incident_id)
    assert (
        "LRM:\\\\u200e RLM:\\\\u200f ALM:\\\\u061c RLO:\\\\u202e ZWSP:\\\\u200b ZWJ:\\\\u200d "
        "HANGUL:\\\\u3164"
    ) in timeline  # Markdown: the backslash of each code escaped
    for raw in "\u200e\u200f\u061c\u202e\u200b\u3164":
        assert raw not in timeline, hex(ord(raw))
    assert f"family {family}" in timeline
    # The record keeps the exact text: JSON escapes it, and reads back the same.
    events = json.loads(cli.ok("export", incident_id, "--format", "json"))["events"]
    assert BIDI_AND_BLANK in [event["payload"].get("text") for event in events]


def test_a_name_holding_what_the_output_shows_as_a_code_is_refused(tmp_path: Path) -> None:
    """`--as` with a joiner, a mark or a Hangul filler (printed blank) was recorded,
    while a zero-width space was refused: one set now, what `visible` shows as a code
    (review 5, finding 10). A joiner inside an emoji is part of a name."""
    cli = Cli(tmp_path / "t.db", actor="Ada")
    incident_id = declare(cli.in_process())
    before = _events(cli, incident_id)
    for name, why in (
        ("Ada\u200d", "\\u200d at character 4"),
        ("Ada\u200f", "\\u200f at character 4"),
        ("\u3164", "\\u3164 at character 1"),
        ("Bo \u3164", "\\u3164 at character 4"),
        ("\u200b", "\\u200b at character 1"),
    ):
        refused = cli.run("--as", name, "note", incident_id, "hello")
        assert refused.code == 2, (name, refused)
        assert refused.err == (
            f"lastgood note: --as: the name holds a control character ({why}): "
            "type it as plain text\n"
        ), refused.err
        for verb in (
            ("assign", incident_id, "comms-lead", name),
            ("decide", incident_id, "--by", name, "--reason", "r"),
        ):
            refused = cli.run(*verb)
            assert refused.code == 2 and why in refused.err, (name, refused)
    assert _events(cli, incident_id) == before
    cli.ok("--as", "Ada \U0001f469\u200d\U0001f4bb", "note", incident_id, "hello")


def _events(cli: Cli, incident_id: str) -> list[object]:
    exported = cli.in_process().ok("export", incident_id, "--format", "json")
    events: list[object] = json.loads(exported)["events"]
    return events


def test_a_carriage_return_in_the_title_is_shown_in_the_calendar_file_not_a_line_break(
    tmp_path: Path,
) -> None:
    """The `.ics` wrote a CR in the title, issue or channel as the iCalendar line break
    `\\n`, so a calendar showed the title on two lines, where every other output shows
    `␍` (review 5, finding 14). A field's own line is one line; the description's
    lines are lastgood's.

    A title, issue or channel holding a line break is refused where it is typed now
    (`tests/test_one_line_fields.py`), so this record is declared as one from before
    that rule was: through the domain, not the command line."""
    cli = Cli(tmp_path / "t.db", actor="Ada")
    title, channel = "x\x1b[31mRED\rover", "#inc\rfake"
    details = commands.Declaration(
        title=title, severity="SEV2", commander="Ada", issue="one\rtwo", channel=channel
    )
    declared = commands.declare(bundled_runbook(), details, actor="Ada", clock=SystemClock())
    with SqliteEventLog.open(cli.db) as log:
        log.append([declared])
    incident_id = declared.incident_id
    cli.ok("close", incident_id, "--force", "--reason", "over")
    at = (datetime.now(UTC) + timedelta(hours=2)).isoformat(timespec="minutes")
    cli.ok("schedule-postmortem", incident_id, "--at", at, "--attendees", "Bo,Cy")
    for args in (("export", incident_id, "--format", "ics", "-o", "-"), ("ics", incident_id)):
        ics = cli.ok(*args)  # read as text: its CRLF line ends as LF
        lines = {line.partition(":")[0]: line for line in ics.replace("\n ", "").split("\n")}
        assert lines["SUMMARY"] == (f"SUMMARY:Post-mortem: x␛[31mRED␍over ({incident_id})"), lines[
            "SUMMARY"
        ]
        assert lines["LOCATION"] == "LOCATION:#inc␍fake"
        assert "\\nIssue: one␍two\\n" in lines["DESCRIPTION"]
        assert "SEV2 x␛[31mRED␍over." in lines["DESCRIPTION"]


def test_a_name_over_the_limit_is_refused_naming_the_option(tmp_path: Path) -> None:
    """`--as` of 100,000 characters said `the by is 100,000 characters long`: the
    record's field, not the option typed (review 5, finding 7)."""
    cli = Cli(tmp_path / "t.db", actor="Ada")
    incident_id = declare(cli.in_process())
    before = _events(cli, incident_id)
    refused = cli.run("--as", "E" * 100_000, "note", incident_id, "hello")
    assert refused.code == 2, refused
    assert refused.err == (
        "lastgood note: --as: the name is 100,000 characters long; the limit for a name is 200\n"
    )
    refused = cli.run("assign", incident_id, "comms-lead", "E" * 201)
    assert refused.code == 2 and "the name is 201 characters long" in refused.err, refused
    assert "the by" not in refused.err and "Traceback" not in refused.err
    assert _events(cli, incident_id) == before
    cli.ok("--as", "E" * 200, "note", incident_id, "hello")  # at the limit: a name


def test_an_empty_as_is_refused_not_taken_for_someone_else(tmp_path: Path) -> None:
    """`--as ""` and `--as "   "` were taken as not given: the note was recorded as
    git's user.name, someone else (review 5, finding 8). `--db ""` was refused already."""
    cli = Cli(tmp_path / "t.db", actor="Ada")
    incident_id = declare(cli.in_process())
    before = _events(cli, incident_id)
    for words in (
        ("--as", "", "note", incident_id, "hello"),
        ("--as", "   ", "note", incident_id, "hello"),
        ("note", incident_id, "hello", "--as="),
    ):
        refused = cli.run(*words)
        assert refused.code == 2, (words, refused)
        assert refused.err == "lastgood note: --as needs a name, not an empty string\n", (
            words,
            refused.err,
        )
    assert _events(cli, incident_id) == before


def test_an_option_given_twice_is_refused_naming_it(tmp_path: Path) -> None:
    """`skip … --reason first --reason second` recorded `second`, without a word: the
    first reason was dropped (review 5, finding 9). Each way of reading a command line
    (by rule, and argparse) refuses it, naming the option; nothing is recorded."""
    cli = Cli(tmp_path / "t.db", actor="Ada")
    incident_id = declare(cli.in_process())
    before = _events(cli, incident_id)
    step = "assess-severity"
    for words, option in (
        (("skip", incident_id, step, "--reason", "first", "--reason", "second"), "--reason"),
        (("skip", incident_id, step, "--reason=first", "--reas", "second"), "--reason"),
        (("--as", "Ada", "skip", incident_id, step, "--reason", "r", "--as", "Bo"), "--as"),
        (("--as", "Ada", "--as", "Bo", "note", incident_id, "hello"), "--as"),
        (("--db", str(cli.db), "note", incident_id, "hi", "--db", str(cli.db)), "--db"),
        (
            ("declare", "--title", "a", "--title", "b", "--severity", "SEV2", "--commander", "Ada"),
            "--title",
        ),
    ):
        refused = cli.run(*words)
        verb = next(word for word in words if word in ("skip", "note", "declare"))
        assert refused.code == 2, (words, refused)
        assert refused.err == (
            f"lastgood {verb}: error: {option} is given twice: give it once (see --help)\n"
        ), (words, refused.err)
    assert _events(cli, incident_id) == before
    assert len(json.loads(cli.ok("list", "--json"))) == 1  # no second incident declared
