"""Who is who, as a user meets it: a real SQLite file, real git.

Where the name comes from the process's environment (login, git, $LASTGOOD_ACTOR)
and from another terminal, `lastgood` runs as a separate process; declaring and
reading the record back call the same `main` in this process (`InProcessCli`).

The name recorded comes from `--as`, else $LASTGOOD_USER, else git's `user.name`,
else the login; "root" and "you" never become a name; an approver can confirm from
their own terminal, and the record tells that apart from the coordinator's word.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli_helpers import Cli, InProcessCli

GATE = "decide-rollback"
"""The bundled runbook's phase 1 gate, approved by the incident commander's role."""


def declare(cli: Cli, commander: str = "Ada Lovelace") -> str:
    args = ("declare", "--title", "Checkout errors", "--severity", "SEV2")
    return cli.ok(*args, "--commander", commander).strip()


def events(cli: Cli, incident_id: str) -> list[dict[str, object]]:
    exported = json.loads(cli.ok("export", incident_id, "--format", "json"))
    found: list[dict[str, object]] = exported["events"]
    return found


def anonymous(cli: Cli, tmp_path: Path, *, login: str, git_name: str = "") -> dict[str, str]:
    """An environment with no $LASTGOOD_USER: a login, and git's user.name if given."""
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text(f"[user]\n\tname = {git_name}\n" if git_name else "", encoding="utf-8")
    env = {k: v for k, v in cli.env.items() if k not in ("LASTGOOD_USER", "LASTGOOD_ACTOR")}
    env.update(
        LOGNAME=login,
        USER=login,
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(tmp_path),
    )
    return env


