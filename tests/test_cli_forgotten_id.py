"""A verb on one incident run without the incident's ID, as a user types it, on a real file.

`lastgood check assess-severity` used to say `required: STEP`: argparse had taken the
step as the ID. Every verb that takes the ID and then arguments of its own now says
what the word is and the command with the ID in its place; one line, exit 2, and
nothing recorded (the database is not even made). What the word is, the runbook says
(`db-tier full` was called a tier by its shape; the bundled runbook has none by that
name), and the command given back keeps the options typed before the verb.
"""

from __future__ import annotations

import pytest

from incident.app.params import Param
from incident.app.verb import STEP, Scope, Verb
from tests.cli_helpers import Cli
from tui.cli.forgotten_id import REQUIRED, forgotten_id

CASES = [
    (
        ("check", "assess-severity"),
        "lastgood check: error: 'assess-severity' is a step, not an incident ID: "
        "lastgood check INC-... assess-severity (see --help)\n",
    ),
    (
        ("skip", "--reason", "not needed", "assemble-team"),
        "lastgood skip: error: 'assemble-team' is a step, not an incident ID: "
        "lastgood skip INC-... --reason 'not needed' assemble-team (see --help)\n",
    ),
    (
        ("approve", "decide-rollback", "--reason", "agreed"),
        "lastgood approve: error: 'decide-rollback' is a step, not an incident ID: "
        "lastgood approve INC-... decide-rollback --reason agreed (see --help)\n",
    ),
    (
        ("approve", "restore-backup", "--reason", "agreed"),
        "lastgood approve: error: 'restore-backup' is a tier, not an incident ID: "
        "lastgood approve INC-... restore-backup --reason agreed (see --help)\n",
    ),
    (
        ("db-tier", "full", "--reason", "schema changed"),
        "lastgood db-tier: error: 'full' is not an incident ID: "
        "lastgood db-tier INC-... full --reason 'schema changed' (see --help)\n",
    ),
    (
        ("assign", "dba", "Bo"),
        "lastgood assign: error: 'dba' is not an incident ID: "
        "lastgood assign INC-... dba Bo (see --help)\n",
    ),
    (
        ("trigger", "core-broken", "met"),
        "lastgood trigger: error: 'core-broken' is a trigger, not an incident ID: "
        "lastgood trigger INC-... core-broken met (see --help)\n",
    ),
    (
        ("assign", "ops", "Bo"),
        "lastgood assign: error: 'ops' is a role, not an incident ID: "
        "lastgood assign INC-... ops Bo (see --help)\n",
    ),
    (
        ("decline", "update", "--reason", "said in the channel"),
        "lastgood decline: error: 'update' is a template, not an incident ID: "
        "lastgood decline INC-... update --reason 'said in the channel' (see --help)\n",
    ),
    (
        ("note", "rolled back"),
        "lastgood note: error: 'rolled back' is not an incident ID: "
        "lastgood note INC-... 'rolled back' (see --help)\n",
    ),
    (
        ("action-done", "2"),
        "lastgood action-done: error: '2' is not an incident ID: "
        "lastgood action-done INC-... 2 (see --help)\n",
    ),
]


