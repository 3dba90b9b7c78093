"""What `lastgood` has loaded when it has read its arguments, and what a command never loads.

Scripts call `lastgood status` and `lastgood --help` often, so they must start about
as fast as Python does (`bench/cli_startup.py` has the figures; no test times
anything). What is shown here is what makes that possible: the arguments are
parsed, or refused, with nothing of the domain loaded but the verb table the parser
is built from and the text rule every printed line goes through; and neither the
help nor a `status` loads sqlite-utils, PyYAML, Textual, Rich or httpx.

Each case runs the CLI's real `main` in a fresh interpreter, with two hooks that
write `sorted(sys.modules)` down: one where `main` hands the parsed arguments to
their handler, one where the parser refuses them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import ROOT, Cli, fresh_python

HARNESS = """
import gc
import sys
import tui.cli.dispatch
import tui.cli.main as cli
from tui.cli.parser import OneLineParser

out, mode, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
seen = {}
refuse = OneLineParser.error
def error(self, message):
    seen.setdefault("refused", sorted(sys.modules))
    refuse(self, message)
OneLineParser.error = error
run = cli.dispatch
def dispatch(args):
    seen["parsed"] = sorted(sys.modules)
    seen["collecting while parsing"] = gc.isenabled()
    return run(args) if mode == "run" else 0
cli.dispatch = dispatch
handler_for = tui.cli.dispatch.handler_for
def traced(name):
    handler = handler_for(name)
    def handle(args):
        seen["collecting in the handler"] = gc.isenabled()
        seen["frozen in the handler"] = gc.get_freeze_count()
        return handler(args)
    return handle
tui.cli.dispatch.handler_for = traced
try:
    code = cli.main(argv)
except SystemExit as exit:
    code = exit.code
seen["exit"] = sorted(sys.modules)
seen["collecting at exit"] = gc.isenabled()
seen["frozen at exit"] = gc.get_freeze_count()
import json
with open(out, "w") as f:
    json.dump({"code": code, **seen}, f)
"""

PARSER_TABLE = {
    "incident",
    "incident.app",
    "incident.app.params",
    "incident.app.verb",
    "incident.app.verbs",
    "incident.app.verbs_reading",
    "incident.app.verbs_database",
    "incident.app.verbs_recording",
    "incident.app.verbs_postmortem",
}
"""The verb table, which the parser is built from."""
TEXT_RULE = {"incident.core", "incident.core.text"}
"""`visible_block`, which every line the CLI prints passes through."""

NEVER = ("sqlite_utils", "yaml", "textual", "rich", "httpx")
"""Not on the path of `--help`, of parsing, or of `status`."""

NOT_BEFORE_PARSING = (*NEVER, "store", "sqlite3", "json", "dataclasses")

NOT_FOR_HELP = (*NOT_BEFORE_PARSING, "typing")
"""`typing` costs `--help` a sixth of starting Python: the parser's path goes without it."""


def loaded(tmp_path: Path, mode: str, *args: str, db: Path | None = None) -> dict[str, object]:
    out = tmp_path / "modules.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LASTGOOD_DB": str(db or tmp_path / "none.db")}
    done = subprocess.run(
        [sys.executable, "-c", HARNESS, str(out), mode, *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.exists(), done.stderr
    result: dict[str, object] = json.loads(out.read_text())
    result["stderr"] = done.stderr
    return result


def modules(result: dict[str, object], moment: str) -> list[str]:
    names = result[moment]
    assert isinstance(names, list)
    return names


def among(names: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return [name for name in names if name.split(".")[0] in prefixes]


def domain(names: list[str]) -> set[str]:
    return {name for name in names if name.split(".")[0] in ("incident", "runbooks")}


@pytest.mark.parametrize(
    "args",
    [
        ("status", "INC-20261202-0001"),
        ("status", "INC-20261202-0001", "--json", "--db", "elsewhere.db"),
        ("check", "INC-20261202-0001", "assess-severity", "--note", "done"),
        ("declare", "--title", "t", "--severity", "SEV2", "--commander", "A"),
    ],
    ids=lambda args: args[0] if args[0] != "status" or len(args) == 2 else "status-json",
)
def test_arguments_are_parsed_before_the_domain_is_loaded(tmp_path, args):
    result = loaded(tmp_path, "parse", *args)
    assert result["code"] == 0, result["stderr"]
    names = modules(result, "parsed")
    assert among(names, NOT_FOR_HELP) == []
    assert domain(names) <= PARSER_TABLE | TEXT_RULE
    assert domain(names) >= PARSER_TABLE  # the table really was what the parser used


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("close",), "the following arguments are required: ID"),
        (("export", "INC-1", "--tz", "Nowhere/Else"), "unknown time zone 'Nowhere/Else'"),
        (("check", "INC-1"), "the following arguments are required: STEP"),
        (("check", "assess-severity"), "'assess-severity' is a step, not an incident ID"),
        (("bogus",), "unknown verb 'bogus'"),
        (("chek", "INC-1", "x"), "unknown verb 'chek' (did you mean 'check'?)"),
    ],
    ids=["missing-id", "bad-zone", "missing-step", "forgotten-id", "unknown-verb", "mistyped-verb"],
)
def test_bad_arguments_are_refused_before_the_domain_is_loaded(tmp_path, args, message):
    result = loaded(tmp_path, "parse", *args)
    assert result["code"] == 2
    assert message in str(result["stderr"])
    assert "parsed" not in result
    names = modules(result, "refused")
    assert among(names, NOT_BEFORE_PARSING) == []
    assert domain(names) <= PARSER_TABLE | TEXT_RULE


