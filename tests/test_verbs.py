"""The verb table is the one definition: the CLI, the use cases and the README follow it."""

from __future__ import annotations

import inspect
import os
from pathlib import Path

import pytest

from incident.app.params import Kind
from incident.app.verbs import BY_NAME, VERBS
from tui.cli.dispatch import handler_for
from tui.cli.parser import build_parser
from tui.cli.reference import with_tables

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_verb_is_a_cli_command_with_one_way_to_run():
    parser = build_parser()
    subcommands = next(a for a in parser._actions if a.dest == "command").choices
    assert subcommands is not None
    assert list(subcommands) == [verb.name for verb in VERBS]
    for verb in VERBS:
        assert handler_for(verb.name) is not None


@pytest.mark.parametrize("verb", [v for v in VERBS if v.run is not None], ids=lambda v: v.name)
def test_each_use_case_takes_exactly_its_verbs_parameters(verb):
    assert verb.run is not None
    signature = inspect.signature(verb.run)
    names = list(signature.parameters)
    assert names[:2] == ["session", "actor"]
    accepted = set(names[2:])
    given = {p.name for p in verb.params if not p.cli_only}
    assert given == accepted, f"{verb.name}: table {sorted(given)} vs use case {sorted(accepted)}"
    for param in verb.params:
        if param.cli_only:
            continue
        has_default = signature.parameters[param.name].default is not inspect.Parameter.empty
        must_be_given = param.required and param.kind is not Kind.FLAG
        assert has_default != must_be_given, param.name


def test_keys_are_unique_and_frequent_verbs_have_one():
    keys = [key for verb in VERBS if verb.key for key in verb.key.split(",")]
    assert len(keys) == len(set(keys))
    for name in ("check", "skip", "approve", "decide", "db-tier", "note", "send"):
        assert BY_NAME[name].key
    # The footer: what any step may want; at 80 columns there is no room for more.
    assert [verb.name for verb in VERBS if verb.footer] == ["check", "decide", "note", "send"]


def test_every_parameter_has_help_text():
    assert [f"{v.name}.{p.name}" for v in VERBS for p in v.params if not p.help.strip()] == []
    assert [v.name for v in VERBS if not v.help.strip()] == []


def test_the_readme_tables_are_the_verb_table():
    text = README.read_text(encoding="utf-8")
    expected = with_tables(text)
    if os.environ.get("LASTGOOD_UPDATE_README") and expected != text:
        README.write_text(expected, encoding="utf-8")
        text = expected
    assert text == expected, "README verb tables drifted: rerun with LASTGOOD_UPDATE_README=1"


def test_choices_and_defaults_written_in_the_table_are_the_domains():
    from incident.app.steps import VERDICTS
    from incident.reports.postmortem import (
        ACTION_PRIORITIES,
        ACTION_TYPES,
        DEFAULT_DURATION_MIN,
        LESSON_CATEGORIES,
        REPORT_STATUSES,
    )

    assert BY_NAME["trigger"].param("verdict").choices == VERDICTS
    assert BY_NAME["lesson"].param("kind").choices == tuple(LESSON_CATEGORIES)
    assert BY_NAME["action"].param("priority").choices == ACTION_PRIORITIES
    assert BY_NAME["action"].param("type").choices == ACTION_TYPES
    assert BY_NAME["report-status"].param("status").choices == REPORT_STATUSES
    assert (
        f"default: {DEFAULT_DURATION_MIN})" in BY_NAME["schedule-postmortem"].param("duration").help
    )


def test_parsing_arguments_loads_no_domain_logic():
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from tui.cli.parser import build_parser\n"
        "build_parser().parse_args(['check', 'INC-1', 'assess', '--note', 'x'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('incident.', 'store', 'yaml'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    loaded = eval(done.stdout)  # a list literal printed by the child
    assert [
        m
        for m in loaded
        if m.startswith(("incident.commands", "incident.core.state", "store", "yaml"))
    ] == []
