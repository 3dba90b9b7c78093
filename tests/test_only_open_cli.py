"""A reading verb given no ID reads the only open incident, and says so (review11 #7).

`lastgood status`, `brief`, `timeline`, `attach`, ... in a second terminal at 03:00
need no 17-character ID when one incident is open. None open, or several, is refused
in one line naming them (exit 2); a verb that records still needs the ID. The open
incidents come from one query of the store (`open_incidents`), the same on SQLite and
PostgreSQL: an incident closed, or a drill, is not one.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from incident import commands
from incident.app.incident_ids import only_open
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.core.clock import ManualClock
from incident.core.errors import CommandError
from runbooks import load_runbook, resolve_runbook
from tests.cli_helpers import Cli, declare
from tests.conftest import T0
from tests.store_backends import (  # the fixture is imported for pytest to find
    Backend,
    backend_fixture,  # noqa: F401
    opened,
)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "inc.db", actor="Ada")


def test_status_and_brief_read_the_only_open_incident_saying_so(cli: Cli) -> None:
    closed = declare(cli, "--title", "Yesterday's")
    cli.ok("close", closed, "--force", "--reason", "done elsewhere")
    incident = declare(cli)
    status = cli.run("status")
    assert status.code == 0, status.err
    assert status.out.startswith(f"{incident}  SEV2")
    assert status.err == f"lastgood status: {incident} (the only open incident)\n"
    brief = cli.run("brief", "--json")
    assert brief.code == 0, brief.err
    assert f'"id": "{incident}"' in brief.out or f'"{incident}"' in brief.out
    assert brief.err == f"lastgood brief: {incident} (the only open incident)\n"
    timeline = cli.run("timeline")
    assert timeline.code == 0, timeline.err
    assert incident in timeline.out


def test_with_none_open_the_refusal_says_how_to_list_them(cli: Cli) -> None:
    closed = declare(cli)
    cli.ok("close", closed, "--force", "--reason", "done elsewhere")
    for verb in ("status", "brief", "timeline"):
        refused = cli.run(verb)
        assert refused.code == 2
        assert refused.out == ""
        assert refused.err == (
            f"lastgood {verb}: no open incident in {cli.db}: name one by its ID "
            "(lastgood list lists them all)\n"
        )


def test_with_several_open_the_refusal_names_five_and_counts_the_rest(cli: Cli) -> None:
    opened_ids = [declare(cli, "--title", f"t{n}") for n in range(7)]
    refused = cli.run("status")
    assert refused.code == 2
    assert refused.out == ""
    shown = ", ".join(opened_ids[:5])
    assert refused.err == (
        f"lastgood status: 7 incidents are open in {cli.db} ({shown} and 2 more): name one\n"
    )


def test_attach_without_an_id_is_not_refused_for_it(cli: Cli) -> None:
    """`attach` needs a terminal, which a test's pipe is not: it gets that far."""
    declare(cli)
    refused = cli.run("attach")
    assert refused.code == 2
    assert refused.err.startswith("lastgood attach: not a terminal")


def test_a_recording_verb_still_needs_the_id(cli: Cli) -> None:
    declare(cli)
    refused = cli.run("note", "rolled back")
    assert refused.code == 2
    assert "is not an incident ID" in refused.err
    assert cli.run("close").code == 2
    assert "required: ID" in cli.run("close").err


def test_help_shows_the_id_optional_and_what_leaving_it_out_does(cli: Cli) -> None:
    helped = cli.ok("status", "--help")
    assert "[ID]" in helped
    assert "the only open incident" in " ".join(helped.split())
    assert "[ID]" not in cli.ok("check", "--help")


def test_the_rule_names_at_most_five() -> None:
    assert only_open(["INC-1"], "x.db", "list") == "INC-1"
    with pytest.raises(CommandError, match=r"^no open incident in x.db"):
        only_open([], "x.db", "list")
    with pytest.raises(CommandError, match=r"\(INC-1, INC-2\): name one$"):
        only_open(["INC-1", "INC-2"], "x.db", "list")


def _declared(
    log: object, incident_id: str, clock: ManualClock, drill: str = ""
) -> IncidentSession:
    runbook = load_runbook(resolve_runbook("rollback"))
    details = Declaration(title="t", severity="SEV2", commander="Ada", drill=drill)
    event = commands.declare(runbook, details, actor="Ada", clock=clock, incident_id=incident_id)
    return IncidentSession.declare(log, event, clock)  # type: ignore[arg-type]


def test_the_store_lists_the_open_incidents_not_the_closed_nor_the_drills(
    backend: Backend,
) -> None:
    clock = ManualClock(T0)
    with opened(backend) as log:
        assert log.open_incidents() == []
        _declared(log, "INC-A", clock)
        closing = _declared(log, "INC-B", clock)
        _declared(log, "INC-C", clock, drill="bad-release")
        clock.set(T0 + timedelta(minutes=1))
        _declared(log, "INC-D", clock)
        closing.run_many(
            lambda s: [commands.close(s, actor="Ada", clock=clock, force=True, reason="r")]
        )
        assert log.open_incidents() == ["INC-A", "INC-D"]
