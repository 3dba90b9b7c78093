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
    runbook = str(tmp_path / "leaky.yaml")
    declared = ("declare", "--runbook", runbook, "--title", "T", "--severity", "SEV2")
    incident = cli.in_process().ok(*declared, "--commander", "A").strip()  # set-up
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


def test_a_command_step_s_output_hides_credential_named_environment_values(tmp_path):
    """`set -x` printed `$AWS_SECRET_ACCESS_KEY` into the record, since the runbook
    did not name it (a security review, #4); a short value and other names stay."""
    printing = LEAKY.replace(
        'echo "+ migrate --url $DEPLOY_DB_URL"',
        'echo "+ migrate --url $DEPLOY_DB_URL $AWS_SECRET_ACCESS_KEY $GITHUB_TOKEN $DB_PASSWORD"',
    )
    assert printing != LEAKY
    (tmp_path / "leaky.yaml").write_text(printing)
    cli = Cli(tmp_path / "record.db")
    cli.env.update(
        AWS_SECRET_ACCESS_KEY="awssecret-QWERTYUIOP",
        GITHUB_TOKEN="ghp-abcdefgh12345",
        DB_PASSWORD="short",
        DEPLOY_DB_URL="http://deploy.example/ok",
    )
    runbook = str(tmp_path / "leaky.yaml")
    declared = ("declare", "--runbook", runbook, "--title", "T", "--severity", "SEV2")
    incident = cli.in_process().ok(*declared, "--commander", "A").strip()  # set-up
    done = cli.run("run", incident, "redeploy", "--yes")
    record = "".join(events(cli.db))
    for leak in ("awssecret-QWERTYUIOP", "ghp-abcdefgh12345"):
        assert leak not in done.out + done.err and leak not in record
    assert "+ migrate --url http://deploy.example/ok *** *** short" in record
    typed = cli.run("note", incident, "key was awssecret-QWERTYUIOP")
    assert "holds the value of $AWS_SECRET_ACCESS_KEY, a secret" in typed.err


@pytest.mark.parametrize(
    ("option", "param"),
    [
        ("--title", "title"),
        ("--issue", "issue"),
        ("--channel", "channel"),
        ("--from-version", "from_version"),
        ("--last-good", "last_good"),
        ("--commander", "commander"),
        ("--coordinator", "coordinator"),
    ],
)
def test_declare_refuses_a_typed_field_holding_a_runbook_secret(tmp_path, option, param):
    """`declare` has a handler of its own, and its fields went into the record as typed
    (a title pasted from an alert that quoted a webhook URL); no database is created.
    The refusal names the option (`--last-good`), not the code's `last_good`."""
    (tmp_path / "leaky.yaml").write_text(LEAKY)
    cli = Cli(tmp_path / "record.db")
    cli.env["OPS_TOKEN"] = OPS_TOKEN
    given = {"--title": "T", "--severity": "SEV2", "--commander": "A"}
    given[option] = f"x {OPS_TOKEN}"
    args = [item for pair in given.items() for item in pair]
    done = cli.run("declare", "--runbook", str(tmp_path / "leaky.yaml"), *args)
    assert done.code == 2, done
    assert done.err.count("\n") == 1 and "Traceback" not in done.err
    assert f"declare: {option} holds the value of $OPS_TOKEN, a secret: not recorded" in done.err
    assert OPS_TOKEN not in done.out + done.err
    assert not cli.db.exists()


def test_a_list_of_names_holding_a_secret_is_refused(leaky):
    """`--attendees A,B` is a list: the check read only plain text and let it through."""
    cli, incident = leaky
    before = events(cli.db)
    done = cli.run(
        "schedule-postmortem",
        incident,
        "--at",
        "2030-01-07T10:00Z",
        "--attendees",
        f"Ada,{OPS_TOKEN}",
    )
    assert done.code == 2, done
    assert "--attendees holds the value of $OPS_TOKEN, a secret: not recorded" in done.err
    assert events(cli.db) == before