def run(cli: Cli, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    from tests.cli_helpers import ROOT, lastgood_command

    return subprocess.run(
        [*lastgood_command(), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return InProcessCli(tmp_path / "people.db", actor="Ada Lovelace")


def test_as_names_the_actor_before_or_after_the_command(cli: Cli) -> None:
    incident_id = declare(cli)
    cli.ok("--as", "Bo Diddley", "note", incident_id, "first")
    cli.ok("note", incident_id, "second", "--as", "Cy Young")
    cli.ok("note", incident_id, "third")  # $LASTGOOD_USER
    notes = [e for e in events(cli, incident_id) if e["kind"] == "note.added"]
    assert [n["actor"] for n in notes] == ["Bo Diddley", "Cy Young", "Ada Lovelace"]


@pytest.mark.parametrize(
    ("args", "env", "source"),
    [
        (("--as", "root"), {}, "--as"),
        (("--as", "You"), {}, "--as"),
        ((), {"LASTGOOD_USER": "root"}, "$LASTGOOD_USER"),
    ],
)
def test_a_name_that_names_no_one_is_refused_in_one_line(
    cli: Cli, args: tuple[str, ...], env: dict[str, str], source: str
) -> None:
    incident_id = declare(cli)
    before = len(events(cli, incident_id))
    done = run(cli, {**cli.env, **env}, *args, "note", incident_id, "hello")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"lastgood note: {source}: '")
    assert "names no one in particular: give a person's name" in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert len(events(cli, incident_id)) == before


def test_git_user_name_comes_before_the_login(cli: Cli, tmp_path: Path) -> None:
    incident_id = declare(cli)
    env = anonymous(cli, tmp_path, login="root", git_name="Grace Hopper")
    done = run(cli, env, "note", incident_id, "from git")
    assert done.returncode == 0, done.stderr
    assert events(cli, incident_id)[-1]["actor"] == "Grace Hopper"


def test_a_variable_set_but_empty_is_refused_never_read_as_not_given(
    cli: Cli, tmp_path: Path
) -> None:
    """`LASTGOOD_USER="$SLACK_USER_NAME"` with the bot's variable empty recorded git's
    user.name as the person who acted, in an append-only record; an empty
    `LASTGOOD_DB` opened the default file (review 9, finding 4). Each is refused in
    one line naming it, as `--as ""` and `--db ""` are; an option given still wins."""
    incident_id = declare(cli)
    before = len(events(cli, incident_id))
    env = anonymous(cli, tmp_path, login="margaret", git_name="Grace Hopper")
    needs_a_name = "needs a name, not an empty string (or leave it unset)\n"
    for variables, named in (
        ({"LASTGOOD_USER": ""}, "$LASTGOOD_USER"),
        ({"LASTGOOD_USER": "  "}, "$LASTGOOD_USER"),
        ({"LASTGOOD_USER": "", "LASTGOOD_ACTOR": "Aenv"}, "$LASTGOOD_USER"),
        ({"LASTGOOD_ACTOR": ""}, "$LASTGOOD_ACTOR"),
    ):
        done = run(cli, {**env, **variables}, "note", incident_id, "p5")
        assert (done.returncode, done.stdout) == (2, ""), (variables, done)
        assert done.stderr == f"lastgood note: {named} {needs_a_name}", variables
    assert len(events(cli, incident_id)) == before  # nothing recorded, under no name
    given = run(cli, {**env, "LASTGOOD_USER": ""}, "--as", "Bo", "note", incident_id, "p6")
    assert given.returncode == 0, given.stderr
    assert events(cli, incident_id)[-1]["actor"] == "Bo"

    default_home = tmp_path / "home"
    for verb in (
        ["list"],
        ["status", incident_id],
        ["declare", "--title", "t", "--severity", "SEV3", "--commander", "Ada"],
    ):
        done = run(cli, {**env, "HOME": str(default_home), "LASTGOOD_DB": ""}, *verb)
        assert (done.returncode, done.stdout) == (2, ""), (verb, done)
        assert done.stderr == (
            f"lastgood {verb[0]}: $LASTGOOD_DB needs a path or a postgresql:// URL, "
            "not an empty string (or leave it unset)\n"
        )
    assert not default_home.exists()  # the default file was not made, nor read
    named = run(cli, {**env, "LASTGOOD_DB": ""}, "--db", str(cli.db), "status", incident_id)
    assert named.returncode == 0, named.stderr


def test_the_login_is_used_when_it_names_a_person(cli: Cli, tmp_path: Path) -> None:
    incident_id = declare(cli)
    done = run(cli, anonymous(cli, tmp_path, login="margaret"), "note", incident_id, "hi")
    assert done.returncode == 0, done.stderr
    assert events(cli, incident_id)[-1]["actor"] == "margaret"


def test_root_with_no_other_name_is_asked_for_one_and_records_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    incident_id = declare(cli)
    before = len(events(cli, incident_id))
    done = run(cli, anonymous(cli, tmp_path, login="root"), "note", incident_id, "hi")
    assert done.returncode == 2
    assert done.stderr == (
        "lastgood note: who is recording? Nothing names a person here (the login is 'root'): "
        "give --as NAME or set LASTGOOD_USER\n"
    )
    assert len(events(cli, incident_id)) == before


@pytest.mark.parametrize("name", ["you", "root", "ROOT"])
def test_you_and_root_are_never_a_commander_or_an_approver(cli: Cli, name: str) -> None:
    refused = cli.run("declare", "--title", "t", "--severity", "SEV2", "--commander", name)
    assert refused.code == 2 and "the incident commander: '" in refused.err
    assert "(--commander)" in refused.err
    incident_id = declare(cli)
    for args in (
        ("approve", incident_id, GATE, "--by", name, "--reason", "r"),
        ("handoff", incident_id, name),
    ):
        refused = cli.run(*args)
        assert refused.code == 2 and "names no one in particular" in refused.err, refused


def test_an_approver_confirms_from_their_own_terminal(cli: Cli) -> None:
    """The coordinator records Bo's word; on another incident Bo confirms it himself.
    Bo is the incident commander, whose role the gate names."""
    relayed, confirmed = declare(cli, "Bo Diddley"), declare(cli, "Bo Diddley")
    said = cli.ok("approve", relayed, GATE, "--by", "Bo Diddley", "--reason", "12% errors")
    assert "approved decide-rollback by Bo Diddley, recorded by Ada Lovelace" in said
    own = Cli(cli.db, actor="Ada Lovelace")  # another terminal, same database
    said = own.ok("approve", confirmed, GATE, "--reason", "12% errors", "--as", "Bo Diddley")
    assert "approved decide-rollback by Bo Diddley (their own confirmation)" in said

    def approval(incident_id: str) -> tuple[object, object, object]:
        event = next(e for e in events(cli, incident_id) if e["kind"] == "approval.granted")
        payload = event["payload"]
        assert isinstance(payload, dict)
        record = json.loads(cli.ok("export", incident_id, "--format", "json"))
        (exported,) = record["decisions"]["approvals"]
        assert (exported["by"], exported["recorded_by"]) == (payload["by"], event["actor"])
        return payload["by"], event["actor"], exported["recorded_by"]

    assert approval(relayed) == ("Bo Diddley", "Ada Lovelace", "Ada Lovelace")
    assert approval(confirmed) == ("Bo Diddley", "Bo Diddley", "Bo Diddley")


def test_messages_and_the_record_name_people(cli: Cli) -> None:
    incident_id = declare(cli)
    cli.ok("send", incident_id, "--template", "announce")
    record = events(cli, incident_id)
    (message,) = [e for e in record if e["kind"] == "communication.sent"]
    assert "Incident commander: Ada Lovelace." in str(message["payload"]["text"])  # type: ignore[index]
    names = {str(e["actor"]) for e in record}
    names |= {str(e["payload"].get("by", "")) for e in record}  # type: ignore[union-attr]
    assert names - {""} == {"Ada Lovelace"}
    assert "Ada Lovelace" in cli.ok("export", incident_id)  # the report names the commander


def test_environment_spelling_lastgood_actor_still_names_the_actor(cli: Cli) -> None:
    incident_id = declare(cli)
    env = {k: v for k, v in cli.env.items() if k != "LASTGOOD_USER"}
    env["LASTGOOD_ACTOR"] = "Dee Dee"
    assert run(cli, env, "note", incident_id, "older spelling").returncode == 0
    assert events(cli, incident_id)[-1]["actor"] == "Dee Dee"


def test_git_without_a_name_falls_back_to_the_login(cli: Cli, tmp_path: Path) -> None:
    incident_id = declare(cli)
    env = anonymous(cli, tmp_path, login="margaret")
    env["GIT_CONFIG_GLOBAL"] = str(tmp_path / "missing")  # no such file: git has no name
    done = run(cli, env, "note", incident_id, "no git name")
    assert done.returncode == 0, done.stderr
    assert events(cli, incident_id)[-1]["actor"] == "margaret"


def test_a_step_done_by_someone_else_names_a_person(cli: Cli) -> None:
    incident_id = declare(cli)
    refused = cli.run("check", incident_id, "assess-severity", "--by", "root")
    assert refused.code == 2 and "who did it: 'root' names no one" in refused.err
    assert "(--by)" in refused.err
    cli.ok("check", incident_id, "assess-severity", "--by", "Bo Diddley")
    checked = events(cli, incident_id)[-1]
    assert (checked["actor"], checked["payload"]["by"]) == ("Ada Lovelace", "Bo Diddley")  # type: ignore[index]


def test_an_approval_says_its_step_is_still_to_be_checked(cli: Cli) -> None:
    """`decide` approves and checks the decision at once; `approve` alone records the
    approval, and said nothing of the step it left open (as `db-tier` says of its own)."""
    incident_id = declare(cli, "Bo Diddley")
    said = cli.ok("approve", incident_id, GATE, "--by", "Bo Diddley", "--reason", "12% errors")
    assert said.splitlines()[-1].endswith(f"{GATE} left open: approved, not yet checked")
    checked = cli.ok("check", incident_id, GATE)
    assert "left open" not in checked
