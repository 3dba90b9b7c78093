"""`lastgood VERB --help` offers `--db` and `--as` only where they do something.

Before: every verb's help offered both, so `validate --help` and `migrate --help`
(which never open the record `--db` names; migrate names its two with `--from` and
`--to`) offered "the event database", and `status --help` offered "who is acting,
for the record" on a verb that records nothing. They are still accepted wherever
they were (a wrapper may pass them to every command, as the top level and
$LASTGOOD_DB/$LASTGOOD_USER apply to every command): given, they change nothing.
Each `lastgood` here is a separate process, as a user runs it.
"""

from __future__ import annotations

import re

from incident.app.verbs import BY_NAME
from tests.cli_helpers import Cli, declare
from tui.cli.parser import NO_ACTOR_VERBS, NO_RECORD_VERBS


def offered(cli: Cli, verb: str) -> set[str]:
    """The options `verb --help` lists, of `--db` and `--as`."""
    out = cli.ok(verb, "--help")
    return {option for option in ("--db", "--as") if re.search(rf"\s{option} ", out)}


def test_each_verbs_help_offers_only_the_options_it_uses(tmp_path) -> None:
    cli = Cli(tmp_path / "unused.db")
    assert offered(cli, "validate") == set()
    assert offered(cli, "migrate") == set()
    assert offered(cli, "status") == {"--db"}
    assert offered(cli, "timeline") == {"--db"}
    assert offered(cli, "check") == {"--db", "--as"}
    assert offered(cli, "export") == {"--db", "--as"}  # `--check-step` records
    # The top level still offers both: they apply to the commands that use them.
    assert offered(cli, "--help") == {"--db", "--as"}


def test_an_option_left_out_of_help_is_still_accepted_and_changes_nothing(tmp_path) -> None:
    cli = Cli(tmp_path / "incidents.db", actor="ada")
    incident_id = declare(cli)
    # 'root' names no one: a verb that records who acts refuses it...
    refused = cli.run("note", incident_id, "hello", "--as", "root")
    assert refused.code == 2 and "--as: 'root' names no one" in refused.err
    # ...one that records nothing never reads it, nor `validate` the record.
    assert cli.ok("status", incident_id, "--as", "root").startswith(incident_id)
    assert cli.ok("verify", "--all", "--as", "root") != ""
    elsewhere = str(tmp_path / "no" / "such.db")
    checked = cli.ok("validate", "runbooks/rollback.yaml", "--db", elsewhere, "--as", "root")
    assert checked.startswith("runbooks/rollback.yaml: ok")


def test_the_verbs_named_are_verbs() -> None:
    assert NO_RECORD_VERBS <= NO_ACTOR_VERBS <= set(BY_NAME)
