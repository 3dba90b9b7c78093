"""A mistyped incident ID is refused, saying which incident it most likely meant.

Typed from memory in a second terminal, or copied from a header that cut it short:
`inc-…` in lower case, the four characters that tell the day's incidents apart, one
wrong character. Nothing is recorded for the guess; the refusal names it, to paste.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from incident.app.incident_ids import likely_incident
from tests.cli_helpers import Cli, declare

IDS = ["INC-20261207-3C84", "INC-20261207-9F10", "INC-20261206-AB12"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("inc-20261207-3c84", "INC-20261207-3C84"),  # letter case
        ("3C84", "INC-20261207-3C84"),  # the tail that differs
        ("9f10", "INC-20261207-9F10"),
        ("INC-20261207-3C8", "INC-20261207-3C84"),  # cut short
        ("INC-20261207-3C48", "INC-20261207-3C84"),  # two characters swapped
        ("INC-20261206-AB13", "INC-20261206-AB12"),
    ],
)
def test_a_typed_id_is_matched_to_the_incident_it_most_likely_meant(typed: str, meant: str) -> None:
    assert likely_incident(typed, IDS) == meant


@pytest.mark.parametrize("typed", ["", "   ", "NOPE", "C84", "checkout", "INC-0-NOPE"])
def test_no_guess_for_a_word_like_no_incident(typed: str) -> None:
    """Three characters are too few to stand for an ID; a word unlike every ID gets no
    guess, rather than the least unlike."""
    assert likely_incident(typed, IDS) is None


def test_a_tail_two_incidents_share_is_no_guess_by_its_tail() -> None:
    ids = ["INC-20261207-3C84", "INC-20261208-3C84"]
    assert likely_incident("3c84", ids) is None


def test_a_recording_verb_refuses_naming_the_incident_and_records_nothing(tmp_path: Path) -> None:
    """A write to a guessed incident is worse than a keystroke: `note` refuses the lower
    case ID and the tail, naming the incident to paste."""
    cli = Cli(tmp_path / "guess.db", actor="Ada Lovelace")
    incident_id = declare(cli.in_process())
    tail = incident_id.rsplit("-", 1)[1]

    for typed in (incident_id.lower(), tail.lower()):
        refused = cli.run("note", typed, "cache warm")
        assert refused.code == 2
        assert refused.err == (
            f"lastgood note: no incident '{typed}' in {cli.db} (did you mean '{incident_id}'?)\n"
        )
    assert "cache warm" not in cli.ok("export", incident_id, "--format", "json")


def test_a_reading_verb_reads_the_incident_a_case_or_tail_names_saying_so(tmp_path: Path) -> None:
    """`brief 00b9` on a phone was refused with "did you mean 'INC-20261207-00B9'?"
    though it knew (ux_review13 #12): a verb that only reads reads it, and says on
    stderr which incident it read; a tail two incidents share, or one of three
    characters, is still refused with the guess."""
    cli = Cli(tmp_path / "read.db", actor="Ada Lovelace")
    setup = cli.in_process()
    incident_id = declare(setup)
    other = declare(setup, "--title", "Search slow")
    tail = incident_id.rsplit("-", 1)[1]
    typings = (("status", tail.lower()), ("brief", incident_id.lower()), ("timeline", tail))
    for verb, typed in typings:
        read = cli.run(verb, typed)
        assert read.code == 0, read.err
        assert read.err == f"lastgood {verb}: {incident_id} (for '{typed}')\n"
        assert incident_id in read.out and other not in read.out
    short = cli.run("status", tail[1:])  # three characters name nothing
    assert short.code == 2 and short.err.startswith(f"lastgood status: no incident '{tail[1:]}'")
