"""Plain command lines are read by rule, and always as argparse reads them.

`tui.cli.arguments.plain_arguments` reads `lastgood status ID` and its like without
loading argparse (what that saves is in `bench/cli_startup.py`). Wherever it gives
an answer, argparse, given the same words, must give the same one; wherever the
words are not plain, it must leave them to argparse.
"""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from incident.app.params import Kind, Param
from incident.app.verbs import VERBS
from tests.cli_helpers import fresh_python
from tui.cli.arguments import (
    Arguments,
    default_value,
    machine_now,
    plain_arguments,
    reads_by_rule,
)
from tui.cli.parser import parsed_arguments

BY_RULE = [verb for verb in VERBS if reads_by_rule(verb)]
FLAGS = sorted({param.option for verb in VERBS for param in verb.params if param.option})


def typed(arguments: Arguments) -> dict[str, tuple[type, object]]:
    """`arguments` with each value's type beside it: 5 and 5.0, or 1 and True, differ."""
    return {name: (type(value), value) for name, value in vars(arguments).items()}


def by_argparse(words: list[str]) -> dict[str, tuple[type, object]]:
    try:
        return typed(parsed_arguments(list(words)))
    except SystemExit as exit:  # a refusal, or help: the rule should have left these alone
        raise AssertionError(f"argparse refused {words!r} (exit {exit.code})") from None


def test_the_rule_covers_what_scripts_and_people_run_most():
    assert {"status", "brief", "list", "start", "declare", "export"} <= {v.name for v in BY_RULE}
    assert "check" not in {verb.name for verb in BY_RULE}  # a positional step: argparse's


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (
            ["status", "INC-1"],
            {"command": "status", "check_polled": False, "id": "INC-1", "json": False},
        ),
        (
            ["status"],
            {"command": "status", "check_polled": False, "id": None, "json": False},
        ),  # the only open one
        (
            ["--db", "x.db", "status", "--json", "INC-1"],
            {"command": "status", "check_polled": False, "id": "INC-1", "json": True, "db": "x.db"},
        ),
        (
            ["status", "INC-1", "--db=a.db", "--as", "Ann"],
            {
                "command": "status",
                "check_polled": False,
                "id": "INC-1",
                "json": False,
                "db": "a.db",
                "as_name": "Ann",
            },
        ),
        (["list", "--drills"], {"command": "list", "drills": True, "json": False}),
        (
            ["start", "--db", "a.db", "--incident", "INC-1"],
            {
                "command": "start",
                "db": "a.db",
                "incident": "INC-1",
                "runbook": None,
                "no_probes": False,
            },
        ),
        (
            ["start", "INC-1", "--no-probes"],
            {"command": "start", "incident": "INC-1", "runbook": None, "no_probes": True},
        ),
        (
            ["start", "--incident=INC-1", "INC-1"],
            {"command": "start", "incident": "INC-1", "runbook": None, "no_probes": False},
        ),
        (
            ["export", "INC-1", "--format=json", "--tz", "Europe/Paris"],
            {
                "command": "export",
                "id": "INC-1",
                "format": "json",
                "output": None,
                "tz": ZoneInfo("Europe/Paris"),
                "check_step": False,
                "export": None,
                "audience": "team",
            },
        ),
        (
            ["status", "--json", "INC-1", "--json"],
            {"command": "status", "check_polled": False, "id": "INC-1", "json": True},
        ),
    ],
)
def test_plain_words_are_read_by_rule_as_argparse_reads_them(words, expected):
    read = plain_arguments(words)
    assert isinstance(read, Arguments)
    assert vars(read) == expected
    assert by_argparse(words) == typed(read)


def test_a_text_default_is_read_by_the_parameter_s_kind_as_argparse_reads_it():
    """argparse passes a default given as text through `type=` (`_get_value`)."""
    assert default_value(Param("gap", "minutes", Kind.NUMBER, default="5")) == 5.0
    assert isinstance(default_value(Param("gap", "minutes", Kind.NUMBER, default="5")), float)
    assert default_value(Param("port", "the port", Kind.COUNT, default=8000)) == 8000
    assert default_value(Param("json", "as JSON", Kind.FLAG)) is False
    assert default_value(Param("issue", "what is wrong")) is None