def test_a_moment_is_read_by_the_timestamp_reader_alone(tmp_path):
    """A moment is read by the one timestamp parser (`incident.core.events`), a time
    typed as people type it by `incident.core.timefmt.read_time` on top of it: those
    modules come with it, and nothing else of the domain or the store but, once
    refused, what makes its example (tomorrow by this machine's clock)."""
    result = loaded(tmp_path, "parse", "schedule-postmortem", "INC-1", "--at", "tomorrow")
    assert result["code"] == 2
    assert "is not a date and time" in str(result["stderr"])
    names = modules(result, "refused")
    assert among(names, (*NEVER, "store", "sqlite3")) == []
    assert domain(names) - PARSER_TABLE - TEXT_RULE == {
        "incident.core.events",
        "incident.core.timefmt",
        "incident.app.examples",
        "incident.core.clock",
    }


@pytest.mark.parametrize(
    ("args", "unwanted"),
    [
        (("--help",), NOT_FOR_HELP),
        (("status", "--help"), NOT_FOR_HELP),
        (("send", "--help"), NOT_FOR_HELP),  # the bundled runbook's templates, not its YAML
        (("--version",), NOT_BEFORE_PARSING),  # importlib.metadata brings typing
    ],
    ids=["help", "status-help", "send-help", "version"],
)
def test_help_loads_only_the_verb_table(tmp_path, args, unwanted):
    result = loaded(tmp_path, "parse", *args)
    assert result["code"] == 0, result["stderr"]
    names = modules(result, "exit")
    assert among(names, unwanted) == []
    assert domain(names) <= PARSER_TABLE | TEXT_RULE


def declared(db: Path) -> str:
    """The id of an incident declared in `db` with the bundled runbook, by a `lastgood`."""
    return Cli(db).ok("declare", "--title", "t", "--severity", "SEV2", "--commander", "A").strip()


@pytest.mark.parametrize("named", [True, False], ids=["named", "the-only-open"])
def test_status_never_loads_sqlite_utils_yaml_or_the_faces(tmp_path, named):
    """Named, or left out (the only open incident: one query, no incident folded but it)."""
    db = tmp_path / "real.db"
    incident = declared(db)
    result = loaded(tmp_path, "run", "status", *([incident] if named else []), db=db)
    assert result["code"] == 0, result["stderr"]
    names = modules(result, "exit")
    assert "incident.core.state" in names and "sqlite3" in names  # it did read the record
    assert among(names, (*NEVER, "dataclasses")) == []
    # msgspec loads without typing_extensions, which would bring `inspect` (8 ms).
    assert among(names, ("typing_extensions", "inspect")) == []
    assert [name for name in names if name.startswith("runbooks.yaml")] == []
    assert [name for name in names if name.startswith(NOT_FOR_STATUS)] == []
    # OpenSSL's hashing (3.7 ms), the spool's lock and shell quoting serve other paths.
    assert among(names, ("_hashlib", "fcntl", "shlex")) == []
    assert named or "(the only open incident)" in str(result["stderr"])


NOT_FOR_STATUS = (
    "incident.commands",
    "tui.cli.verify_lines",  # verify's: the bad event found and described
    "tui.cli.verify_places",
    "store.export_file",  # a file that does not open as a database
    "store.cut_short",
    "incident.app.closeout",
    "incident.app.steps",
    "incident.app.command_runs",
    "incident.app.messages",
    "incident.reports.report",
    "incident.reports.timeline",
    "incident.reports.analysis",
    "incident.reports.impact",
    "incident.reports.milestones",
    "incident.reports.rollback_state",
    "incident.reports.authorship",
    "incident.reports.ics",
    "incident.comms.routing",
    "store.outbox",
    "tui.net",
    "tui.cli.reading",
    "tui.cli.launch",
)
"""What `status` reads the record without: the commands that decide events, the
use cases that record them, the reports and exports, the outbox and the network."""


