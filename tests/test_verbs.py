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
        assert BY_NAME[name].footer and BY_NAME[name].key


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