@pytest.mark.parametrize(
    "words",
    [
        [],  # `lastgood`: start
        ["--no-probes"],
        ["--help"],
        ["--version"],
        ["check"],  # no ID: argparse says so
        ["status", "-h"],
        ["status", "INC-1", "--js"],  # an abbreviation argparse would accept
        ["status", "INC-1", "INC-2"],
        ["status", "--", "INC-1"],
        ["status", "-1"],
        ["status", "INC-1", "--db"],
        ["status", "INC-1", "--db", "--json"],
        ["status", "INC-1", "--db", "-x"],
        ["status", "INC-1", "--db="],
        ["status", "INC-1", "--json=yes"],
        ["list", "INC-1"],
        ["check", "INC-1", "assess-severity"],
        ["bogus", "INC-1"],
        ["export", "INC-1", "--tz", "Nowhere/Else"],  # argparse names the problem
        ["export", "INC-1", "--format", "pdf"],
        ["export", "INC-1", "--format"],
        ["declare", "--title", "t", "--severity", "SEV2"],  # --commander is required
        ["start", "--inc", "INC-1"],
        ["start", "--incident", "-x"],
        ["start", "--no-probes=yes"],
        ["start", "INC-1", "--incident", "INC-2"],  # argparse refuses it
        ["start", "INC-1", "INC-2"],
        ["INC-1"],  # `start INC-1`, read by argparse
    ],
)
def test_anything_but_plain_words_is_left_to_argparse(words):
    assert plain_arguments(words) is None


WORDS = st.sampled_from(
    [
        *(verb.name for verb in VERBS),
        *FLAGS,
        "--db",
        "--as",
        "--db=x.db",
        "--as=",
        "--db=-x",
        "INC-1",
        "Ann",
        "x.db",
        "-x",
        "-1",
        "--",
        "",
        "-h",
        "--help",
        "--version",
        "--js",
        "--json=1",
        "status=1",
    ]
)


TRICKY = st.sampled_from(
    [
        "--title",
        "--incident",
        "--format",
        "--tz",
        "--seed",
        "SEV9",
        "5",
        "-5",
        "Nowhere/Else",
        "--json",
        "--drills",
        "--js",
        "--dr",
        "-h",
        "--",
        "-x",
        "",
        "INC-2",
        "--db",
        "--as",
        "--db=",
        "--as=Bo",
        "--json=1",
        "-",
    ]
)
"""Words a plain line is one slip away from."""


SAMPLE_VALUES = (
    *(choice for verb in VERBS for param in verb.params for choice in param.choices),
    "SEV2",
    "Ann",
    "Ann,Bo",
    "5",
    "2.5",
    "90",
    "2026-12-05T10:00:00+00:00",
    "2026-12-05",
    "Europe/Paris",
    "rollback",
    "a value with spaces",
    "status",
    "a=b",
)
"""Values some parameter of each kind reads."""


def reads_as(param: Param, text: str) -> bool:
    try:
        value = param.parse(text, machine_now)
    except ValueError:
        return False
    return not (param.kind is Kind.CHOICE and param.choices and value not in param.choices)


@pytest.mark.parametrize(
    "words",
    [
        ["--db", "top.db", "brief", "INC-1", "--db", "verb.db"],
        ["--as", "Ann", "status", "INC-1", "--as=Bo"],
        ["export", "INC-1", "--format", "markdown", "--format=json"],
    ],
)
def test_an_option_given_twice_is_left_to_argparse_which_refuses_it(words, capsys):
    """Each reading kept the last of two (review 5, finding 9): the rule leaves the line
    to argparse, which refuses it naming the option."""
    assert plain_arguments(words) is None
    with pytest.raises(SystemExit) as refused:
        parsed_arguments(list(words))
    assert refused.value.code == 2
    option = words[-1].partition("=")[0] if "=" in words[-1] else words[-2]
    assert f"error: {option} is given twice: give it once" in capsys.readouterr().err