@pytest.mark.parametrize(("args", "said"), CASES, ids=[f"{args[0]}-{args[1]}" for args, _ in CASES])
def test_a_verb_without_the_incident_id_says_so_and_how(tmp_path, args, said):
    cli = Cli(tmp_path / "incidents.db")
    result = cli.run(*args)
    assert (result.code, result.out, result.err) == (2, "", said)
    assert not cli.db.exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("--db", "DB", "check", "assess-severity"),
            "lastgood check: error: 'assess-severity' is a step, not an incident ID: "
            "lastgood --db DB check INC-... assess-severity (see --help)\n",
        ),
        (
            ("--db=DB", "--as", "Bo Li", "skip", "canary", "--reason", "none"),
            "lastgood skip: error: 'canary' is not an incident ID: "
            "lastgood --db=DB --as 'Bo Li' skip INC-... canary --reason none (see --help)\n",
        ),
    ],
    ids=["db", "db-and-as"],
)
def test_the_command_given_back_keeps_the_options_typed_before_the_verb(tmp_path, args, said):
    """`lastgood --db PATH check assess-severity` was given back without `--db PATH`: run
    as shown, it would have recorded into the default database."""
    cli = Cli(tmp_path / "incidents.db")
    db = str(cli.db)
    result = cli.run(*(word.replace("DB", db) for word in args))
    assert (result.code, result.out, result.err) == (2, "", said.replace("DB", db))
    assert not cli.db.exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("check", "INC-20261206-0001"), "the following arguments are required: STEP"),
        (("check", "inc-20261206-0001"), "the following arguments are required: STEP"),
        (("check",), "the following arguments are required: ID, STEP"),
    ],
    ids=["id-given", "id-in-lowercase", "nothing-given"],
)
def test_an_id_given_leaves_the_missing_argument_named(tmp_path, args, said):
    """A word that begins as an incident ID is one (maybe mistyped): what is missing is
    the argument after it."""
    result = Cli(tmp_path / "incidents.db").run(*args)
    assert result.code == 2
    assert said in result.err


MISPLACED = [
    (
        ("check", "assess-severity", "INC-20261206-0001", "--note", "5xx at 12%"),
        "lastgood check: error: 'assess-severity' is a step, not an incident ID; the ID goes "
        "first: lastgood check INC-20261206-0001 assess-severity --note '5xx at 12%' "
        "(see --help)\n",
    ),
    (
        ("assign", "comms-lead", "Cy", "INC-20261206-0001"),
        "lastgood assign: error: 'comms-lead' is a role, not an incident ID; the ID goes "
        "first: lastgood assign INC-20261206-0001 comms-lead Cy (see --help)\n",
    ),
    (
        ("--db", "DB", "note", "rolled back", "INC-20261206-0001"),
        "lastgood note: error: 'rolled back' is not an incident ID; the ID goes first: "
        "lastgood --db DB note INC-20261206-0001 'rolled back' (see --help)\n",
    ),
]


@pytest.mark.parametrize(("args", "said"), MISPLACED, ids=["check", "assign", "note-with-db"])
def test_an_id_typed_after_the_verbs_arguments_is_moved_first(tmp_path, args, said):
    """`check assess-severity INC-…` read the step as the ID and said there was no
    incident 'assess-severity'. Now the command with the ID first; nothing is opened."""
    cli = Cli(tmp_path / "incidents.db")
    db = str(cli.db)
    result = cli.run(*(db if word == "DB" else word for word in args))
    assert (result.code, result.out, result.err) == (2, "", said.replace(" DB ", f" {db} "))
    assert not cli.db.exists()


def test_a_verb_that_takes_a_runbook_is_answered_from_the_one_given(tmp_path):
    """No verb on an incident takes `--runbook` today; one that did would be answered from
    the runbook it names, and plainly when that one cannot be loaded."""
    checkout = tmp_path / "checkout.yaml"
    checkout.write_text(
        "runbook: checkout\ntitle: Checkout\nphases:\n  - id: decide\n    title: Decide\n"
        "    steps:\n      - {id: drain-canary, title: Drain the canary}\n"
    )
    verb = Verb(
        "drain",
        "Drain",
        "a verb on an incident that names its runbook",
        Scope.RECORD,
        (STEP, Param("runbook", "the runbook", metavar="NAME|PATH")),
    )
    missing = REQUIRED + " STEP"

    def said(runbook: str | None) -> str | None:
        values = {"id": "drain-canary", "step": None, "runbook": runbook}
        return forgotten_id(verb, missing, values, ["drain-canary"])

    shown = "not an incident ID: lastgood drain INC-... drain-canary"
    assert said(str(checkout)) == f"'drain-canary' is a step, {shown}"
    assert said(None) == f"'drain-canary' is {shown}"  # the bundled runbook has no such step
    assert said(str(tmp_path / "gone.yaml")) == f"'drain-canary' is {shown}"