def test_send_s_text_and_channel_are_refused_too(leaky):
    cli, incident = leaky
    before = events(cli.db)
    for typed in (["--text", f"hook {OPS_TOKEN}"], ["--text", "hi", "--channel", OPS_TOKEN]):
        done = cli.run("send", incident, *typed)
        assert done.code == 2 and "holds the value of $OPS_TOKEN, a secret" in done.err, done
    assert events(cli.db) == before


NAMED = """\
runbook: named
title: A probe whose URL names the service from the environment
probes:
  - {name: checkout, kind: http, url: "http://127.0.0.1:9/health?service=${SERVICE}"}
phases:
  - id: execute
    title: Execute
    steps:
      - {id: restart-checkout, title: Restart the service}
"""


@pytest.fixture
def named(tmp_path: Path) -> tuple[Cli, str]:
    """`$SERVICE=checkout`, read by a probe URL's query: a value the incident takes for
    a secret (`runbooks.secret_reads`), which the runbook's own step ID and probe name
    spell."""
    (tmp_path / "named.yaml").write_text(NAMED)
    cli = Cli(tmp_path / "record.db")
    cli.env["SERVICE"] = "checkout"
    incident = cli.in_process().ok(
        "declare", "--runbook", str(tmp_path / "named.yaml"), "--title", "T", "--severity",
        "SEV2", "--commander", "A",
    ).strip()  # fmt: skip
    return cli, incident


@pytest.mark.parametrize(
    "typed",
    [
        ["check", "restart-checkout", "--note", "done"],
        ["baseline", "checkout", "--value", "0.5"],
        ["reopen", "restart-checkout", "--reason", "again"],
    ],
)
def test_identifiers_from_the_runbook_are_not_taken_for_typed_text(named, typed):
    """A step's ID, a probe's name, a template's or a tier's come from the runbook, not
    from a person: one that spells a secret's value was refused, with no way round."""
    cli, incident = named
    if typed[0] == "reopen":
        cli.in_process().ok("check", incident, "restart-checkout", "--note", "done")
    done = cli.run(typed[0], incident, *typed[1:])
    assert done.code == 0, done.err
    assert "a secret" not in done.err


def test_typed_text_spelling_the_value_is_still_refused(named):
    cli, incident = named
    done = cli.run("note", incident, "restarted checkout")
    assert done.code == 2 and "note: TEXT holds the value of $SERVICE, a secret" in done.err


def test_the_secrets_are_computed_once_per_runbook_and_environment(tmp_path):
    """Asked anew on each check before; a variable changed, set or unset since is a
    new key, so the value it holds now is the one refused."""
    from incident.app.typed_secrets import known_secrets, refuse_typed_secrets
    from incident.app.verbs import BY_NAME
    from incident.core.errors import CommandError
    from runbooks.loading import load_runbook

    (tmp_path / "leaky.yaml").write_text(LEAKY)
    runbook = load_runbook(tmp_path / "leaky.yaml")
    env = {"OPS_TOKEN": OPS_TOKEN, "PATH": "/bin"}
    first = known_secrets(runbook, env, None)
    assert known_secrets(runbook, dict(env), None) is first
    assert known_secrets(runbook, {**env, "PATH": "/usr/bin"}, None) is first  # not read
    rotated = {**env, "OPS_TOKEN": "tok-ROTATED-0000"}
    assert known_secrets(runbook, rotated, None) is not first
    note = BY_NAME["note"]
    refuse_typed_secrets(runbook, note, {"text": f"old {OPS_TOKEN}"}, env=rotated)
    with pytest.raises(CommandError, match=r"\$OPS_TOKEN"):
        refuse_typed_secrets(runbook, note, {"text": "new tok-ROTATED-0000"}, env=rotated)
    with pytest.raises(CommandError, match=r"\$DEPLOY_API_KEY"):
        added = {**rotated, "DEPLOY_API_KEY": "key-ADDED-12345"}
        refuse_typed_secrets(runbook, note, {"text": "key-ADDED-12345"}, env=added)
    with pytest.raises(CommandError, match="the --db URL's password"):
        db = "postgresql://u:pw-FOR-THE-DB@h/x"
        refuse_typed_secrets(runbook, note, {"text": "pw-FOR-THE-DB"}, db=db, env=env)
