"""Typed text holding a secret the incident knows of is refused, in every face, never
recorded and never silently changed (a security review, #9): the CLI recorded a note
holding a runbook token verbatim while the screen's kept copy recorded it as `***`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.cli_helpers import Cli
from tests.leaky_runbook import LEAKY, OPS_TOKEN


def events(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT payload FROM events ORDER BY seq")]


@pytest.fixture
def leaky(tmp_path: Path) -> tuple[Cli, str]:
    (tmp_path / "leaky.yaml").write_text(LEAKY)
    cli = Cli(tmp_path / "record.db")
    cli.env["OPS_TOKEN"] = OPS_TOKEN
    incident = cli.ok(
        "declare",
        "--runbook",
        str(tmp_path / "leaky.yaml"),
        "--title",
        "T",
        "--severity",
        "SEV2",
        "--commander",
        "A",
    ).strip()
    return cli, incident


@pytest.mark.parametrize(
    ("verb", "typed"),
    [
        ("note", ["posted to http://hooks/x?t=" + OPS_TOKEN]),
        ("skip", ["redeploy", "--reason", f"token {OPS_TOKEN} expired"]),
        ("check", ["redeploy", "--evidence", f"curl -H 'Bearer {OPS_TOKEN}' ok"]),
    ],
)
def test_the_cli_refuses_typed_text_holding_a_runbook_secret(leaky, verb, typed):
    cli, incident = leaky
    before = events(cli.db)
    done = cli.run(verb, incident, *typed)
    assert done.code != 0
    assert done.err.count("\n") == 1 and "Traceback" not in done.err
    assert "holds the value of $OPS_TOKEN, a secret: not recorded" in done.err, done.err
    assert OPS_TOKEN not in done.err
    assert events(cli.db) == before


def test_text_holding_no_secret_is_recorded_as_typed(leaky):
    cli, incident = leaky
    done = cli.run("note", incident, "token rotated: OPS_TOKEN is *** now")
    assert done.code == 0, done.err
    assert "token rotated: OPS_TOKEN is *** now" in events(cli.db)[-1]