@st.composite
def plain_lines(draw: st.DrawFn) -> list[str]:
    """A plain command line in any order: what the rule must read."""
    verb = draw(st.sampled_from(BY_RULE))
    head = draw(
        st.lists(st.sampled_from([["--db", "a.db"], ["--as=Ann"]]), max_size=2, unique_by=str)
    )
    rest: list[list[str]] = []
    for param in verb.params:
        if param.kind is Kind.FLAG:
            if draw(st.booleans()):
                rest.append([param.option])
            continue
        readable = [text for text in SAMPLE_VALUES if reads_as(param, text)]
        assume(readable or not param.required)
        for _ in range(draw(st.integers(int(param.required), 1)) if readable else 0):
            text = draw(st.sampled_from(readable))
            rest.append(draw(st.sampled_from([[param.option, text], [f"{param.option}={text}"]])))
    given = {part[0].partition("=")[0] for part in head}  # each option once (finding 9)
    more = [part for part in (["--db=b.db"], ["--as", "Bo"]) if part[0][:4] not in given]
    rest += draw(st.lists(st.sampled_from(more), max_size=2, unique_by=str)) if more else []
    if verb.scope != "global":
        rest.append([draw(st.sampled_from(["INC-20261205-0001", "x", "INC 1", "status", "a=b"]))])
    order = draw(st.permutations(rest))
    return [word for part in [*head, [verb.name], *order] for word in part]


@settings(max_examples=300)
@given(plain_lines())
def test_every_plain_line_is_read_by_rule_and_as_argparse_reads_it(words):
    read = plain_arguments(words)
    assert read is not None, words
    assert typed(read) == by_argparse(words)


@st.composite
def nearly_plain_lines(draw: st.DrawFn) -> list[str]:
    """A plain line with a word or two dropped or put in: where the rule could go wrong."""
    words = draw(plain_lines())
    for _ in range(draw(st.integers(0, 2))):
        words.pop(draw(st.integers(0, len(words) - 1))) if words and draw(st.booleans()) else None
    for _ in range(draw(st.integers(0, 2))):
        words.insert(draw(st.integers(0, len(words))), draw(st.one_of(TRICKY, WORDS)))
    return words


@settings(max_examples=500)
@given(st.one_of(nearly_plain_lines(), st.lists(WORDS, max_size=7)))
def test_whatever_the_rule_reads_argparse_reads_the_same(words):
    read = plain_arguments(words)
    if read is not None:
        assert typed(read) == by_argparse(words)


LOADED_AT_DISPATCH = """
import json, sys
import tui.cli.main as cli
seen = {}
def dispatch(args):
    seen["argparse"] = "argparse" in sys.modules
    seen["command"] = args.command
    return 0
cli.dispatch = dispatch
seen["code"] = cli.main(sys.argv[1:])
print(json.dumps(seen))
"""


@pytest.mark.parametrize(
    ("words", "argparse_loaded"),
    [
        (["status", "INC-20261205-0001"], False),
        (["--db", "x.db", "list", "--json"], False),
        (["check", "INC-20261205-0001", "assess-severity"], True),
    ],
)
def test_a_plain_status_runs_without_loading_argparse(words, argparse_loaded):
    done = fresh_python(LOADED_AT_DISPATCH, *words)
    seen = json.loads(done)
    assert seen == {
        "argparse": argparse_loaded,
        "command": words[2 if words[0] == "--db" else 0],
        "code": 0,
    }


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["INC-1"], {"incident": "INC-1", "no_probes": False}),
        (["--db", "a.db", "INC-1", "--no-probes"], {"incident": "INC-1", "no_probes": True}),
        (["--as=Bo", "INC-1", "--incident", "INC-1"], {"incident": "INC-1", "no_probes": False}),
    ],
)
def test_a_bare_incident_id_is_start_s(words, expected):
    read = vars(parsed_arguments(words))
    assert read["command"] == "start"
    assert {name: read[name] for name in expected} == expected


def test_the_id_and_incident_naming_two_incidents_are_refused_in_one_line(capsys):
    with pytest.raises(SystemExit) as refused:
        parsed_arguments(["start", "INC-1", "--incident", "INC-2"])
    assert refused.value.code == 2
    assert capsys.readouterr().err == (
        "lastgood start: error: 'INC-1' and --incident 'INC-2' name two incidents: "
        "give one (see --help)\n"
    )


def test_every_incident_id_starts_as_the_parser_expects():
    from datetime import UTC, datetime

    from incident.commands.lifecycle import new_incident_id
    from tui.cli.parser import INCIDENT_ID_PREFIX

    assert new_incident_id(datetime.now(UTC), ()).startswith(INCIDENT_ID_PREFIX)
