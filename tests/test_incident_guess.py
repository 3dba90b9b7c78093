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


def test_the_refusal_names_the_incident_and_records_nothing(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "guess.db", actor="Ada Lovelace")
    incident_id = declare(cli.in_process())
    tail = incident_id.rsplit("-", 1)[1]

    for verb in (("status",), ("brief",), ("note",)):
        args = (*verb, incident_id.lower(), *(("cache warm",) if verb == ("note",) else ()))
        refused = cli.run(*args)
        assert refused.code == 2
        assert refused.err == (
            f"lastgood {verb[0]}: no incident '{incident_id.lower()}' in {cli.db}"
            f" (did you mean '{incident_id}'?)\n"
        )
    by_tail = cli.run("status", tail.lower())
    assert by_tail.code == 2 and by_tail.err.endswith(f"(did you mean '{incident_id}'?)\n")

    assert "cache warm" not in cli.ok("export", incident_id, "--format", "json")