def test_the_collector_rests_while_a_command_starts(tmp_path):
    """Loading the parser and the domain makes objects that live as long as the process:
    no garbage collection walks them while the command starts; the handler of every
    verb but `start` (whose app does it at its first frame) runs with the collector on,
    and `main` leaves it as it found it."""
    parsed = loaded(tmp_path, "parse", "status", "INC-20261202-0001")
    assert parsed["collecting while parsing"] is False
    assert parsed["collecting at exit"] is True
    ran = loaded(tmp_path, "run", "status", "INC-20261202-0001")
    assert ran["code"] == 2  # no database there: refused in the handler, one line
    assert ran["collecting in the handler"] is True
    assert ran["collecting at exit"] is True
    # what loading made is out of the handler's collections (3 ms of `status`)
    assert ran["frozen in the handler"] > 10_000
    assert ran["frozen at exit"] == 0  # `main` thaws it for a caller that goes on


AS_ITS_OWN_PROCESS = """
import atexit, gc, sys
atexit.register(lambda: print(gc.get_freeze_count()))
sys.argv = ["lastgood", *sys.argv[1:]]
from tui.cli.entry import run
run()
"""


def test_as_its_own_process_what_loading_made_stays_frozen_to_the_end(tmp_path):
    """`run`, the installed command, leaves what loading made out of the collection
    Python makes as it exits (7 ms of `status`); the verb still ran and answered."""
    db = tmp_path / "real.db"
    incident = declared(db)
    env = {**os.environ, "LASTGOOD_DB": str(db)}
    lines = fresh_python(AS_ITS_OWN_PROCESS, "status", incident, env=env).splitlines()
    assert lines[0].startswith(incident)  # the status
    assert int(lines[-1]) > 10_000  # frozen, as the exit hooks run


MADE_BY_DATACLASSES = """
import dataclasses, json, sys
import tui.cli.status_verbs, tui.app.app, tui.app.screens.incident
print(json.dumps(sorted(
    f"{name}.{value.__qualname__}"
    for name, module in list(sys.modules.items())
    if name.split(".")[0] in ("incident", "runbooks", "store", "tui")
    for value in vars(module).values()
    if isinstance(value, type)
    and dataclasses.is_dataclass(value)
    and value.__module__ == name
)))
"""


def test_no_dataclass_is_made_at_start_up():
    """`dataclasses` compiles generated source for the methods of every class it makes,
    about half a millisecond each: the 76 records, payloads and runbook classes on
    `status`'s path cost it some 35 ms of CPU (docs/PERFORMANCE.md). They are
    `msgspec.Struct`s, made in C; checked for what `status` and the coordinator's
    screen import."""
    assert json.loads(fresh_python(MADE_BY_DATACLASSES)) == []


def test_a_recording_with_nothing_to_deliver_loads_no_network(tmp_path):
    """The bundled runbook names no webhook: its due messages are recorded, none sent,
    so `note` runs without the HTTP client, its event loop or `dataclasses`."""
    db = tmp_path / "real.db"
    result = loaded(tmp_path, "run", "note", declared(db), "rolled back", db=db)
    assert result["code"] == 0, result["stderr"]
    names = modules(result, "exit")
    assert "incident.app.messages" in names  # it did look for messages due
    assert among(names, ("httpx", "asyncio", "ssl", "dataclasses", "secrets")) == []
    assert [name for name in names if name.startswith("tui.net")] == []


NOT_FOR_A_NOTE = (
    "incident.commands.lifecycle",
    "incident.commands.changes",
    "incident.commands.health",
    "incident.commands.impact",
    "incident.commands.postmortem",
    "incident.app.lifecycle",
    "incident.reports.changes",
    "incident.reports.analysis",
    "incident.reports.impact",
    "incident.reports.milestones",
    "incident.reports.rollback_state",
    "incident.reports.authorship",
)
"""The other areas' commands, and the reports they import, that `note` records without."""


def test_a_recording_loads_its_own_commands_and_no_others(tmp_path):
    """`incident.commands` imports an area's module when one of its commands is asked
    for: a note is the people module's. `difflib` is for a refusal's suggestion,
    `random` for a writer that found the database locked."""
    db = tmp_path / "real.db"
    result = loaded(tmp_path, "run", "note", declared(db), "rolled back", db=db)
    assert result["code"] == 0, result["stderr"]
    names = modules(result, "exit")
    assert "incident.commands.people" in names  # it did record through the command
    assert [name for name in names if name.startswith(NOT_FOR_A_NOTE)] == []
    assert among(names, ("difflib", "random")) == []
