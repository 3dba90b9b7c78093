"""`--runbook NAME|PATH` as `declare` reads it, run as a process in a scratch directory.

A PATH (a `/` or a `.` in it) is that file and nothing else; a bare NAME is a bundled
runbook and never a file beside the user. A review found both ways crossed: a missing
`rollback.yaml` declared on the bundled plan, and a script called `rollback` in the
working directory was read as the runbook.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from incident.app.runbook_lookup import find_runbook, runbook_name
from runbooks import load_runbook
from runbooks.resolve import resolve_runbook
from tests.cli_helpers import Cli

TEAM = """\
runbook: team-plan
title: The team's rollback
phases:
  - id: decide
    title: Decide
    steps:
      - {id: assess, title: Assess severity}
"""

DECLARE = ("declare", "--title", "Checkout 500s", "--severity", "SEV2", "--commander", "Ada")


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    cli = Cli(tmp_path / "record.db")
    cli.cwd = tmp_path / "work"
    cli.cwd.mkdir()
    return cli


def runbook_of(cli: Cli, *runbook: str) -> str:
    incident = cli.ok(*DECLARE, *runbook).strip()
    return str(json.loads(cli.ok("status", incident, "--json"))["runbook"])


def test_a_missing_file_is_refused_not_replaced_by_the_bundled_runbook(cli):
    refused = cli.run(*DECLARE, "--runbook", "rollback.yaml")
    assert (refused.code, refused.err) == (
        2,
        "lastgood declare: no runbook file rollback.yaml "
        "(a bundled runbook is named without a suffix: rollback)\n",
    )
    assert not cli.db.exists()
    missing = cli.run(*DECLARE, "--runbook", "team/plan.md")
    assert (missing.code, missing.err) == (2, "lastgood declare: no runbook file team/plan.md\n")


@pytest.mark.parametrize("given", ["p" * 300 + ".yaml", "n" * 300])
def test_a_name_too_long_for_the_file_system_is_one_line(cli, given):
    """A traceback (OSError: File name too long) from the CLI, and from the TUI's
    declare form as its Runbook field was left (a review)."""
    refused = cli.run(*DECLARE, "--runbook", given)
    assert refused.code == 2 and refused.err.count("\n") == 1, refused.err
    assert refused.err.endswith("...: File name too long\n") and "Traceback" not in refused.err
    assert not cli.db.exists()


def test_a_path_is_the_file_named(cli):
    (cli.cwd / "rollback.yaml").write_text(TEAM)
    assert runbook_of(cli, "--runbook", "rollback.yaml") == "team-plan"
    assert runbook_of(cli, "--runbook", "./rollback.yaml") == "team-plan"
    assert runbook_of(cli, "--runbook", str(cli.cwd / "rollback.yaml")) == "team-plan"


@pytest.mark.parametrize("beside", ["script", "directory", "runbook"])
def test_a_name_is_the_bundled_runbook_whatever_is_in_the_directory(cli, beside):
    if beside == "script":
        (cli.cwd / "rollback").write_text("#!/bin/sh\nkubectl rollout undo deployment/shop\n")
    elif beside == "directory":
        (cli.cwd / "rollback").mkdir()
    else:
        (cli.cwd / "rollback").write_text(TEAM)
    assert runbook_of(cli, "--runbook", "rollback") == "rollback"
    assert runbook_of(cli) == "rollback"  # the default


def test_an_unknown_name_says_a_file_is_given_by_its_path(cli):
    (cli.cwd / "team-plan").write_text(TEAM)
    refused = cli.run(*DECLARE, "--runbook", "team-plan")
    assert (refused.code, refused.err) == (
        2,
        "lastgood declare: unknown runbook 'team-plan' (choose: rollback); "
        "a file is given by its path: ./team-plan\n",
    )


def test_the_help_says_how_a_name_and_a_path_are_read_and_the_default(cli):
    said = " ".join(cli.ok("declare", "--help").split())
    assert (
        "--runbook NAME|PATH a PATH (with a '/' or a '.', e.g. ./checkout.yaml) is that file; "
        "a NAME is a runbook bundled with lastgood (default: ./lastgood.yaml when the working "
        "directory has one, as lastgood init writes it; else rollback)"
    ) in said


@pytest.mark.parametrize("file", ["team-plan", "team.yaml"])
def test_a_runbook_is_named_so_that_it_is_found_again(tmp_path, monkeypatch, file):
    """The TUI's declare form shows a runbook by `runbook_name`: a file called
    team-plan, named as it was loaded, would now be read as a bundled runbook's name."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / file).write_text(TEAM)
    runbook = load_runbook(resolve_runbook(f"./{file}"))
    assert find_runbook(runbook_name(runbook)).id == "team-plan"
    assert runbook_name(load_runbook(resolve_runbook("rollback"))) == "rollback"


def test_declaring_on_a_broken_runbook_counts_the_problems_it_does_not_show(cli):
    """Only the first problem was shown, and nothing said there were more."""
    broken = cli.cwd / "our plan.yaml"
    broken.write_text(
        "runbook: on\ntitle: off\nphases:\n  - id: p\n    title: P\n    window: [-5, 1e9]\n"
        "    steps:\n      - {id: null, title: ~}\n"
    )
    refused = cli.run(*DECLARE, "--runbook", "./our plan.yaml")
    assert refused.code == 2
    assert refused.err == (
        "lastgood declare: runbook: our plan.yaml:6:18: 'window' must be a list of two "
        "integers [start, end] (and 2 more: lastgood validate './our plan.yaml')\n"
    )
    assert len(cli.run("validate", "./our plan.yaml").err.splitlines()) == 3
