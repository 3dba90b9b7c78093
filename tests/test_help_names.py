"""What `--help` names is there: every file of the checkout a help text points to exists,
and each verb that answers `--json` names the schema of its answer (`score --help`
pointed at a schema no one had written)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from incident.app.verbs import VERBS
from tests.cli_helpers import ROOT, Cli
from tui.cli.parser import build_parser

NAMED_PATH = re.compile(
    r"(?<![\w/.-])((?:docs|store|bench|runbooks|tests|tui|incident)/[\w./-]*\w/?)"
)
"""A path inside the checkout, as a help text writes one (`tui/cli/schemas/x.schema.json`)."""
SCHEMA = re.compile(r"tui/cli/schemas/[\w-]+\.schema\.json")


def every_help(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The top level's help and each verb's, wide enough that no path is wrapped."""
    monkeypatch.setenv("COLUMNS", "400")
    parser = build_parser()
    commands = parser._subparsers._group_actions[0]  # type: ignore[union-attr]
    helps = {"lastgood": parser.format_help()}
    for verb in VERBS:
        helps[verb.name] = commands.parser_for(verb.name).format_help()  # type: ignore[attr-defined]
    return helps


def test_every_file_a_help_names_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    helps = every_help(monkeypatch)
    named = {(name, path) for name, text in helps.items() for path in NAMED_PATH.findall(text)}
    assert {path for _, path in named} >= {"tui/cli/schemas/status.schema.json"}
    assert sorted((name, path) for name, path in named if not (ROOT / path).exists()) == []


def test_each_json_answer_names_its_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    helps = every_help(monkeypatch)
    answering = [verb.name for verb in VERBS if verb.json]
    assert "score" in answering
    unnamed = [name for name in answering if not SCHEMA.search(helps[name])]
    assert unnamed == []


def test_score_help_names_its_schema_as_a_user_reads_it(tmp_path) -> None:
    help_text = Cli(tmp_path / "unused.db").ok("score", "--help")
    (named,) = SCHEMA.findall(" ".join(help_text.split()))
    assert named == "tui/cli/schemas/score.schema.json"
    assert (ROOT / named).is_file()


def test_the_schemas_the_helps_name_are_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """They pointed to docs/schemas/ "in lastgood's source", which a pip install has not
    (ux_review8 #12): each is now package data of a shipped package."""
    import tomllib

    helps = every_help(monkeypatch)
    named = {path for text in helps.values() for path in SCHEMA.findall(text)}
    assert "tui/cli/schemas/validate.schema.json" in named
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = data["tool"]["setuptools"]["package-data"]
    for path in named:
        package, _, inside = path.partition("/")
        assert any(Path(inside).match(glob) for glob in package_data.get(package, ())), path
