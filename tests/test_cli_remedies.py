"""A refusal's remedy, as the command line says it: options all needed together apart
from options any one of which will do.

Before: `needs` was one list, said as `(--evidence --override)` where the message
says "evidence ... or an override reason", and a bare `report-status` asked for
`(--status --owner --reviewers)` where a change to any one of them is enough. Each
`lastgood` here is a separate process on a real SQLite file, as a user runs it.
"""

from __future__ import annotations

from incident.app.verbs import BY_NAME
from incident.core.errors import CommandError
from incident.core.text import either
from tests.cli_helpers import Cli, declare
from tui.cli.context import options_remedy


def test_each_refusal_says_whether_it_needs_all_or_one_of_its_options(tmp_path) -> None:
    cli = Cli(tmp_path / "incidents.db", actor="ada")
    incident_id = declare(cli)

    check = cli.run("check", incident_id, "check-health")
    assert check.code == 2
    assert check.err.endswith("or an override reason (--evidence or --override)\n"), check.err

    close = cli.run("close", incident_id)
    assert close.code == 2
    assert close.err.endswith("closing anyway needs force and a reason (--force --reason)\n")

    status = cli.run("report-status", incident_id)
    assert status.code == 2
    assert status.err == (
        "lastgood report-status: the report is already draft, owned by Ada: nothing to "
        "record (--status, --owner or --reviewers)\n"
    )


def test_a_remedy_names_only_the_verbs_options_and_can_need_both_kinds() -> None:
    check = BY_NAME["check"]
    both = CommandError("x", needs=("by",), needs_one_of=("evidence", "override", "nope"))
    assert options_remedy(both, check) == "--by, and --evidence or --override"
    assert options_remedy(CommandError("x", needs_one_of=("nope", "note")), check) == "--note"
    assert options_remedy(CommandError("x"), check) == ""


def test_either_says_alternatives_as_a_sentence_does() -> None:
    assert [either(words) for words in ([], ["a"], ["a", "b"], ["a", "b", "c"])] == [
        "",
        "a",
        "a or b",
        "a, b or c",
    ]
