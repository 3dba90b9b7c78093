"""The ./lastgood.yaml `lastgood init` writes is what a new incident follows in its
directory (ux_review11 #2): `declare` without `--runbook` takes it and says so on
stderr, the TUI's form shows it, `init`'s last lines name `lastgood start` and
`declare`, and a broken one is refused naming FILE:LINE:COL, never passed over for
the bundled plan. `init`, `declare` and `status` run as `lastgood` processes in a
scratch working directory, as a user runs them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, Label

from incident.app.runbook_lookup import find_runbook
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli
from tests.tui.pilot_helpers import wait_for_screen
from tui.app.app import LastGoodApp
from tui.app.modals import DeclareModal
from tui.cli.context import chosen_runbook
from tui.demo.scenarios import SCENARIO_T0

DECLARE = ("declare", "--title", "Checkout 500s", "--severity", "SEV2", "--commander", "Ada")
INIT = (
    "init", "--service", "shop", "--health-url", "http://127.0.0.1:9/healthz",
    "--version-url", "http://127.0.0.1:9/version", "--prometheus-url", "http://127.0.0.1:9",
    "--method", "kubectl", "--target", "shop", "--migrations", "none",
)  # fmt: skip
NOTE = "using ./lastgood.yaml (written by lastgood init); --runbook rollback for the bundled one\n"


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    cli = Cli(tmp_path / "record.db", actor="Ada")
    cli.cwd = tmp_path / "svc"
    cli.cwd.mkdir()
    return cli


def runbook_of(cli: Cli, incident: str) -> str:
    return str(json.loads(cli.ok("status", incident, "--json"))["runbook"])


def test_init_then_declare_uses_the_file_and_says_so(cli):
    written = cli.run(*INIT)
    assert written.code == 0, written.err
    assert written.out.splitlines()[-2:] == [
        "use it:    lastgood start (or lastgood) in this directory opens the TUI on it",
        "           lastgood declare --title ... --severity SEV2 --commander NAME "
        "declares with it here",
    ], written.out

    declared = cli.run(*DECLARE)
    assert declared.code == 0, declared.err
    assert declared.err.startswith(NOTE), declared.err
    assert runbook_of(cli, declared.out.strip()) == "shop-rollback"

    bundled = cli.run(*DECLARE, "--runbook", "rollback")  # the way back, said in the note
    assert bundled.code == 0 and NOTE not in bundled.err, bundled.err
    assert runbook_of(cli, bundled.out.strip()) == "rollback"


def test_without_the_file_the_bundled_runbook_and_no_note(cli):
    declared = cli.run(*DECLARE)
    assert declared.code == 0 and NOTE not in declared.err, declared.err
    assert runbook_of(cli, declared.out.strip()) == "rollback"


def test_a_broken_file_is_refused_naming_file_line_col(cli):
    (cli.cwd / "lastgood.yaml").write_text("runbook: x\n  bad: [\n")
    refused = cli.run(*DECLARE)
    assert refused.code == 2
    assert refused.err.splitlines()[-1] == (
        "lastgood declare: runbook: lastgood.yaml:2:6: YAML syntax error: mapping values "
        "are not allowed here"
    ), refused.err
    assert "Traceback" not in refused.err
    assert not cli.db.exists()  # nothing declared on the bundled plan instead


async def test_the_declare_form_shows_the_file(cli, monkeypatch):
    """`lastgood` in the directory: the runbook `start` chooses (`chosen_runbook`) is
    the file, named in the form's header and its Runbook field."""
    assert cli.run(*INIT).code == 0
    monkeypatch.chdir(cli.cwd)
    runbook = find_runbook(chosen_runbook(None))
    with SqliteEventLog.open(cli.db) as log:
        app = LastGoodApp(log, runbook, clock=ManualClock(SCENARIO_T0), actor="ada", network=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, DeclareModal)
            form = app.screen
            header = str(form.query_one("#runbook-title", Label).render())
            assert header == (
                "Runbook: Emergency rollback: shop (./lastgood.yaml, written by lastgood init)"
            )
            field = form.query_one("#runbook", Input)
            assert field.value == "./lastgood.yaml"
            assert field.placeholder == "default: ./lastgood.yaml"
